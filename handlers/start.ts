import { OPEN_CHAT_START } from "../src/core/inbound.ts";
import { message, text, type TextBlock } from "../src/core/message.ts";
import type { BranchMembership } from "../src/core/roles.ts";
import type { Translate } from "../src/i18n.ts";
import { redeem } from "./codes.ts";
import { commandButton } from "./framework/command-button.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";

function membershipLines(t: Translate, m: BranchMembership): string[] {
  const vars = {
    branch: m.branchName,
    orgUnit: m.orgUnitName,
    type: t(`common:memberTypes.${m.memberType}`),
    role: t(`common:roles.${m.role}`),
  };
  const lines = [m.role === "member" ? t("start:membership", vars) : t("start:membershipOfficer", vars)];
  if (m.status !== "active") lines.push(t("start:statusNow", { status: t(`common:statuses.${m.status}`) }));
  return lines;
}

/** The welcome: who you are to Chibo, and where to go next. */
export function welcome(ctx: HandlerContext): TextBlock[] {
  const { t, actor } = ctx;
  const blocks: TextBlock[] = [text(t("start:greeting", { name: actor.person.displayName })), text(t("start:intro"))];
  for (const m of actor.memberships) blocks.push(text(membershipLines(t, m).join(" ")));
  for (const p of actor.pendingJoins) blocks.push(text(t("start:pending", { branch: p.branchName })));
  if (actor.supervision.length > 0) blocks.push(text(t("start:supervision", { names: actor.supervision.map((s) => s.name).join(", ") })));
  if (actor.person.isAdmin) blocks.push(text(t("start:admin")));
  if (actor.memberships.length === 0 && actor.supervision.length === 0 && actor.pendingJoins.length === 0 && !actor.person.isAdmin) {
    blocks.push(text([t("start:stranger.notInBranch"), t("start:stranger.howToJoin"), t("start:stranger.howToRegister")].join("\n")));
  }
  blocks.push(text(t("start:next")));
  return blocks;
}

export const startFeature: Feature = {
  name: "start",
  commands: {
    async start(ctx) {
      const { t } = ctx;
      // "/start <code>": an invite link or a code typed after the command. A link that only
      // opens the chat (from a group, say) carries OPEN_CHAT_START: a plain welcome.
      if (ctx.input && ctx.input !== OPEN_CHAT_START) return redeem(ctx, ctx.input);
      await ctx.reply(message(welcome(ctx), [[commandButton(t("common:buttons.help"), "help"), commandButton(t("common:buttons.language"), "ngonngu")]]));
    },
  },
  aliases: { start: ["menu", "0", "bắt đầu", "chào", "xin chào", "hi", "hello"] },
};
