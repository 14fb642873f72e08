import type { Locale } from "../src/core/locale.ts";
import { list, message, note, text, title, type Action, type OutgoingMessage, type TextBlock } from "../src/core/message.ts";
import type { Notice } from "../src/core/ports.ts";
import { payloadCodec } from "../src/core/payload.ts";
import { SENDING_AT } from "../src/core/delivery/types.ts";
import { formatPercent } from "../src/core/numbers.ts";
import {
  checkDeadline,
  checkTaskText,
  matchOwner,
  MAX_RESOLUTION_TEXT,
  MAX_TASKS,
  parseDeadline,
  parseVotes,
  resolutionCode,
  voteExample,
  votesNeeded,
} from "../src/core/resolutions/rules.ts";
import type { ResolutionDesk } from "../src/core/resolutions/service.ts";
import type { ResolutionContent, TaskDraft } from "../src/core/resolutions/types.ts";
import { foldText } from "../src/core/text.ts";
import { daysBetween, formatDate, formatDateTime, formatDay, formatMonth, localDay } from "../src/core/time.ts";
import { writeMinutesDocx, writeResolutionDocx } from "../src/files/meeting-documents.ts";
import type { Translate } from "../src/i18n.ts";
import { chooseBranch } from "./framework/branch-choice.ts";
import { answerButton } from "./framework/command-button.ts";
import type { Feature, HandlerContext, NoticeRenderers } from "./framework/context.ts";
import { dialogData, uuid } from "./framework/dialog-data.ts";
import { z } from "zod";
import { isSkipAnswer } from "./framework/form.ts";
import { callList } from "./framework/call-list.ts";

/** The secretary's resolution desk: write, who has read, remind, documents. */
/** wt/wf write as text or by the form · rs who has read (rr: refreshed in place) · nu remind the unread · dm/dr the minutes, the resolution as DOCX. */
const DESK_OPS = ["wt", "wf", "rs", "rr", "nu", "dm", "dr"] as const;
type DeskOp = (typeof DESK_OPS)[number];
const nq = payloadCodec("nq", ["op", "meeting"], { op: DESK_OPS });
/** "Đã đọc" under a summary. */
const rd = payloadCodec("rd", ["meeting"]);
/** "Đã hoàn thành" under a task. */
const td = payloadCodec("td", ["task"]);

const DRAFT_DIALOG = "resolution.draft";

/** The minutes as DOCX, offered by the roll call once it is closed. */
export const minutesButton = (t: Translate, meetingId: string): Action => ({
  label: t("resolution:buttons.minutesDocx"),
  payload: nq.encode({ op: "dm", meeting: meetingId }),
});
const DONE_WORDS = new Set(["xong", "het", "done", "khong con", "0"]);

/**
 * The typed twins of “👁 Đã đọc” and “✔️ Đã hoàn thành”, compared without diacritics (no
 * other answer reads like them), after the courtesy words around them; "dạ đã đọc" folds to
 * "da da doc", whose leading "da"s both go, so the bare "doc" stands for it.
 */
const READ_WORDS = new Set(["doc", "da doc", "doc roi", "da doc roi", "da xem", "xem roi", "da xem roi", "read"]);
const TASK_DONE_WORDS = new Set(["xong", "da xong", "xong roi", "lam xong", "da lam xong", "hoan thanh", "da hoan thanh", "hoan thanh roi", "done"]);
const typedTwin = (input: string) =>
  foldText(input)
    .replace(/^(?:(?:da|thua|em|bac|toi|chau|con|anh|chi)\s+)+/, "")
    .replace(/(?:\s+(?:a|nhe|nha|ha))+$/, "");

const STAGES = ["body", "results", "task", "owner", "deadline", "notes", "votes", "confirm"] as const;
type Stage = (typeof STAGES)[number];

