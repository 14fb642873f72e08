import { displayCode } from "../src/core/access/codes.ts";
import { list, message, navigation, note, text, title, type Action, type OutgoingMessage } from "../src/core/message.ts";
import { payloadCodec } from "../src/core/payload.ts";
import type { MemberUpdate } from "../src/core/roster/import-plan.ts";
import { MAX_IMPORT_ROWS, normalisePhone, type RosterImportRow, type RowError } from "../src/core/roster/import-rules.ts";
import { TIME_BOXED_STATUSES, type RosterEntry } from "../src/core/roster/types.ts";
import { BRANCH_ROLES, MEMBER_STATUSES, MEMBER_TYPES, type BranchRole, type MemberStatus, type MemberType } from "../src/core/roles.ts";
import { foldText } from "../src/core/text.ts";
import { formatDate } from "../src/core/time.ts";
import { MAX_ROSTER_FILE_BYTES, readSpreadsheet, writeCsv, writeXlsx } from "../src/files/spreadsheet.ts";
import type { Translate } from "../src/i18n.ts";
import { joinRequestNotice } from "./codes.ts";
import { chooseBranch } from "./framework/branch-choice.ts";
import { answerButton } from "./framework/command-button.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";
import { dialogData, uuid } from "./framework/dialog-data.ts";
import { z } from "zod";
import { dayAnswer, defineForm } from "./framework/form.ts";

/**
 * What a roster button does: p a page · m a member's card · role/sr, type/stt, stat/sst ask
 * for and set the role, member type, status · rc allow calling the roll · ph the phone ·
 * rm/rmy remove (ask, confirmed) · er erase contact data · add, imp (import) · csv/xlsx export
 * · inv/invn/invx the invite (show, new, withdraw) · jq the join requests waiting.
 */
const ROSTER_OPS = [
  "p",
  "m",
  "role",
  "sr",
  "type",
  "stt",
  "stat",
  "sst",
  "rc",
  "ph",
  "rm",
  "rmy",
  "er",
  "add",
  "imp",
  "csv",
  "xlsx",
  "inv",
  "invn",
  "invx",
  "jq",
] as const;
type RosterOp = (typeof ROSTER_OPS)[number];
/** Every roster button: an operation, the branch or member it is about, and an argument. */
const ro = payloadCodec("ro", ["op", "id", "arg"], { id: "uuid", op: ROSTER_OPS });
const button = (label: string, op: RosterOp, id: string, arg = ""): Action => ({ label, payload: ro.encode({ op, id, arg }) });

export const PAGE_SIZE = 15;

/** The import dialog: the branch, then — once a file was read — its rows waiting for confirmation. */
const importRow: z.ZodType<RosterImportRow> = z.object({
  line: z.number().int(),
  name: z.string(),
  memberType: z.enum(MEMBER_TYPES),
  role: z.enum(BRANCH_ROLES),
  status: z.enum(MEMBER_STATUSES),
  statusFrom: z.string().nullable(),
  statusUntil: z.string().nullable(),
  phone: z.string().nullable(),
  given: z.object({ memberType: z.boolean(), role: z.boolean(), status: z.boolean() }),
});
const importState = z.object({ branchId: uuid, rows: z.array(importRow).optional(), added: z.number().optional(), updated: z.number().optional() });
const IMPORT_DIALOG = "roster.import";
const MAX_ERRORS_SHOWN = 20;

// Short names keep payloads under 64 bytes.
const STATUS_CODES: Record<string, MemberStatus> = {
  act: "active",
  exm: "exempt",
  tmp: "temporarily_exempt",
  out: "transferred_out",
  att: "attached",
  spd: "special_duty",
};
const statusCode = (status: MemberStatus) => Object.entries(STATUS_CODES).find(([, s]) => s === status)![0];
const TYPE_CODES: Record<string, MemberType> = { full: "full", prob: "probationary" };

