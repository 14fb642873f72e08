import { displayCode, type StoredCode } from "../src/core/access/codes.ts";
import { list, message, navigation, note, text, title, type Action, type OutgoingMessage } from "../src/core/message.ts";
import { payloadCodec } from "../src/core/payload.ts";
import type { OrgUnit } from "../src/core/ports.ts";
import { formatDate } from "../src/core/time.ts";
import { parseRosterDate } from "../src/core/roster/import-rules.ts";
import type { Translate } from "../src/i18n.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";
import { confirmStep, defineForm } from "./framework/form.ts";

// "id" is an org unit, a branch, or empty for the top of the tree.
/** u a unit · add a unit under it · br its branches · off its days off · rv withdraw a code · sec/sup a secretary's, a supervisor's code · sb a branch's supervisor code. */
const ADMIN_OPS = ["u", "add", "br", "off", "rv", "sec", "sup", "sb"] as const;
const qt = payloadCodec("qt", ["op", "id"], { id: "uuid?", op: ADMIN_OPS });
const button = (label: string, op: (typeof ADMIN_OPS)[number], id = ""): Action => ({ label, payload: qt.encode({ op, id }) });
const forbiddenReply = (ctx: HandlerContext) => ctx.reply(message([text(ctx.t("common:forbidden"))]));

/** The org unit tree one level at a time: a province has hundreds of units, a chat shows a few. */
async function unitView(ctx: HandlerContext, unitId: string | null): Promise<OutgoingMessage> {
  const { t } = ctx;
  const result = await ctx.core.access.listOrgUnits(ctx.actor);
  if (!result.ok) return message([text(t("common:forbidden"))]);
  const units = result.units;
  const unit = unitId ? units.find((u) => u.id === unitId) : undefined;
  if (unitId && !unit) return message([text(t("fallback:staleButton"))]);
  const children = units.filter((u) => u.parentId === (unit?.id ?? null));
  const blocks = [title(unit ? unit.name : t("admin:rootTitle"))];
  if (unit?.levelName) blocks.push(text(t("admin:level", { level: unit.levelName })));
  if (unit?.parentId) blocks.push(text(t("admin:parent", { parent: units.find((u) => u.id === unit.parentId)?.name ?? "" })));
  blocks.push(text(children.length ? t("admin:children", { count: children.length }) : t("admin:noChildren")));
  const rows: Action[][] = children.slice(0, 40).map((c) => [button(c.name, "u", c.id)]);
  if (children.length > 40) blocks.push(note(t("admin:tooMany", { count: children.length - 40 })));
  rows.push([button(t("admin:buttons.addUnit"), "add", unit?.id ?? "")]);
  if (unit) {
    rows.push([button(t("admin:buttons.secretaryCode"), "sec", unit.id), button(t("admin:buttons.supervisorCode"), "sup", unit.id)]);
    rows.push([button(t("admin:buttons.branches"), "br", unit.id), button(t("admin:buttons.daysOff"), "off", unit.id)]);
    rows.push([navigation(button(t("common:buttons.back"), "u", unit.parentId ?? ""))]);
  } else {
    rows.push([button(t("admin:buttons.revoke"), "rv")]);
  }
  return message(blocks, rows);
}

function codeMessage(t: Translate, code: StoredCode, link: string | undefined, target: string): OutgoingMessage {
  const kind = code.kind === "secretary" ? "secretary" : "supervisor";
  const blocks = [
    title(t(`admin:code.${kind}.title`, { target })),
    text(t("admin:code.value", { code: displayCode(code.code), expires: formatDate(code.expiresAt, "Asia/Ho_Chi_Minh", "vi") })),
  ];
  if (link) blocks.push(text(t("admin:code.link", { link })));
  blocks.push(text(t(`admin:code.${kind}.howTo`, { code: displayCode(code.code) })), note(t("admin:code.singleUse")));
  return message(blocks);
}