const taskDraft = z.object({ ownerMembershipId: z.string(), ownerName: z.string(), description: z.string(), dueOn: z.string() });
/** The resolution being written, as kept in the dialog state between answers. */
const draftState = z.object({
  meetingId: uuid,
  stage: z.enum(STAGES),
  content: z.object({
    format: z.enum(["text", "form"]),
    body: z.string().nullable(),
    results: z.string().nullable(),
    tasks: z.array(taskDraft),
    votes: z.object({ for: z.number(), against: z.number(), abstain: z.number() }).nullable(),
  }),
  /** The task being written: its text, then its owner, then its deadline. */
  task: taskDraft.partial().optional(),
  /** For checks while typing; the core checks everything again on sending. */
  counts: z.object({ present: z.number(), votersPresent: z.number(), votingBase: z.number() }),
  today: z.string(),
  owners: z.array(z.object({ membershipId: z.string(), name: z.string() })),
});
type Draft = z.infer<typeof draftState>;

const say = (ctx: HandlerContext, key: string, values: Record<string, unknown> = {}) => ctx.reply(message([text(ctx.t(key, values))]));

function problemKey(reason: string): string {
  return reason === "forbidden" ? "common:forbidden" : `resolution:problem.${reason}`;
}

// ——— Summary, as members read it ———

/** What the resolution says: the text, or the form's results, tasks and other content. */
function contentBlocks(
  content: Pick<ResolutionContent, "format" | "body" | "results"> & { tasks: Array<{ owner: string; description: string; dueOn: string }> },
  t: Translate,
): TextBlock[] {
  if (content.format === "text") return content.body ? [text(content.body)] : [];
  const blocks: TextBlock[] = [];
  if (content.results) blocks.push(text(t("resolution:summary.results")), text(content.results));
  if (content.tasks.length)
    blocks.push(
      text(t("resolution:summary.tasks")),
      list(content.tasks.map((task) => t("resolution:summary.task", { description: task.description, owner: task.owner, due: formatDay(task.dueOn) }))),
    );
  if (content.body) blocks.push(text(t("resolution:summary.notes")), text(content.body));
  return blocks;
}

function summaryBlocks(params: Notice["params"], t: Translate, locale: Locale): TextBlock[] {
  const startsAt = new Date(String(params.startsAt));
  const timezone = String(params.timezone);
  const blocks: TextBlock[] = [
    title(t(params.reminder ? "resolution:summary.reminderTitle" : "resolution:summary.title", { month: formatMonth(startsAt, timezone) })),
    text(
      t(typeof params.rate === "number" ? "resolution:summary.meetingWithRate" : "resolution:summary.meeting", {
        branch: String(params.branchName),
        date: formatDate(startsAt, timezone, locale),
        present: params.present,
        expected: params.expected,
        rate: typeof params.rate === "number" ? formatPercent(params.rate, locale) : "",
      }),
    ),
    ...contentBlocks(
      {
        format: params.format === "text" ? "text" : "form",
        body: params.body ? String(params.body) : null,
        results: params.results ? String(params.results) : null,
        // Notice parameters are flat values: the tasks travel as JSON.
        tasks: JSON.parse(String(params.tasks ?? "[]")) as Array<{ owner: string; description: string; dueOn: string }>,
      },
      t,
    ),
  ];
  if (params.votesFor !== null && params.votesFor !== undefined) {
    blocks.push(
      text(t("resolution:summary.vote", { for: params.votesFor, against: params.votesAgainst, abstain: params.votesAbstain, base: params.votingBase })),
    );
    blocks.push(text(t(params.valid ? "resolution:summary.passed" : "resolution:summary.notPassed")));
  }
  return blocks;
}

function summaryMessage(params: Notice["params"], t: Translate, locale: Locale): OutgoingMessage {
  const blocks = summaryBlocks(params, t, locale);
  blocks.push(note(t(params.supervisor ? "resolution:summary.forSupervisor" : "resolution:summary.readHint")));
  return message(blocks, [[{ label: t("resolution:buttons.read"), payload: rd.encode({ meeting: String(params.meetingId) }) }]]);
}

/**
 * A task reminder's title, from the time left when it is sent: planned for the morning before
 * the deadline, it may go out later (after downtime) and must not say "tomorrow" on the day.
 */