function memberLine(t: Translate, entry: RosterEntry): string {
  const parts = [entry.name];
  if (entry.role !== "member") parts.push(t(`common:roles.${entry.role}`));
  if (entry.memberType === "probationary") parts.push(t("roster:probationary"));
  if (entry.status !== "active") parts.push(t(`roster:statusShort.${entry.status}`));
  if (!entry.personId) parts.push(t("roster:notLinked"));
  return parts.join(" · ");
}

/** A page of the roster: numbered lines, number buttons to open a member, paging, and the secretary's tools. */
async function rosterPage(ctx: HandlerContext, branchId: string, page: number): Promise<OutgoingMessage> {
  const { t } = ctx;
  const result = await ctx.core.roster.listRoster(ctx.actor, branchId);
  if (!result.ok) return message([text(t("common:forbidden"))]);
  const { entries, pending, branchName } = result;
  const pages = Math.max(1, Math.ceil(entries.length / PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const slice = entries.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const counts = {
    total: entries.length,
    full: entries.filter((e) => e.memberType === "full").length,
    probationary: entries.filter((e) => e.memberType === "probationary").length,
  };
  const blocks = [title(t("roster:title", { branch: branchName })), text(t("roster:counts", counts))];
  if (entries.length === 0) blocks.push(text(t("roster:empty")));
  else blocks.push(list(slice.map((e, i) => `${current * PAGE_SIZE + i + 1}. ${memberLine(t, e)}`)));
  if (pages > 1) blocks.push(note(t("roster:page", { page: current + 1, pages })));
  if (pending.length > 0) blocks.push(text(t("roster:pendingCount", { count: pending.length })));

  const rows: Action[][] = [];
  const numbers = slice.map((e, i) => button(String(current * PAGE_SIZE + i + 1), "m", e.membershipId));
  for (let i = 0; i < numbers.length; i += 5) rows.push(numbers.slice(i, i + 5));
  const nav: Action[] = [];
  if (current > 0) nav.push(navigation(button(t("common:buttons.previous"), "p", branchId, String(current - 1))));
  if (current < pages - 1) nav.push(navigation(button(t("common:buttons.next"), "p", branchId, String(current + 1))));
  if (nav.length) rows.push(nav);
  if (await ctx.core.access.allows(ctx.actor, "roster.edit", branchId)) {
    rows.push([button(t("roster:buttons.add"), "add", branchId), button(t("roster:buttons.import"), "imp", branchId)]);
    rows.push([button(t("roster:buttons.invite"), "inv", branchId), button(t("roster:buttons.pending", { count: pending.length }), "jq", branchId)]);
  }
  if (await ctx.core.access.allows(ctx.actor, "roster.export", branchId)) {
    rows.push([button(t("roster:buttons.exportCsv"), "csv", branchId), button(t("roster:buttons.exportXlsx"), "xlsx", branchId)]);
  }
  return message(blocks, rows);
}

function describeStatus(t: Translate, entry: RosterEntry): string {
  const status = t(`common:statuses.${entry.status}`);
  return entry.statusUntil ? t("roster:statusUntil", { status, until: formatDay(entry.statusUntil) }) : status;
}

const formatDay = (day: string) => formatDate(new Date(`${day}T12:00:00Z`), "UTC", "vi");

async function memberCard(ctx: HandlerContext, membershipId: string): Promise<OutgoingMessage> {
  const { t } = ctx;
  const result = await ctx.core.roster.viewMember(ctx.actor, membershipId);
  if (!result.ok) return message([text(t("common:forbidden"))]);
  const { entry } = result;
  const blocks = [
    title(entry.name),
    list([
      t("roster:card.role", { role: t(`common:roles.${entry.role}`) }),
      t("roster:card.type", { type: t(`common:memberTypes.${entry.memberType}`) }),
      t("roster:card.status", { status: describeStatus(t, entry) }),
      t("roster:card.since", { date: formatDay(entry.termFrom) }),
      t("roster:card.phone", { phone: entry.phone ?? t("roster:card.noPhone") }),
      entry.personId ? t("roster:card.linked") : t("roster:card.notLinked"),
      ...(entry.role === "committee" ? [t(entry.callsRoll ? "roster:card.callsRoll" : "roster:card.noRollCall")] : []),
    ]),
  ];
  if (entry.removed) blocks.push(note(t("roster:card.removed")));
  const rows: Action[][] = [];
  if (!entry.removed && (await ctx.core.access.allows(ctx.actor, "roster.edit", entry.branchId))) {
    rows.push([button(t("roster:buttons.role"), "role", membershipId), button(t("roster:buttons.type"), "type", membershipId)]);
    rows.push([button(t("roster:buttons.status"), "stat", membershipId), button(t("roster:buttons.phone"), "ph", membershipId)]);
    if (entry.role === "committee")
      rows.push([button(t(entry.callsRoll ? "roster:buttons.stopRollCall" : "roster:buttons.allowRollCall"), "rc", membershipId, entry.callsRoll ? "0" : "1")]);
    rows.push([button(t("roster:buttons.remove"), "rm", membershipId)]);
  }
  if (entry.removed && (await ctx.core.access.allows(ctx.actor, "contact.erase", entry.branchId)))
    rows.push([button(t("roster:buttons.erase"), "er", membershipId)]);
  rows.push([navigation(button(t("roster:buttons.back"), "p", entry.branchId, "0"))]);
  return message(blocks, rows);
}

function problemText(t: Translate, reason: string): string {
  return reason === "forbidden" ? t("common:forbidden") : t(`roster:problem.${reason}`);
}

/** The start day, and for time-boxed statuses the end day, of a status change. */
const statusForm = (withUntil: boolean) =>
  defineForm({
    kind: withUntil ? "roster.statusUntil" : "roster.status",
    ns: "roster",
    steps: [
      {
        name: "from",
        question: (t) => t("roster:ask.from"),
        choices: (t, values) => [{ label: t("common:buttons.today"), value: String(values.today) }],
        parse: (input, values) => dayAnswer(input, String(values.today)),
      },
      ...(withUntil
        ? [
            {
              name: "until",
              question: (t: Translate) => t("roster:ask.until"),
              parse: (input: string, values: Record<string, unknown>) => {
                const day = dayAnswer(input, String(values.today));
                if (day.ok && day.value <= String(values.from)) return { ok: false as const, reason: "until_before_from" };
                return day;
              },
            },
          ]
        : []),
    ],
    async finish(ctx, values, extra) {
      const status = extra.status as MemberStatus;
      const result = await ctx.core.roster.changeMember(ctx.actor, String(extra.membershipId), {
        from: String(values.from),
        status,
        statusUntil: values.until ? String(values.until) : null,
      });
      await afterChange(ctx, result, String(extra.membershipId));
    },
  });
const plainStatusForm = statusForm(false);
const timeBoxedStatusForm = statusForm(true);

const phoneForm = defineForm({
  kind: "roster.phone",
  ns: "roster",
  steps: [
    {
      name: "phone",
      question: (t) => t("roster:ask.phone"),
      choices: (t) => [{ label: t("roster:buttons.noPhone"), value: "-" }],
      parse: (input) => {
        if (input.trim() === "-") return { ok: true, value: null };
        const phone = normalisePhone(input);
        return phone ? { ok: true, value: phone } : { ok: false, reason: "phone" };
      },
    },
  ],
  async finish(ctx, values, extra) {
    const result = await ctx.core.roster.setMemberPhone(ctx.actor, String(extra.membershipId), (values.phone as string | null) ?? null);
    if (!result.ok) return void (await ctx.reply(message([text(ctx.t("common:forbidden"))])));
    const card = await memberCard(ctx, String(extra.membershipId));
    await ctx.reply({ ...card, blocks: [text(ctx.t("roster:saved")), ...card.blocks] });
  },
});

const addForm = defineForm({
  kind: "roster.add",
  ns: "roster",
  steps: [
    {
      name: "names",
      question: (t) => t("roster:ask.names"),
      parse: (input) => {
        const names = input
          .split(/\r?\n/)
          .map((n) => n.trim())
          .filter(Boolean);
        if (names.length > 50) return { ok: false, reason: "tooManyNames" };
        return { ok: true, value: names };
      },
    },
  ],
  async finish(ctx, values, extra) {
    const { t } = ctx;
    const branchId = String(extra.branchId);
    const result = await ctx.core.roster.addMembers(ctx.actor, branchId, values.names as string[]);
    if (!result.ok) return void (await ctx.reply(message([text(problemText(t, result.reason))])));
    const blocks = [text(t("roster:added", { count: result.added.length }))];
    if (result.added.length) blocks.push(list(result.added));
    if (result.skipped.length) blocks.push(text(t("roster:skipped")), list(result.skipped.map((s) => t(`roster:skip.${s.reason}`, { name: s.name }))));
    blocks.push(note(t("roster:addedHint")));
    await ctx.reply(message(blocks, [[button(t("roster:buttons.roster"), "p", branchId, "0"), button(t("roster:buttons.invite"), "inv", branchId)]]));
  },
});

async function afterChange(ctx: HandlerContext, result: { ok: true; entry: RosterEntry } | { ok: false; reason: string }, membershipId: string): Promise<void> {
  const { t } = ctx;
  if (!result.ok) {
    await ctx.edit(message([text(problemText(t, result.reason))], [[navigation(button(t("roster:buttons.back"), "m", membershipId))]]));
    return;
  }
  const { entry } = result;
  const summary = [
    ...(entry.role === "member" ? [] : [t(`common:roles.${entry.role}`)]),
    t("roster:card.type", { type: t(`common:memberTypes.${entry.memberType}`) }),
    describeStatus(t, entry),
  ].join(", ");
  const saved = t("roster:savedFrom", { date: formatDay(entry.termFrom), summary });
  const card = await memberCard(ctx, membershipId);
  await ctx.edit({ ...card, blocks: [text(saved), ...card.blocks] });
}

function errorLine(t: Translate, error: RowError): string {
  return t("roster:import.errorLine", { line: error.line, reason: t(`roster:import.reason.${error.reason}`, { value: error.value ?? "" }) });
}

/** Import, first half: the file arrives, is read and checked; the secretary sees the preview. */
async function receiveImportFile(ctx: HandlerContext, branchId: string): Promise<void> {
  const { t } = ctx;
  const file = ctx.file;
  if (!file) {
    await ctx.reply(message([text(t("roster:import.sendFile"))]));
    return;
  }
  // Checked before downloading: a 10 MB file is refused without reading it.
  if (file.size !== undefined && file.size > MAX_ROSTER_FILE_BYTES) {
    await ctx.reply(message([text(t("roster:import.read.too_large")), note(t("roster:import.sendAgain"))]));
    return;
  }
  const read = await readSpreadsheet(await file.read(), file.name);
  if (!read.ok) {
    await ctx.reply(message([text(t(`roster:import.read.${read.reason}`, { max: MAX_IMPORT_ROWS })), note(t("roster:import.sendAgain"))]));
    return;
  }
  const preview = await ctx.core.roster.previewImport(ctx.actor, branchId, read.rows);
  if (!preview.ok) {
    if (preview.reason === "forbidden") await ctx.dialog.clear();
    // Otherwise the dialog stays open: a corrected file can be sent right away.
    const problem = preview.reason === "forbidden" ? t("common:forbidden") : t(`roster:problem.import.${preview.reason}`, { max: MAX_IMPORT_ROWS });
    await ctx.reply(message([text(problem), note(t("roster:import.sendAgain"))]));
    return;
  }
  const counts = { added: preview.add.length, updated: preview.update.length };
  const blocks = [
    title(t("roster:import.previewTitle", { file: file.name.slice(0, 80) })),
    text(t("roster:import.previewCounts", { valid: preview.rows.length, errors: new Set(preview.errors.map((e) => e.line)).size })),
  ];
  if (preview.add.length) {
    // Officers and every status other than "đang sinh hoạt" come first, so none is missed.
    const ordered = [...preview.add.filter(isNotable), ...preview.add.filter((r) => !isNotable(r))];
    blocks.push(text(t("roster:import.newTitle", { count: preview.add.length })), list(ordered.slice(0, MAX_ROWS_SHOWN).map((r) => rowLine(t, r))));
    if (ordered.length > MAX_ROWS_SHOWN) blocks.push(note(t("roster:import.more", { count: ordered.length - MAX_ROWS_SHOWN })));
  }
  if (preview.update.length)
    blocks.push(
      text(t("roster:import.updateTitle", { count: preview.update.length })),
      list(preview.update.slice(0, MAX_ROWS_SHOWN).map((u) => updateLine(t, u))),
    );
  if (preview.unchanged.length)
    blocks.push(
      note(
        t("roster:import.unchanged", {
          count: preview.unchanged.length,
          names: preview.unchanged
            .slice(0, MAX_ROWS_SHOWN)
            .map((u) => u.name)
            .join(", "),
        }),
      ),
    );
  if (preview.errors.length) {
    blocks.push(text(t("roster:import.errorsTitle")), list(preview.errors.slice(0, MAX_ERRORS_SHOWN).map((e) => errorLine(t, e))));
    if (preview.errors.length > MAX_ERRORS_SHOWN) blocks.push(note(t("roster:import.moreErrors", { count: preview.errors.length - MAX_ERRORS_SHOWN })));
    blocks.push(note(t("roster:import.errorsSkipped")));
  }
  const anything = counts.added + counts.updated > 0;
  // With nothing to write the dialog stays open for a corrected file.
  await ctx.dialog.start(IMPORT_DIALOG, anything ? { branchId, rows: preview.rows, ...counts } : { branchId }, 30);
  if (!anything && preview.rows.length) blocks.push(text(t("roster:import.nothingNew")));
  const actions = anything ? [[answerButton(confirmLabel(t, counts), "yes"), answerButton(t("common:buttons.cancel"), "no")]] : [];
  await ctx.reply(message(blocks, actions));
}

const MAX_ROWS_SHOWN = 30;

/** A row worth a second look before confirming: an officer, a probationary member, any status but active. */
const isNotable = (r: RosterImportRow) => r.role !== "member" || r.status !== "active" || r.memberType !== "full";

function statusWords(t: Translate, status: MemberStatus, until: string | null): string {
  const words = t(`roster:statusShort.${status}`);
  return until && TIME_BOXED_STATUSES.has(status) ? t("roster:statusUntil", { status: words, until: formatDay(until) }) : words;
}

/** "Dòng 9: Đặng Quốc Bảo — chính thức · đảng viên · miễn sinh hoạt". */
function rowLine(t: Translate, r: RosterImportRow): string {
  const details = [t(`common:memberTypes.${r.memberType}`), t(`common:roles.${r.role}`), statusWords(t, r.status, r.statusUntil)];
  return t("roster:import.rowLine", { line: r.line, name: r.name, details: details.join(" · ") });
}

/** What the file changes for someone already on the roster. */
function updateLine(t: Translate, u: MemberUpdate): string {
  const changes = [
    ...(u.phone ? [t("roster:import.change.phone", { phone: u.phone })] : []),
    ...(u.memberType ? [t("roster:import.change.memberType", { type: t(`common:memberTypes.${u.memberType}`) })] : []),
    ...(u.role ? [t("roster:import.change.role", { role: t(`common:roles.${u.role}`) })] : []),
    ...(u.status ? [t("roster:import.change.status", { status: statusWords(t, u.status, u.statusUntil ?? null) })] : []),
  ];
  return t("roster:import.rowLine", { line: u.line, name: u.name, details: changes.join("; ") });
}

function confirmLabel(t: Translate, counts: { added: number; updated: number }): string {
  if (!counts.updated) return t("roster:import.confirm", { count: counts.added });
  if (!counts.added) return t("roster:import.confirmUpdates", { count: counts.updated });
  return t("roster:import.confirmBoth", { added: counts.added, updated: counts.updated });
}

/** Import, second half: "yes" writes the previewed rows, all together. */
async function confirmImport(ctx: HandlerContext, branchId: string, rows: RosterImportRow[], counts: { added: number; updated: number }): Promise<void> {
  const { t } = ctx;
  const answer = foldText(ctx.input);
  if (["no", "khong", "huy", "2"].includes(answer)) {
    await ctx.dialog.clear();
    await ctx.reply(message([text(t("common:dialogCancelled"))]));
    return;
  }
  if (!["yes", "co", "1", "dong y", "xac nhan"].includes(answer)) {
    await ctx.reply(
      message([text(t("common:invalid.confirm"))], [[answerButton(confirmLabel(t, counts), "yes"), answerButton(t("common:buttons.cancel"), "no")]]),
    );
    return;
  }
  await ctx.dialog.clear();
  const result = await ctx.core.roster.applyImport(ctx.actor, branchId, rows);
  if (!result.ok) return void (await ctx.reply(message([text(t("common:forbidden"))])));
  const said = [t("roster:import.done", { count: result.added })];
  if (result.updated.length) said.push(t("roster:import.doneUpdated", { count: result.updated.length, names: result.updated.join(", ") }));
  if (result.unchanged) said.push(t("roster:import.doneUnchanged", { count: result.unchanged }));
  if (result.skipped) said.push(t("roster:import.doneSkipped", { count: result.skipped }));
  await ctx.reply(
    message([text(said.join("\n"))], [[button(t("roster:buttons.roster"), "p", branchId, "0"), button(t("roster:buttons.invite"), "inv", branchId)]]),
  );
}

async function exportFile(ctx: HandlerContext, branchId: string, format: "csv" | "xlsx"): Promise<void> {
  const { t } = ctx;
  const result = await ctx.core.roster.exportRoster(ctx.actor, branchId);
  if (!result.ok) return void (await ctx.reply(message([text(t("common:forbidden"))])));
  const header = ["stt", "name", "type", "role", "status", "from", "until", "phone"].map((c) => t(`roster:export.${c}`));
  const rows = result.entries.map((e, i) => [
    String(i + 1),
    e.name,
    t(`common:memberTypes.${e.memberType}`),
    t(`common:roles.${e.role}`),
    t(`common:statuses.${e.status}`),
    e.status === "active" ? "" : formatDay(e.termFrom),
    e.statusUntil ? formatDay(e.statusUntil) : "",
    e.phone ?? "",
  ]);
  const base = `danh-sach-${
    foldText(result.branchName)
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "") || "chi-bo"
  }`;
  const bytes = format === "csv" ? writeCsv([header, ...rows]) : await writeXlsx(t("roster:export.sheet"), [header, ...rows]);
  await ctx.reply({
    blocks: [text(t("roster:export.ready", { count: rows.length }))],
    attachment: {
      filename: `${base}.${format}`,
      mimeType: format === "csv" ? "text/csv" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      bytes,
      caption: t("roster:export.caption", { branch: result.branchName, date: formatDay(result.today), count: rows.length }),
    },
  });
}

async function inviteCard(ctx: HandlerContext, branchId: string, renew: boolean): Promise<OutgoingMessage> {
  const { t } = ctx;
  const result = renew ? await ctx.core.roster.renewInvite(ctx.actor, branchId) : await ctx.core.roster.currentInvite(ctx.actor, branchId);
  if (!result.ok) return message([text(t("common:forbidden"))]);
  const { code, link } = result.invite;
  const blocks = [
    title(t("roster:invite.title")),
    text(t("roster:invite.code", { code: displayCode(code.code), expires: formatDate(code.expiresAt, "Asia/Ho_Chi_Minh", "vi") })),
  ];
  if (link) blocks.push(text(t("roster:invite.link", { link })));
  blocks.push(text(t("roster:invite.howTo", { code: displayCode(code.code) })));
  blocks.push(note(t("roster:invite.privacy")));
  return message(blocks, [
    [button(t("roster:buttons.renewInvite"), "invn", branchId), button(t("roster:buttons.revokeInvite"), "invx", branchId)],
    [button(t("roster:buttons.roster"), "p", branchId, "0")],
  ]);
}

async function pendingList(ctx: HandlerContext, branchId: string): Promise<OutgoingMessage[]> {
  const { t } = ctx;
  const result = await ctx.core.roster.listRoster(ctx.actor, branchId);
  if (!result.ok || !(await ctx.core.access.allows(ctx.actor, "join.decide", branchId))) return [message([text(t("common:forbidden"))])];
  if (result.pending.length === 0) return [message([text(t("roster:noPending"))], [[button(t("roster:buttons.roster"), "p", branchId, "0")]])];
  return result.pending.map((r) => joinRequestNotice(t, { requestId: r.id, name: r.name, claimName: r.claimName, branchName: r.branchName }));
}

async function onAction(ctx: HandlerContext): Promise<void> {
  const { t } = ctx;
  const payload = ro.decode(ctx.input);
  // Pages, cards and their choices replace the message whose button was pressed: paging
  // through the roster is one message that changes, not a new copy per tap.
  const reply = (m: OutgoingMessage) => ctx.edit(m);
  if (!payload) return reply(message([text(t("fallback:staleButton"))]));
  const { op, id, arg } = payload;
  // Every change to one member is checked here first, so even the choice lists are not shown to others.
  if (MEMBER_EDIT_OPS.has(op)) {
    const card = await ctx.core.roster.viewMember(ctx.actor, id);
    if (!card.ok || !(await ctx.core.access.allows(ctx.actor, "roster.edit", card.entry.branchId))) return reply(message([text(t("common:forbidden"))]));
  }
  switch (op) {
    case "p":
      return reply(await rosterPage(ctx, id, Number(arg) || 0));
    case "m":
      return reply(await memberCard(ctx, id));
    case "role":
      return reply(
        message(
          [text(t("roster:ask.role"))],
          [
            BRANCH_ROLES.slice(0, 2).map((r) => button(t(`common:roles.${r}`), "sr", id, r)),
            BRANCH_ROLES.slice(2).map((r) => button(t(`common:roles.${r}`), "sr", id, r)),
          ],
        ),
      );
    case "sr": {
      if (!(BRANCH_ROLES as readonly string[]).includes(arg)) return reply(message([text(t("fallback:staleButton"))]));
      const card = await ctx.core.roster.viewMember(ctx.actor, id);
      if (!card.ok) return reply(message([text(t("common:forbidden"))]));
      return afterChange(ctx, await ctx.core.roster.changeMember(ctx.actor, id, { from: card.today, role: arg as BranchRole }), id);
    }
    case "type":
      return reply(
        message([text(t("roster:ask.type"))], [MEMBER_TYPES.map((m) => button(t(`common:memberTypes.${m}`), "stt", id, m === "full" ? "full" : "prob"))]),
      );
    case "stt": {
      const memberType = TYPE_CODES[arg];
      const card = await ctx.core.roster.viewMember(ctx.actor, id);
      if (!memberType || !card.ok) return reply(message([text(t(card.ok ? "fallback:staleButton" : "common:forbidden"))]));
      return afterChange(ctx, await ctx.core.roster.changeMember(ctx.actor, id, { from: card.today, memberType }), id);
    }
    case "stat":
      return reply(
        message(
          [text(t("roster:ask.status"))],
          chunk(
            MEMBER_STATUSES.map((s) => button(t(`common:statuses.${s}`), "sst", id, statusCode(s))),
            1,
          ),
        ),
      );
    case "sst": {
      const status = STATUS_CODES[arg];
      const card = await ctx.core.roster.viewMember(ctx.actor, id);
      if (!status || !card.ok) return reply(message([text(t("fallback:staleButton"))]));
      const form = TIME_BOXED_STATUSES.has(status) ? timeBoxedStatusForm : plainStatusForm;
      return form.start(
        ctx,
        { membershipId: id, status },
        { today: card.today },
        t("roster:statusChosen", { name: card.entry.name, status: t(`common:statuses.${status}`) }),
      );
    }
    case "rc": {
      const result = await ctx.core.roster.setCallsRoll(ctx.actor, id, arg === "1");
      if (!result.ok) return reply(message([text(problemText(t, result.reason))], [[navigation(button(t("roster:buttons.back"), "m", id))]]));
      const said = t(result.entry.callsRoll ? "roster:rollCallAllowed" : "roster:rollCallStopped", { name: result.entry.name });
      const card = await memberCard(ctx, id);
      return reply({ ...card, blocks: [text(said), ...card.blocks] });
    }
    case "ph":
      return phoneForm.start(ctx, { membershipId: id });
    case "rm": {
      const card = await ctx.core.roster.viewMember(ctx.actor, id);
      if (!card.ok) return reply(message([text(t("common:forbidden"))]));
      return reply(
        message(
          [text(t("roster:confirmRemove", { name: card.entry.name }))],
          [[button(t("roster:buttons.confirmRemove"), "rmy", id), button(t("common:buttons.cancel"), "m", id)]],
        ),
      );
    }
    case "rmy": {
      const result = await ctx.core.roster.removeMember(ctx.actor, id);
      if (!result.ok) return reply(message([text(problemText(t, result.reason))], [[navigation(button(t("roster:buttons.back"), "m", id))]]));
      const erasable = result.entry.personId !== null || result.entry.phone !== null;
      return reply(
        message(
          [text(t("roster:removed", { name: result.entry.name }))],
          [...(erasable ? [[button(t("roster:buttons.erase"), "er", id)]] : []), [button(t("roster:buttons.roster"), "p", result.entry.branchId, "0")]],
        ),
      );
    }
    case "er": {
      const result = await ctx.core.roster.eraseContact(ctx.actor, id);
      return reply(message([text(result.ok ? t("roster:erased") : problemText(t, result.reason))]));
    }
    case "add":
      if (!(await ctx.core.access.allows(ctx.actor, "roster.edit", id))) return reply(message([text(t("common:forbidden"))]));
      return addForm.start(ctx, { branchId: id });
    case "imp":
      if (!(await ctx.core.access.allows(ctx.actor, "roster.import", id))) return reply(message([text(t("common:forbidden"))]));
      await ctx.dialog.start(IMPORT_DIALOG, { branchId: id }, 30);
      return reply(message([text(t("roster:import.instructions", { max: MAX_IMPORT_ROWS })), note(t("common:cancelHint"))]));
    case "csv":
    case "xlsx":
      return exportFile(ctx, id, op);
    case "inv":
    case "invn":
      return reply(await inviteCard(ctx, id, op === "invn"));
    case "invx": {
      const result = await ctx.core.roster.revokeInvites(ctx.actor, id);
      return reply(
        message(
          [text(result.ok ? t("roster:invite.revoked", { count: result.revoked }) : t("common:forbidden"))],
          [[button(t("roster:buttons.invite"), "inv", id)]],
        ),
      );
    }
    case "jq":
      for (const m of await pendingList(ctx, id)) await reply(m);
      return;
    default:
      return reply(message([text(t("fallback:staleButton"))]));
  }
}

const MEMBER_EDIT_OPS: ReadonlySet<RosterOp> = new Set(["role", "sr", "type", "stt", "stat", "sst", "rc", "ph", "rm", "rmy"]);

function chunk<T>(items: T[], size: number): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += size) rows.push(items.slice(i, i + size));
  return rows;
}

export const rosterFeature: Feature = {
  name: "roster",
  commands: {
    async thanhvien(ctx) {
      const branchId = await chooseBranch(ctx, "roster.view", "thanhvien");
      if (branchId) await ctx.reply(await rosterPage(ctx, branchId, 0));
    },
  },
  aliases: { thanhvien: ["thành viên", "danh sách", "danh sách đảng viên", "roster"] },
  actions: { [ro.prefix]: onAction },
  dialogs: {
    [plainStatusForm.kind]: plainStatusForm.handle,
    [timeBoxedStatusForm.kind]: timeBoxedStatusForm.handle,
    [phoneForm.kind]: phoneForm.handle,
    [addForm.kind]: addForm.handle,
    async [IMPORT_DIALOG](ctx) {
      const data = await dialogData(ctx, importState);
      if (!data) return;
      const { branchId, rows } = data;
      if (rows && !ctx.file) return confirmImport(ctx, branchId, rows, { added: data.added ?? rows.length, updated: data.updated ?? 0 });
      return receiveImportFile(ctx, branchId);
    },
  },
};