const addUnitForm = defineForm({
  kind: "admin.addUnit",
  ns: "admin",
  steps: [
    {
      name: "name",
      question: (t) => t("admin:ask.name"),
      parse: (input) => {
        const name = input.replace(/\s+/g, " ").trim();
        return name.length >= 3 && name.length <= 150 ? { ok: true, value: name } : { ok: false, reason: "name" };
      },
    },
    {
      name: "levelName",
      question: (t) => t("admin:ask.level"),
      choices: (t) => [
        { label: t("admin:levels.province"), value: t("admin:levels.province") },
        { label: t("admin:levels.commune"), value: t("admin:levels.commune") },
        { label: t("admin:levels.base"), value: t("admin:levels.base") },
        { label: t("admin:levels.none"), value: "-" },
      ],
      parse: (input) => {
        const level = input.replace(/\s+/g, " ").trim();
        if (level.length > 80) return { ok: false, reason: "level" };
        return { ok: true, value: level === "-" ? null : level };
      },
    },
    confirmStep((t, v) => t("admin:summary", { name: v.name, level: v.levelName ?? t("admin:levels.none") })),
  ],
  async finish(ctx, values, extra) {
    const parentId = extra.parentId ? String(extra.parentId) : null;
    const result = await ctx.core.access.createOrgUnit(ctx.actor, {
      name: String(values.name),
      levelName: (values.levelName as string | null) ?? null,
      parentId,
    });
    if (!result.ok) {
      await ctx.reply(message([text(ctx.t(result.reason === "forbidden" ? "common:forbidden" : `admin:invalid.${result.reason}`))]));
      return;
    }
    const view = await unitView(ctx, result.unit.id);
    await ctx.reply({ ...view, blocks: [text(ctx.t("admin:created", { name: result.unit.name })), ...view.blocks] });
  },
});