function reminderTitle(params: Notice["params"], t: Translate): string {
  const sendingAt = params[SENDING_AT];
  // Rendered outside the sender (a preview): no moment of sending to count from.
  if (typeof sendingAt !== "string") return t("resolution:task.reminderTitle");
  const left = daysBetween(localDay(new Date(sendingAt), String(params.timezone)), String(params.dueOn));
  if (left < 0) return t("resolution:task.overdue", { count: -left });
  if (left === 0) return t("resolution:task.dueToday");
  if (left === 1) return t("resolution:task.dueTomorrow");
  return t("resolution:task.dueInDays", { count: left });
}

function taskMessage(params: Notice["params"], t: Translate, locale: Locale, reminder: boolean): OutgoingMessage {
  const startsAt = new Date(String(params.startsAt));
  return message(
    [
      title(reminder ? reminderTitle(params, t) : t("resolution:task.title")),
      text(
        t("resolution:task.body", {
          description: String(params.description),
          due: formatDay(String(params.dueOn)),
          branch: String(params.branchName),
          date: formatDate(startsAt, String(params.timezone), locale),
        }),
      ),
      note(t("resolution:task.hint")),
    ],
    [[{ label: t("resolution:buttons.taskDone"), payload: td.encode({ task: String(params.taskId) }) }]],
  );
}

// ——— The secretary's desk ———

function deskMessage(ctx: HandlerContext, desk: ResolutionDesk): OutgoingMessage {
  const { t } = ctx;
  const { meeting, counts } = desk;
  const when = formatDateTime(meeting.startsAt, desk.timezone, ctx.locale);
  const blocks = [
    title(t("resolution:desk.title", { branch: desk.branchName, when })),
    text(
      t("resolution:desk.counts", {
        present: counts.present,
        expected: counts.expected,
        rate: formatPercent(counts.rate, ctx.locale),
        base: counts.votingBase,
        needed: votesNeeded(counts.votingBase),
      }),
    ),
  ];
  const button = (key: string, op: DeskOp): Action => ({ label: t(`resolution:buttons.${key}`), payload: nq.encode({ op, meeting: meeting.id }) });
  if (desk.existing) {
    const sent = formatDateTime(desk.existing.createdAt, desk.timezone, ctx.locale);
    blocks.push(text(t("resolution:desk.sent", { code: resolutionCode(desk.existing.number), when: sent, tasks: desk.existing.tasks.length })));
    return message(blocks, [[button("readers", "rs")], [button("minutesDocx", "dm"), button("resolutionDocx", "dr")]]);
  }
  blocks.push(text(t("resolution:desk.howTo")));
  return message(blocks, [[button("writeText", "wt"), button("writeForm", "wf")], [button("minutesDocx", "dm")]]);
}

async function startDraft(ctx: HandlerContext, meetingId: string, format: "text" | "form"): Promise<void> {
  const result = await ctx.core.resolutions.desk(ctx.actor, { meetingId });
  if (!result.ok) return say(ctx, problemKey(result.reason));
  const { desk } = result;
  if (desk.existing) return say(ctx, "resolution:problem.exists");
  const draft: Draft = {
    meetingId,
    stage: format === "text" ? "body" : "results",
    content: { format, body: null, results: null, tasks: [], votes: null },
    counts: { present: desk.counts.present, votersPresent: desk.counts.votersPresent, votingBase: desk.counts.votingBase },
    today: localDay(ctx.now, desk.timezone),
    owners: desk.owners,
  };
  await ask(ctx, draft);
}

// ——— The draft dialog: one question at a time, kept in Postgres until it is sent ———

