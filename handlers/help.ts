import { list, message, text, title, type TextBlock } from "../src/core/message.ts";
import { runsBranch, type Actor } from "../src/core/roles.ts";
import { commandButton } from "./framework/command-button.ts";
import type { Feature } from "./framework/context.ts";

type Section = "everyone" | "member" | "secretary" | "committee" | "supervisor" | "admin";

/**
 * What each kind of person can do, as lines of the help text: [command, help key].
 * A line shows only when its command is installed, so help never promises a missing feature.
 */
const SECTIONS: Record<Section, Array<[command: string, key: string]>> = {
  everyone: [
    ["start", "start"],
    ["help", "help"],
    ["toi", "toi"],
    ["ngonngu", "ngonngu"],
  ],
  member: [
    ["chibo", "chiboMember"],
    ["lichhop", "lichhop"],
    ["nghiquyet", "nghiquyet"],
  ],
  committee: [["diemdanh", "diemdanhCommittee"]],
  secretary: [
    ["chibo", "chibo"],
    ["thanhvien", "thanhvien"],
    ["lichhop", "lichhopSecretary"],
    ["diemdanh", "diemdanh"],
    ["nghiquyet", "nghiquyetSecretary"],
    ["canhbao", "canhbao"],
    ["baocao", "baocao"],
  ],
  supervisor: [
    ["chibo", "chiboSupervisor"],
    ["lichhop", "lichhopSupervisor"],
    ["nghiquyet", "nghiquyetSupervisor"],
    ["thanhvien", "thanhvienSupervisor"],
    ["canhbao", "canhbaoSupervisor"],
    ["baocao", "baocaoSupervisor"],
  ],
  admin: [["quantri", "quantri"]],
};

/** Every section that applies: a secretary is also a member, an admin may also supervise. */
export function sectionsFor(actor: Actor): Section[] {
  const active = actor.memberships;
  const sections: Section[] = ["everyone"];
  if (active.length > 0) sections.push("member");
  if (active.some((m) => m.role === "committee")) sections.push("committee");
  if (active.some(runsBranch)) sections.push("secretary");
  if (actor.supervision.length > 0) sections.push("supervisor");
  if (actor.person.isAdmin) sections.push("admin");
  return sections;
}

export const helpFeature: Feature = {
  name: "help",
  commands: {
    async help(ctx) {
      const { t } = ctx;
      const installed = new Set(ctx.commands);
      const blocks: TextBlock[] = [title(t("help:title"))];
      for (const section of sectionsFor(ctx.actor)) {
        const lines = SECTIONS[section].filter(([command]) => installed.has(command)).map(([, key]) => t(`help:commands.${key}`));
        if (lines.length === 0) continue;
        blocks.push(text(t(`help:sections.${section}`)), list(lines));
      }
      if (sectionsFor(ctx.actor).length === 1) blocks.push(text(t("help:stranger")));
      if (ctx.inbound.channel === "zalo") blocks.push(text(t("help:typing")));
      await ctx.reply(message(blocks, [[commandButton(t("common:buttons.menu"), "start"), commandButton(t("common:buttons.language"), "ngonngu")]]));
    },
  },
  aliases: { help: ["giúp", "trợ giúp", "trogiup", "hướng dẫn", "giup do", "?"] },
};
