import type { Locale } from "../src/core/locale.ts";
import type { UpcomingMeeting } from "../src/core/meetings/service.ts";
import type { Meeting, MeetingDocument, MeetingKind } from "../src/core/meetings/types.ts";
import { blockPlainText, list, message, note, text, title, type Action, type OutgoingMessage, type TextBlock } from "../src/core/message.ts";
import { payloadCodec } from "../src/core/payload.ts";
import type { Notice } from "../src/core/ports.ts";
import { parseTime } from "../src/core/branches/rules.ts";
import { formatDateTime, zonedInstant } from "../src/core/time.ts";
import type { Translate } from "../src/i18n.ts";
import { rsvpButtons, tallyButton } from "./attendance.ts";
import { chooseBranch } from "./framework/branch-choice.ts";
import type { Feature, HandlerContext, NoticeRenderers } from "./framework/context.ts";
import { confirmStep, dayAnswer, defineForm } from "./framework/form.ts";

/** Meeting buttons: an operation and the meeting (or branch) it is about. */
/** new a meeting · ics its calendar file · mg its tools · mv move · cx cancel · ed edit · ls the list. */
const MEETING_OPS = ["new", "ics", "mg", "mv", "cx", "ed", "ls"] as const;
const mt = payloadCodec("mt", ["op", "id"], { id: "uuid", op: MEETING_OPS });
const button = (label: string, op: (typeof MEETING_OPS)[number], id: string): Action => ({ label, payload: mt.encode({ op, id }) });

const when = (iso: string | Date, timezone: string, locale: Locale) => formatDateTime(new Date(iso), timezone, locale);

function kindTitle(t: Translate, kind: string): string {
  return t(`meetings:kinds.${kind}`);
}

/** Cuts a long text (an agenda, a topic) so that six meetings always fit one message. */
const clip = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value);

/** A meeting's time, place, topic, agenda and documents, each long text cut to `max`. */
function details(t: Translate, locale: Locale, meeting: Meeting, timezone: string, max = Infinity): string[] {
  const lines = [t("meetings:at", { when: when(meeting.startsAt, timezone, locale) })];
  if (meeting.place) lines.push(t("meetings:place", { place: clip(meeting.place, max) }));
  if (meeting.thematicTopic) lines.push(t("meetings:topic", { topic: clip(meeting.thematicTopic, max) }));
  if (meeting.agenda) lines.push(t("meetings:agenda", { agenda: clip(meeting.agenda, max) }));
  if (meeting.documents.length)
    lines.push(`${t("meetings:documents")} ${meeting.documents.map((d) => clip(d.url ? `${d.name} — ${d.url}` : d.name, max)).join("; ")}`);
  return lines;
}

/** Meetings /lichhop lists, and a text budget under Telegram's 4,096 characters for all of them. */
const SHOWN = 6;
const LIST_BUDGET = 3800;

/** The numbered list of coming meetings, with what the person answered to each they are expected at. */
function upcomingBlocks(t: Translate, locale: Locale, branchName: string, meetings: UpcomingMeeting[], timezone: string, legend: string): TextBlock[] {
  // A long agenda is cut harder until the whole list fits one message.
  for (const max of [300, 120, 40]) {
    const blocks: TextBlock[] = [title(t("meetings:upcomingTitle", { branch: branchName }))];
    meetings.forEach((meeting, index) => {
      const lines = details(t, locale, meeting, timezone, max);
      if (meeting.expected) lines.push(meeting.answer ? t(`meetings:yourAnswer.${meeting.answer}`) : t("meetings:yourAnswer.none"));
      blocks.push(title(t("meetings:listHeading", { n: index + 1, kind: kindTitle(t, meeting.kind) })), list(lines));
    });
    if (legend) blocks.push(note(legend));
    if (blocks.reduce((size, block) => size + blockPlainText(block).length + 2, 0) <= LIST_BUDGET || max === 40) return blocks;
  }
  return [];
}

/**
 * /lichhop: one message for every coming meeting (at most six), numbered, with one row of
 * small buttons per meeting — the answers for those expected at it, its calendar file, and
 * the committee's tally and the secretary's tools — so a list never takes several messages.
 */