async function ask(ctx: HandlerContext, draft: Draft, prefix?: string): Promise<void> {
  await ctx.dialog.start(DRAFT_DIALOG, draft as unknown as Record<string, unknown>, 120);
  const { t } = ctx;
  const blocks: TextBlock[] = prefix ? [text(prefix)] : [];
  const rows: Action[][] = [];
  const number = draft.content.tasks.length + 1;
  switch (draft.stage) {
    case "body":
      blocks.push(text(t(draft.content.body ? "resolution:ask.bodyMore" : "resolution:ask.body", { length: draft.content.body?.length ?? 0 })));
      if (draft.content.body) rows.push([answerButton(t("resolution:buttons.bodyDone"), "xong")]);
      break;
    case "results":
      blocks.push(text(t("resolution:ask.results")));
      rows.push([answerButton(t("resolution:buttons.skip"), "-")]);
      break;
    case "task":
      blocks.push(text(t(number === 1 ? "resolution:ask.firstTask" : "resolution:ask.nextTask", { number })));
      rows.push([answerButton(t(number === 1 ? "resolution:buttons.noTasks" : "resolution:buttons.tasksDone"), "xong")]);
      break;
    case "owner":
      blocks.push(text(t("resolution:ask.owner", { task: draft.task?.description ?? "" })));
      for (let i = 0; i < Math.min(draft.owners.length, 30); i += 2) rows.push(draft.owners.slice(i, i + 2).map((o) => answerButton(o.name, o.name)));
      break;
    case "deadline":
      blocks.push(text(t("resolution:ask.deadline", { owner: draft.task?.ownerName ?? "" })));
      break;
    case "notes":
      blocks.push(text(t("resolution:ask.notes")));
      rows.push([answerButton(t("resolution:buttons.skip"), "-")]);
      break;
    case "votes":
      blocks.push(
        text(
          t("resolution:ask.votes", { voters: draft.counts.votersPresent, base: draft.counts.votingBase, example: voteExample(draft.counts.votersPresent) }),
        ),
      );
      break;
    case "confirm": {
      const c = draft.content;
      const votesFor = c.votes?.for ?? 0;
      const needed = votesNeeded(draft.counts.votingBase);
      blocks.push(
        text(t("resolution:ask.preview")),
        ...contentBlocks({ ...c, tasks: c.tasks.map((task) => ({ owner: task.ownerName, description: task.description, dueOn: task.dueOn })) }, t),
      );
      blocks.push(
        text(t(votesFor >= needed ? "resolution:verdict.valid" : "resolution:verdict.invalid", { for: votesFor, base: draft.counts.votingBase, needed })),
      );
      blocks.push(text(t("resolution:ask.send")));
      rows.push([answerButton(t("resolution:buttons.send"), "gui"), answerButton(t("common:buttons.cancel"), "huy")]);
      break;
    }
  }
  blocks.push(note(t("common:cancelHint")));
  await ctx.reply(message(blocks, rows));
}

type Step = { ok: true; draft: Draft } | { ok: false; reason: string; values?: Record<string, unknown> };