/** "16/02/2026 - 22/02/2026, 02/05/2026": single days and ranges, at most 60 days. */
export function parseDays(input: string): { ok: true; value: string[] } | { ok: false; reason: string } {
  const days = new Set<string>();
  for (const part of input
    .split(/[,;\n]+/)
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [from, to] = part.split(/\s+(?:-|–|đến|to)\s+/).map((d) => parseRosterDate(d.trim()));
    if (!from || (part.match(/\s+(?:-|–|đến|to)\s+/) && !to)) return { ok: false, reason: "days" };
    const end = to ?? from;
    if (end < from) return { ok: false, reason: "days" };
    for (let day = from; day <= end; day = nextDay(day)) {
      days.add(day);
      if (days.size > 60) return { ok: false, reason: "tooManyDays" };
    }
  }
  return days.size ? { ok: true, value: [...days] } : { ok: false, reason: "days" };
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const daysOffForm = defineForm({
  kind: "admin.daysOff",
  ns: "admin",
  steps: [
    { name: "days", question: (t) => t("admin:ask.daysOff"), parse: parseDays },
    {
      name: "note",
      question: (t) => t("admin:ask.daysOffNote"),
      parse: (input) => ({ ok: true, value: input.trim() === "-" ? null : input.trim().slice(0, 200) }),
    },
    confirmStep((t, v) =>
      t("admin:daysOffSummary", {
        count: (v.days as string[]).length,
        first: formatDay(String((v.days as string[])[0])),
        last: formatDay(String((v.days as string[]).at(-1))),
      }),
    ),
  ],
  async finish(ctx, values, extra) {
    const result = await ctx.core.access.addDaysOff(ctx.actor, String(extra.orgUnitId), values.days as string[], (values.note as string | null) ?? null);
    if (!result.ok) return void (await ctx.reply(message([text(ctx.t(result.reason === "forbidden" ? "common:forbidden" : "fallback:staleButton"))])));
    await ctx.reply(message([text(ctx.t("admin:daysOffAdded", { added: result.added, moved: result.moved }))]));
  },
});

const formatDay = (day: string) => formatDate(new Date(`${day}T12:00:00Z`), "UTC", "vi");

const revokeForm = defineForm({
  kind: "admin.revoke",
  ns: "admin",
  steps: [{ name: "code", question: (t) => t("admin:ask.revoke"), parse: (input) => ({ ok: true, value: input }) }],
  async finish(ctx, values) {
    const result = await ctx.core.access.revokeIssuedCode(ctx.actor, String(values.code));
    await ctx.reply(message([text(ctx.t(result.ok ? "admin:revoked" : result.reason === "forbidden" ? "common:forbidden" : "admin:invalid.unknownCode"))]));
  },
});

async function issue(ctx: HandlerContext, kind: "secretary" | "supervisor", target: { orgUnitId?: string; branchId?: string }): Promise<void> {
  const result = await ctx.core.access.issueCode(ctx.actor, { kind, ...target });
  if (!result.ok) {
    await ctx.reply(message([text(ctx.t(result.reason === "forbidden" ? "common:forbidden" : "fallback:staleButton"))]));
    return;
  }
  await ctx.reply(codeMessage(ctx.t, result.code, result.link, result.targetName));
}

async function branchesOf(ctx: HandlerContext, unit: OrgUnit): Promise<OutgoingMessage> {
  const { t } = ctx;
  const under = await ctx.core.access.branchesUnder(ctx.actor, unit.id);
  if (!under.ok) return message([text(t("common:forbidden"))]);
  const rows: Action[][] = under.branches.slice(0, 40).map((b) => [button(t("admin:buttons.followBranch", { branch: b.name }), "sb", b.id)]);
  rows.push([navigation(button(t("common:buttons.back"), "u", unit.id))]);
  return message(
    [
      title(t("admin:branchesTitle", { unit: unit.name })),
      text(under.branches.length ? t("admin:branchesHint") : t("admin:noBranches")),
      ...(under.branches.length ? [list(under.branches.map((b) => b.name))] : []),
    ],
    rows,
  );
}

export const adminFeature: Feature = {
  name: "admin",
  commands: {
    async quantri(ctx) {
      if (!ctx.actor.person.isAdmin) return forbiddenReply(ctx);
      await ctx.reply(await unitView(ctx, null));
    },
  },
  aliases: { quantri: ["quản trị", "admin"] },
  unlisted: ["quantri"],
  dialogs: { [addUnitForm.kind]: addUnitForm.handle, [revokeForm.kind]: revokeForm.handle, [daysOffForm.kind]: daysOffForm.handle },
  actions: {
    async [qt.prefix](ctx) {
      if (!ctx.actor.person.isAdmin) return forbiddenReply(ctx);
      const payload = qt.decode(ctx.input);
      if (!payload) return void (await ctx.reply(message([text(ctx.t("fallback:staleButton"))])));
      const units = await ctx.core.access.listOrgUnits(ctx.actor);
      const unit = units.ok ? units.units.find((u) => u.id === payload.id) : undefined;
      switch (payload.op) {
        case "u":
          return ctx.reply(await unitView(ctx, payload.id || null));
        case "add":
          return addUnitForm.start(ctx, { parentId: payload.id || null }, {}, unit ? ctx.t("admin:addUnder", { parent: unit.name }) : ctx.t("admin:addTop"));
        case "sec":
        case "sup":
          if (!unit) break;
          return issue(ctx, payload.op === "sec" ? "secretary" : "supervisor", { orgUnitId: unit.id });
        case "br":
          if (!unit) break;
          return ctx.reply(await branchesOf(ctx, unit));
        case "sb":
          return issue(ctx, "supervisor", { branchId: payload.id });
        case "rv":
          return revokeForm.start(ctx);
        case "off":
          if (!unit) break;
          return daysOffForm.start(ctx, { orgUnitId: unit.id }, {}, ctx.t("admin:daysOffFor", { unit: unit.name }));
      }
      await ctx.reply(message([text(ctx.t("fallback:staleButton"))]));
    },
  },
};