async function showUpcoming(ctx: HandlerContext, branchId: string): Promise<void> {
  const { t } = ctx;
  const result = await ctx.core.meetings.upcoming(ctx.actor, branchId);
  if (!result.ok) return void (await ctx.reply(message([text(t("common:forbidden"))])));
  const newButton = result.canManage ? [[button(t("meetings:buttons.new"), "new", branchId)]] : [];
  if (result.meetings.length === 0) return void (await ctx.reply(message([text(t("meetings:none", { branch: result.branchName }))], newButton)));
  const meetings = result.meetings.slice(0, SHOWN);
  // Small buttons with a legend where they can be pressed; where they are typed by number, each
  // line says what it does ("7. Buổi 2: ✅ có mặt"), never a bare "7. 2 ✅".
  const labels = ctx.capabilities.buttons ? "short" : "worded";
  const short = (key: string, n: number) => t(`meetings:buttons.${labels}.${key}`, { n });
  const rows = meetings.map((meeting, index): Action[] => {
    const n = index + 1;
    const row: Action[] = [];
    if (meeting.expected) row.push(...rsvpButtons(t, meeting.id).map((b, i) => ({ ...b, label: short(ANSWER_KEYS[i]!, n) })));
    row.push(button(short("calendar", n), "ics", meeting.id));
    if (result.canTally) row.push({ ...tallyButton(t, meeting.id), label: short("tally", n) });
    if (result.canManage) row.push(button(short("manage", n), "mg", meeting.id));
    return row;
  });
  const legend = [
    ...(meetings.some((m) => m.expected) ? [t("meetings:legend.answers")] : []),
    t("meetings:legend.calendar"),
    ...(result.canTally ? [t("meetings:legend.tally")] : []),
    ...(result.canManage ? [t("meetings:legend.manage")] : []),
  ];
  const intro = ctx.capabilities.buttons ? t("meetings:legend.intro", { buttons: legend.join(" · ") }) : "";
  const blocks = upcomingBlocks(t, ctx.locale, result.branchName, meetings, result.timezone, intro);
  await ctx.reply(message(blocks, [...rows, ...newButton]));
}

const ANSWER_KEYS = ["yes", "no", "maybe"];

/** One meeting with the secretary's tools: who has answered, move, cancel, edit. */
function manageCard(t: Translate, locale: Locale, meeting: Meeting, timezone: string): OutgoingMessage {
  return message(
    [
      title(t("meetings:manageTitle", { kind: kindTitle(t, meeting.kind), when: when(meeting.startsAt, timezone, locale) })),
      list(details(t, locale, meeting, timezone)),
      note(t("meetings:manageHint")),
    ],
    [
      [tallyButton(t, meeting.id)],
      [button(t("meetings:buttons.move"), "mv", meeting.id), button(t("meetings:buttons.cancel"), "cx", meeting.id)],
      [button(t("meetings:buttons.edit"), "ed", meeting.id)],
      [button(t("meetings:buttons.calendar"), "ics", meeting.id), button(t("meetings:buttons.list"), "ls", meeting.branchId)],
    ],
  );
}

const timeStep = { name: "time", question: (t: Translate) => t("meetings:ask.time"), parse: (input: string) => parseTime(input) };
const dayStep = { name: "day", question: (t: Translate) => t("meetings:ask.day"), parse: (input: string) => dayAnswer(input) };

function startsAtOf(values: Record<string, unknown>, timezone: string): Date {
  return zonedInstant(String(values.day), String(values.time), timezone);
}

function problem(t: Translate, reason: string): OutgoingMessage {
  return message([text(reason === "forbidden" ? t("common:forbidden") : t(`meetings:problem.${reason}`))]);
}