/** One answer moves the draft one step on, or says what is wrong with it. */
function advance(draft: Draft, input: string): Step {
  const folded = foldText(input);
  const skip = isSkipAnswer(input);
  const c = draft.content;
  const next = (stage: Stage, change: Partial<Draft> = {}): Step => ({ ok: true, draft: { ...draft, ...change, stage } });
  switch (draft.stage) {
    case "body": {
      if (DONE_WORDS.has(folded) && c.body) return next("votes");
      // Long texts arrive in several messages (Telegram cuts at 4,096 characters): they are joined.
      const body = c.body ? `${c.body}\n\n${input.trim()}` : input.trim();
      if (body.length > MAX_RESOLUTION_TEXT) return { ok: false, reason: "too_long", values: { max: MAX_RESOLUTION_TEXT } };
      return next("body", { content: { ...c, body } });
    }
    case "results":
      if (input.length > MAX_RESOLUTION_TEXT) return { ok: false, reason: "too_long", values: { max: MAX_RESOLUTION_TEXT } };
      return next("task", { content: { ...c, results: skip ? null : input.trim() } });
    case "task": {
      if (DONE_WORDS.has(folded) || skip) return next("notes");
      if (c.tasks.length >= MAX_TASKS) return { ok: false, reason: "too_many_tasks", values: { max: MAX_TASKS } };
      const checked = checkTaskText(input);
      if (!checked.ok) return { ok: false, reason: checked.reason };
      return next("owner", { task: { description: checked.description } });
    }
    case "owner": {
      const match = matchOwner(input, draft.owners);
      if (!match.ok) return { ok: false, reason: match.reason, values: { name: input.trim(), candidates: match.candidates.map((o) => o.name).join(", ") } };
      return next("deadline", { task: { ...draft.task, ownerMembershipId: match.owner.membershipId, ownerName: match.owner.name } });
    }
    case "deadline": {
      const dueOn = parseDeadline(input, draft.today);
      if (!dueOn) return { ok: false, reason: "deadline_format" };
      const checked = checkDeadline(dueOn, draft.today);
      if (!checked.ok) return { ok: false, reason: checked.reason, values: { today: formatDay(draft.today) } };
      const task = { ...draft.task, dueOn } as TaskDraft;
      return next("task", { content: { ...c, tasks: [...c.tasks, task] }, task: undefined });
    }
    case "notes":
      if (input.length > MAX_RESOLUTION_TEXT) return { ok: false, reason: "too_long", values: { max: MAX_RESOLUTION_TEXT } };
      if (!skip && !input.trim()) return { ok: false, reason: "empty" };
      if (skip && !c.results && c.tasks.length === 0) return { ok: false, reason: "empty" };
      return next("votes", { content: { ...c, body: skip ? null : input.trim() } });
    case "votes": {
      const parsed = parseVotes(input);
      if (!parsed.ok) return { ok: false, reason: parsed.reason, values: { example: voteExample(draft.counts.votersPresent) } };
      const total = parsed.votes.for + parsed.votes.against + parsed.votes.abstain;
      if (total > draft.counts.votersPresent) return { ok: false, reason: "more_than_voters", values: { total, voters: draft.counts.votersPresent } };
      return next("confirm", { content: { ...c, votes: parsed.votes } });
    }
    case "confirm":
      return { ok: false, reason: "confirm" };
  }
}

async function onDraftAnswer(ctx: HandlerContext): Promise<void> {
  const draft = await dialogData(ctx, draftState);
  if (!draft) return;
  if (draft.stage === "confirm") {
    const folded = foldText(ctx.input);
    if (["gui", "co", "yes", "1", "dong y", "send"].includes(folded)) return send(ctx, draft);
    if (["khong", "no", "2"].includes(folded)) {
      await ctx.dialog.clear();
      return say(ctx, "common:dialogCancelled");
    }
  }
  if (!ctx.input.trim()) return ask(ctx, draft, ctx.t("common:answerEmpty"));
  const step = advance(draft, ctx.input);
  if (!step.ok) return ask(ctx, draft, ctx.t(`resolution:invalid.${step.reason}`, step.values ?? {}));
  await ask(ctx, step.draft);
}

async function send(ctx: HandlerContext, draft: Draft): Promise<void> {
  const { t } = ctx;
  const result = await ctx.core.resolutions.adopt(ctx.actor, draft.meetingId, draft.content);
  await ctx.dialog.clear();
  // Something changed since the draft began (an owner left the roster, a day passed): it is written again.
  if (!result.ok) return say(ctx, problemKey(result.reason));
  const lines = [
    t(result.valid === false ? "resolution:adopted.notPassed" : "resolution:adopted.passed"),
    t("resolution:adopted.sending", { count: result.sent }),
  ];
  const blocks: TextBlock[] = [title(t("resolution:adopted.title", { code: resolutionCode(result.number) })), text(lines.join("\n"))];
  if (result.unreachable.length) blocks.push(text(t("resolution:adopted.unreachable")), list(callList(t, result.unreachable)));
  const button = (key: string, op: DeskOp): Action => ({ label: t(`resolution:buttons.${key}`), payload: nq.encode({ op, meeting: draft.meetingId }) });
  await ctx.reply(message(blocks, [[button("readers", "rs")], [button("minutesDocx", "dm"), button("resolutionDocx", "dr")]]));
}

// ——— Reading: who has read, reminders, documents ———

async function readersMessage(ctx: HandlerContext, meetingId: string): Promise<OutgoingMessage> {
  const { t } = ctx;
  const result = await ctx.core.resolutions.readers(ctx.actor, meetingId);
  if (!result.ok) return message([text(t(problemKey(result.reason)))]);
  const r = result.readers;
  // A supervisor reads the summary too; named as such, not taken for a member.
  const who = (name: string) => (r.supervisors.includes(name) ? t("resolution:readers.supervisor", { name }) : name);
  const blocks: TextBlock[] = [
    title(t("resolution:readers.title", { when: formatDateTime(r.meeting.startsAt, r.timezone, ctx.locale) })),
    text(t("resolution:readers.counts", { read: r.read.length, unread: r.unread.length, noAccount: r.noAccount.length })),
  ];
  if (r.read.length)
    blocks.push(text(t("resolution:readers.read")), list(r.read.map((x) => `${who(x.name)} (${formatDateTime(x.at, r.timezone, ctx.locale)})`)));
  if (r.unread.length) blocks.push(text(t("resolution:readers.unread")), list(r.unread.map(who)));
  if (r.noAccount.length) blocks.push(text(t("resolution:readers.noAccount")), list(callList(t, r.noAccount)));
  if (r.optedOut.length) blocks.push(text(t("resolution:readers.optedOut")), list(r.optedOut));
  const rows: Action[][] = [];
  if (r.unread.length) rows.push([{ label: t("resolution:buttons.nudge"), payload: nq.encode({ op: "nu", meeting: meetingId }) }]);
  rows.push([{ label: t("resolution:buttons.refresh"), payload: nq.encode({ op: "rr", meeting: meetingId }) }]);
  return message(blocks, rows);
}