const newMeetingForm = defineForm({
  kind: "meetings.new",
  ns: "meetings",
  steps: [
    {
      name: "kind",
      question: (t) => t("meetings:ask.kind"),
      choices: (t) => (["thematic", "extraordinary", "committee"] as const).map((k) => ({ label: kindTitle(t, k), value: k })),
      parse: (input) => (["thematic", "extraordinary", "committee"].includes(input) ? { ok: true, value: input } : { ok: false, reason: "kind" }),
    },
    dayStep,
    timeStep,
    {
      name: "place",
      question: (t) => t("meetings:ask.place"),
      parse: (input) => ({ ok: true, value: input.trim() === "-" ? null : input.trim().slice(0, 200) }),
    },
    { name: "agenda", question: (t) => t("meetings:ask.agenda"), parse: (input) => ({ ok: true, value: input.trim() === "-" ? null : input.trim() }) },
    confirmStep((t, v) =>
      [
        kindTitle(t, String(v.kind)),
        t("meetings:summaryWhen", { day: v.day, time: v.time }),
        v.place ? t("meetings:place", { place: v.place }) : "",
        v.agenda ? t("meetings:agenda", { agenda: v.agenda }) : "",
      ]
        .filter(Boolean)
        .join("\n"),
    ),
  ],
  async finish(ctx, values, extra) {
    const kind = values.kind as Exclude<MeetingKind, "regular">;
    const result = await ctx.core.meetings.createMeeting(ctx.actor, String(extra.branchId), {
      kind,
      startsAt: startsAtOf(values, String(extra.timezone)),
      place: (values.place as string | null) ?? null,
      agenda: (values.agenda as string | null) ?? null,
      thematicTopic: kind === "thematic" ? ((values.agenda as string | null) ?? null) : null,
    });
    if (!result.ok) return void (await ctx.reply(problem(ctx.t, result.reason)));
    await ctx.reply(message([text(ctx.t("meetings:created"))], [[button(ctx.t("meetings:buttons.list"), "ls", String(extra.branchId))]]));
  },
});

const moveForm = defineForm({
  kind: "meetings.move",
  ns: "meetings",
  steps: [dayStep, timeStep, confirmStep((t, v) => t("meetings:confirmMove", { day: v.day, time: v.time }))],
  async finish(ctx, values, extra) {
    const result = await ctx.core.meetings.moveMeeting(ctx.actor, String(extra.meetingId), startsAtOf(values, String(extra.timezone)));
    if (!result.ok) return void (await ctx.reply(problem(ctx.t, result.reason)));
    await ctx.reply(message([text(ctx.t("meetings:moved", { count: result.told }))]));
  },
});

const cancelForm = defineForm({
  kind: "meetings.cancel",
  ns: "meetings",
  steps: [
    {
      name: "reason",
      question: (t) => t("meetings:ask.reason"),
      parse: (input) => (input.length > 500 ? { ok: false, reason: "tooLong" } : { ok: true, value: input.trim() }),
    },
    confirmStep((t, v) => t("meetings:confirmCancel", { reason: v.reason })),
  ],
  async finish(ctx, values, extra) {
    const result = await ctx.core.meetings.cancelMeeting(ctx.actor, String(extra.meetingId), String(values.reason));
    if (!result.ok) return void (await ctx.reply(problem(ctx.t, result.reason)));
    await ctx.reply(message([text(ctx.t("meetings:cancelled", { count: result.told }))]));
  },
});

/** Place, agenda and documents: documents are lines "name — link" or just a name. */
const editForm = defineForm({
  kind: "meetings.edit",
  ns: "meetings",
  steps: [
    {
      name: "place",
      question: (t) => t("meetings:ask.placeEdit"),
      parse: (input) => ({ ok: true, value: input.trim() === "-" ? undefined : input.trim().slice(0, 200) }),
    },
    { name: "agenda", question: (t) => t("meetings:ask.agendaEdit"), parse: (input) => ({ ok: true, value: input.trim() === "-" ? undefined : input.trim() }) },
    {
      name: "documents",
      question: (t) => t("meetings:ask.documents"),
      parse: (input) => {
        if (input.trim() === "-") return { ok: true, value: undefined };
        const documents: MeetingDocument[] = input
          .split(/\r?\n/)
          .map((line) => line.trim())
          .filter(Boolean)
          .slice(0, 10)
          .map((line) => {
            const url = /(https?:\/\/\S+)/.exec(line)?.[1];
            const name =
              line
                .replace(url ?? "", "")
                .replace(/[—–-]\s*$/, "")
                .trim() ||
              url ||
              line;
            return url ? { name: name.slice(0, 150), url } : { name: name.slice(0, 150) };
          });
        return { ok: true, value: documents };
      },
    },
  ],
  async finish(ctx, values, extra) {
    const patch = {
      ...(values.place !== undefined ? { place: values.place as string } : {}),
      ...(values.agenda !== undefined ? { agenda: values.agenda as string } : {}),
      ...(values.documents !== undefined ? { documents: values.documents as MeetingDocument[] } : {}),
    };
    const result = await ctx.core.meetings.editMeeting(ctx.actor, String(extra.meetingId), patch);
    if (!result.ok) return void (await ctx.reply(problem(ctx.t, result.reason)));
    await ctx.reply(message([text(ctx.t("meetings:edited"))]));
  },
});