async function sendDocument(ctx: HandlerContext, meetingId: string, document: "minutes" | "resolution"): Promise<void> {
  const result = await ctx.core.resolutions.documentData(ctx.actor, meetingId, document);
  if (!result.ok) return say(ctx, problemKey(result.reason));
  const write = document === "minutes" ? writeMinutesDocx : writeResolutionDocx;
  const bytes = await write(result.data, ctx.t, ctx.locale);
  const { data } = result;
  const day = localDay(data.startsAt, data.timezone);
  const name = document === "minutes" ? "bien-ban" : "nghi-quyet";
  const about = { kind: ctx.t(`meetings:kinds.${data.meetingKind}`), date: formatDate(data.startsAt, data.timezone, ctx.locale), branch: data.branchName };
  const caption =
    data.resolution && document === "resolution"
      ? ctx.t("resolution:documents.resolutionCaption", { ...about, code: resolutionCode(data.resolution.number) })
      : ctx.t("resolution:documents.minutesCaption", about);
  await ctx.reply({
    blocks: [text(ctx.t(`resolution:documents.${document}`))],
    attachment: { filename: `${name}-${day}.docx`, mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", bytes, caption },
  });
}

async function onDesk(ctx: HandlerContext): Promise<void> {
  const payload = nq.decode(ctx.input);
  if (!payload) return say(ctx, "fallback:staleButton");
  const { op, meeting } = payload;
  switch (op) {
    case "wt":
    case "wf":
      return startDraft(ctx, meeting, op === "wt" ? "text" : "form");
    case "rs":
      return void (await ctx.reply(await readersMessage(ctx, meeting)));
    case "rr":
      return void (await ctx.edit(await readersMessage(ctx, meeting)));
    case "nu": {
      const result = await ctx.core.resolutions.nudgeUnread(ctx.actor, meeting);
      return say(ctx, result.ok ? "resolution:nudged" : problemKey(result.reason), result.ok ? { count: result.sent } : {});
    }
    case "dm":
      return sendDocument(ctx, meeting, "minutes");
    case "dr":
      return sendDocument(ctx, meeting, "resolution");
  }
  await say(ctx, "fallback:staleButton");
}

/** /nghiquyet: the secretary's desk; for everyone else (and below a secretary's problem), the latest resolution. */
async function nghiquyet(ctx: HandlerContext): Promise<void> {
  const branchId = await chooseBranch(ctx, "resolution.read", "nghiquyet");
  if (!branchId) return;
  const secretary = await ctx.core.access.allows(ctx.actor, "resolution.send", branchId);
  if (secretary) {
    const result = await ctx.core.resolutions.desk(ctx.actor, { branchId });
    if (result.ok) return void (await ctx.reply(deskMessage(ctx, result.desk)));
    await say(ctx, problemKey(result.reason));
  }
  const latest = await ctx.core.resolutions.latest(ctx.actor, branchId);
  if (!latest.ok) return secretary ? undefined : say(ctx, problemKey(latest.reason));
  const shown = summaryMessage(latest.notice.params, ctx.t, ctx.locale);
  const docx: Action = { label: ctx.t("resolution:buttons.resolutionDocx"), payload: nq.encode({ op: "dr", meeting: latest.resolution.meetingId }) };
  await ctx.reply({ ...shown, actions: [...(latest.read ? [] : (shown.actions ?? [])), [docx]] });
}

/** The notices this feature renders (see handlers/index.ts for the check that none is missing). */
export const resolutionNotices = {
  "resolution.summary": summaryMessage,
  "task.assigned": (params, t, locale) => taskMessage(params, t, locale, false),
  "task.reminder": (params, t, locale) => taskMessage(params, t, locale, true),
  "task.done": (params, t) =>
    message([text(t("resolution:task.doneNotice", { owner: String(params.owner), description: String(params.description), by: String(params.by) }))]),
} satisfies Partial<NoticeRenderers>;

export const resolutionsFeature: Feature = {
  name: "resolution",
  commands: { nghiquyet },
  aliases: { nghiquyet: ["nghị quyết"] },
  actions: {
    [nq.prefix]: onDesk,
    async [rd.prefix](ctx) {
      const payload = rd.decode(ctx.input);
      if (!payload) return say(ctx, "fallback:staleButton");
      const result = await ctx.core.resolutions.markRead(ctx.actor, payload.meeting);
      if (!result.ok) return say(ctx, problemKey(result.reason));
      await ctx.toast(ctx.t("resolution:readToast"));
      await say(ctx, result.first ? "resolution:readThanks" : "resolution:readAlready");
    },
    async [td.prefix](ctx) {
      const payload = td.decode(ctx.input);
      if (!payload) return say(ctx, "fallback:staleButton");
      const result = await ctx.core.resolutions.completeTask(ctx.actor, payload.task);
      if (!result.ok) return say(ctx, problemKey(result.reason));
      await say(ctx, result.first ? "resolution:task.doneThanks" : "resolution:task.doneAlready", { description: result.description });
    },
  },
  dialogs: { [DRAFT_DIALOG]: onDraftAnswer },
  // "đã đọc", "xong" typed in a private chat do what the buttons do (Zalo has none).
  async text(ctx) {
    if (ctx.inbound.chat.kind !== "private") return false;
    const said = typedTwin(ctx.input);
    if (READ_WORDS.has(said)) {
      const summary = await ctx.core.resolutions.summaryToRead(ctx.actor);
      if (!summary) return false;
      const result = await ctx.core.resolutions.markRead(ctx.actor, summary.meetingId);
      if (!result.ok) return false;
      await say(ctx, result.first ? "resolution:readThanks" : "resolution:readAlready");
      return true;
    }
    if (!TASK_DONE_WORDS.has(said)) return false;
    const open = await ctx.core.resolutions.openTasks(ctx.actor);
    if (open.length === 0) return false;
    if (open.length === 1) {
      const result = await ctx.core.resolutions.completeTask(ctx.actor, open[0]!.id);
      if (!result.ok) return false;
      await say(ctx, result.first ? "resolution:task.doneThanks" : "resolution:task.doneAlready", { description: result.description });
      return true;
    }
    // Several: which one? Each is its own button (numbered where the channel has none).
    await ctx.reply(
      message(
        [text(ctx.t("resolution:task.whichDone"))],
        open.slice(0, 8).map((task) => [
          {
            label: ctx.t("resolution:task.doneChoice", { description: task.description.slice(0, 40), due: formatDay(task.dueOn) }),
            payload: td.encode({ task: task.id }),
          },
        ]),
      ),
    );
    return true;
  },
  notices: resolutionNotices,
};