async function onAction(ctx: HandlerContext): Promise<void> {
  const { t } = ctx;
  const payload = mt.decode(ctx.input);
  if (!payload) return void (await ctx.reply(message([text(t("fallback:staleButton"))])));
  const { op, id } = payload;
  if (op === "ls") return showUpcoming(ctx, id);
  if (op === "ics") {
    const file = await ctx.core.meetings.calendarFile(ctx.actor, id);
    if (!file.ok) return void (await ctx.reply(problem(t, file.reason)));
    await ctx.reply({
      blocks: [text(t("meetings:calendarFile", { when: when(file.meeting.startsAt, file.timezone, ctx.locale) }))],
      attachment: {
        filename: `hop-chi-bo-${file.meeting.startsAt.toISOString().slice(0, 10)}.ics`,
        mimeType: "text/calendar",
        bytes: new TextEncoder().encode(file.ics),
        caption: t("meetings:calendarCaption", {
          kind: kindTitle(t, file.meeting.kind),
          branch: file.branchName,
          when: when(file.meeting.startsAt, file.timezone, ctx.locale),
        }),
      },
    });
    return;
  }
  if (op === "new") {
    const upcoming = await ctx.core.meetings.upcoming(ctx.actor, id);
    if (!upcoming.ok || !upcoming.canManage) return void (await ctx.reply(message([text(t("common:forbidden"))])));
    return newMeetingForm.start(ctx, { branchId: id, timezone: upcoming.timezone });
  }
  // The rest act on one meeting the secretary manages: the core checks again on saving.
  const file = await ctx.core.meetings.calendarFile(ctx.actor, id);
  if (!file.ok) return void (await ctx.reply(problem(t, file.reason)));
  const upcoming = await ctx.core.meetings.upcoming(ctx.actor, file.meeting.branchId);
  if (!upcoming.ok || !upcoming.canManage) return void (await ctx.reply(message([text(t("common:forbidden"))])));
  const intro = when(file.meeting.startsAt, file.timezone, ctx.locale);
  if (op === "mg") return void (await ctx.reply(manageCard(t, ctx.locale, file.meeting, file.timezone)));
  if (op === "mv") return moveForm.start(ctx, { meetingId: id, timezone: file.timezone }, {}, t("meetings:moving", { when: intro }));
  if (op === "cx") return cancelForm.start(ctx, { meetingId: id }, {}, t("meetings:cancelling", { when: intro }));
  if (op === "ed") return editForm.start(ctx, { meetingId: id }, {}, t("meetings:editing", { when: intro }));
  await ctx.reply(message([text(t("fallback:staleButton"))]));
}

type Params = Notice["params"];
const str = (value: unknown) => (value === null || value === undefined ? "" : String(value));

/** The notice (thông báo triệu tập): time, place, agenda, documents; supervisors are addressed as such. */
function noticeMessage(params: Params, t: Translate, locale: Locale, kind: "notice" | "reminder" | "committee"): OutgoingMessage {
  const at = when(str(params.startsAt), str(params.timezone), locale);
  const lines = [t("meetings:at", { when: at })];
  if (params.place) lines.push(t("meetings:place", { place: str(params.place) }));
  if (params.thematicTopic) lines.push(t("meetings:topic", { topic: str(params.thematicTopic) }));
  if (params.agenda) lines.push(t("meetings:agenda", { agenda: str(params.agenda) }));
  const blocks: TextBlock[] = [
    title(t(`meetings:notice.${kind}Title`, { branch: str(params.branchName), kind: kindTitle(t, str(params.meetingKind)).toLowerCase() })),
    list(lines),
  ];
  if (params.documents) {
    const documents = JSON.parse(str(params.documents)) as MeetingDocument[];
    blocks.push(text(t("meetings:documents")), list(documents.map((d) => (d.url ? `${d.name} — ${d.url}` : d.name))));
  }
  if (typeof params.tallyYes === "number") {
    blocks.push(text(t("meetings:notice.tally", { yes: params.tallyYes, no: params.tallyNo, maybe: params.tallyMaybe, none: params.tallyNone })));
  }
  if (params.supervisor) blocks.push(note(t("meetings:notice.forSupervisor")));
  else if (kind === "notice" && !params.group) blocks.push(note(t("meetings:notice.pleaseCome")));
  // Members answer right under the notice; the supervisor is informed, not summoned.
  const rows: Action[][] = params.supervisor ? [] : [rsvpButtons(t, str(params.meetingId))];
  if (!params.group) rows.push([button(t("meetings:buttons.calendar"), "ics", str(params.meetingId))]);
  return message(blocks, rows);
}

/** The notices this feature renders (see handlers/index.ts for the check that none is missing). */
export const meetingNotices = {
  "meeting.notice": (params, t, locale) => noticeMessage(params, t, locale, "notice"),
  "meeting.reminder": (params, t, locale) => noticeMessage(params, t, locale, "reminder"),
  "meeting.committee": (params, t, locale) => noticeMessage(params, t, locale, "committee"),
  "meeting.moved": (params, t, locale) =>
    message(
      [
        text(
          t("meetings:notice.moved", {
            branch: str(params.branchName),
            from: when(str(params.previousStartsAt), str(params.timezone), locale),
            to: when(str(params.startsAt), str(params.timezone), locale),
          }),
        ),
      ],
      [[button(t("meetings:buttons.calendar"), "ics", str(params.meetingId))]],
    ),
  "meeting.updated": (params, t, locale) =>
    message(
      [
        text(t("meetings:notice.updated", { branch: str(params.branchName), when: when(str(params.startsAt), str(params.timezone), locale) })),
        list([
          ...(params.place ? [t("meetings:place", { place: str(params.place) })] : []),
          ...(params.agenda ? [t("meetings:agenda", { agenda: str(params.agenda) })] : []),
        ]),
      ],
      [[button(t("meetings:buttons.calendar"), "ics", str(params.meetingId))]],
    ),
  "meeting.cancelled": (params, t, locale) =>
    message([
      text(t("meetings:notice.cancelled", { branch: str(params.branchName), when: when(str(params.startsAt), str(params.timezone), locale) })),
      ...(params.reason ? [text(t("meetings:notice.reason", { reason: str(params.reason) }))] : []),
    ]),
  "member.unreachable": (params, t) =>
    message([
      text(t("meetings:notice.unreachable", { name: str(params.name), channel: t(`me:channels.${str(params.channel)}`), branch: str(params.branchName) })),
    ]),
} satisfies Partial<NoticeRenderers>;

export const meetingsFeature: Feature = {
  name: "meetings",
  commands: {
    async lichhop(ctx) {
      const branchId = await chooseBranch(ctx, "meeting.view", "lichhop");
      if (branchId) await showUpcoming(ctx, branchId);
    },
  },
  aliases: { lichhop: ["lịch họp", "lịch", "họp", "lich hop"] },
  actions: { [mt.prefix]: onAction },
  dialogs: {
    [newMeetingForm.kind]: newMeetingForm.handle,
    [moveForm.kind]: moveForm.handle,
    [cancelForm.kind]: cancelForm.handle,
    [editForm.kind]: editForm.handle,
  },
  notices: meetingNotices,
};
