import type { RollCallLine, RollCallView } from "../src/core/attendance/roll-call.ts";
import { list, message, note, text, title, type Action, type OutgoingMessage } from "../src/core/message.ts";
import { payloadCodec } from "../src/core/payload.ts";
import { boundReason, MAX_REASON } from "../src/core/attendance/rules.ts";
import { formatDateTime } from "../src/core/time.ts";
import type { Translate } from "../src/i18n.ts";
import { chooseBranch } from "./framework/branch-choice.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";
import { commandButton } from "./framework/command-button.ts";
import { defineForm, isSkipAnswer } from "./framework/form.ts";
import { minutesButton } from "./resolutions.ts";

/**
 * Roll call buttons. Two UUIDs do not fit Telegram's 64 bytes, so a member is named by the
 * first 8 characters of their roster id, unique enough within one branch and checked.
 */
const dc = payloadCodec("dc", ["op", "meeting", "member", "page"]);
const PAGE = 10;
const short = (id: string) => id.slice(0, 8);
const button = (label: string, op: string, meeting: string, member = "", page = 0): Action => ({ label, payload: dc.encode({ op, meeting, member, page: String(page) }) });

function lineText(t: Translate, line: RollCallLine): string {
  if (!line.expected && !line.present) return t("rollcall:line.notExpected", { name: line.name });
  if (line.present) return t(line.checkedIn ? "rollcall:line.checkedIn" : "rollcall:line.present", { name: line.name });
  if (line.absence === "excused") return t("rollcall:line.excused", { name: line.name, reason: line.reason ?? t("rollcall:noReason") });
  if (line.absence === "unexcused") return t("rollcall:line.unexcused", { name: line.name });
  return line.reason ? t("rollcall:line.undecidedWithReason", { name: line.name, reason: line.reason }) : t("rollcall:line.undecided", { name: line.name });
}

function page(ctx: HandlerContext, v: RollCallView, pageIndex: number): OutgoingMessage {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(v.lines.length / PAGE));
  const current = Math.min(Math.max(pageIndex, 0), pages - 1);
  const slice = v.lines.slice(current * PAGE, (current + 1) * PAGE);
  const c = v.counts;
  const when = formatDateTime(v.meeting.startsAt, v.timezone, ctx.locale);
  const blocks = [
    title(t("rollcall:title", { branch: v.branchName, when })),
    text(
      t("rollcall:counts", {
        present: c.present,
        expected: c.expected,
        rate: c.rate === null ? "—" : `${Math.round(c.rate * 100)}%`,
        excused: c.absentExcused.length,
        unexcused: c.absentUnexcused.length,
        undecided: c.absentUndecided.length,
        guests: c.guests,
      }),
    ),
    list(slice.map((l, i) => `${current * PAGE + i + 1}. ${lineText(t, l)}`)),
  ];
  // After closing only the secretary and deputy change it (and the audit log keeps it).
  const marks = v.canMark && (!v.closed || v.canManage);
  blocks.push(note(t(v.closed ? "rollcall:closedNote" : marks ? "rollcall:hint" : "rollcall:viewOnly")));
  const rows: Action[][] = [];
  if (marks) {
    const toggles = slice.map((l, i) => button(`${current * PAGE + i + 1} ${l.present ? "✅" : "❌"}`, "t", v.meeting.id, short(l.membershipId), current));
    for (let i = 0; i < toggles.length; i += 5) rows.push(toggles.slice(i, i + 5));
  }
  const nav: Action[] = [];
  if (current > 0) nav.push(button(t("common:buttons.previous"), "p", v.meeting.id, "", current - 1));
  if (current < pages - 1) nav.push(button(t("common:buttons.next"), "p", v.meeting.id, "", current + 1));
  if (nav.length) rows.push(nav);
  if (v.canManage) {
    rows.push([button(t("rollcall:buttons.absences"), "ab", v.meeting.id), button(t("rollcall:buttons.guest"), "g", v.meeting.id)]);
    if (!v.closed) rows.push([button(t("rollcall:buttons.code"), "code", v.meeting.id), button(t("rollcall:buttons.close"), "cl", v.meeting.id)]);
  } else if (marks) rows.push([button(t("rollcall:buttons.guest"), "g", v.meeting.id)]);
  if (v.closed) rows.push([minutesButton(t, v.meeting.id)]);
  return message(blocks, rows);
}

/** Every absent expected member with the secretary's two choices: reason accepted or not. */
function absences(ctx: HandlerContext, v: RollCallView): OutgoingMessage {
  const { t } = ctx;
  const absent = v.lines.filter((l) => l.expected && !l.present);
  if (absent.length === 0) return message([text(t("rollcall:noAbsences"))], [[button(t("rollcall:buttons.back"), "p", v.meeting.id)]]);
  const rows: Action[][] = absent.slice(0, 30).map((l) => [
    button(`${l.absence === "excused" ? "●" : "○"} ${t("rollcall:buttons.excused", { name: l.name })}`, "ex", v.meeting.id, short(l.membershipId)),
    button(`${l.absence === "unexcused" ? "●" : "○"} ${t("rollcall:buttons.unexcused")}`, "un", v.meeting.id, short(l.membershipId)),
  ]);
  rows.push([button(t("rollcall:buttons.back"), "p", v.meeting.id)]);
  return message([title(t("rollcall:absencesTitle")), list(absent.map((l) => lineText(t, l))), note(t("rollcall:absencesHint"))], rows);
}

const guestForm = defineForm({
  kind: "rollcall.guest",
  ns: "rollcall",
  steps: [{ name: "name", question: (t) => t("rollcall:ask.guest"), parse: (input) => ({ ok: true, value: input }) }],
  async finish(ctx, values, extra) {
    const result = await ctx.core.rollCall.addGuest(ctx.actor, String(extra.meetingId), String(values.name));
    if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason)));
    await show(ctx, String(extra.meetingId), 0);
  },
});

/** An absence accepted as excused with no reason given: the secretary may write one in. */
const reasonForm = defineForm({
  kind: "rollcall.reason",
  ns: "rollcall",
  steps: [
    {
      name: "reason",
      question: (t, values) => t("rollcall:ask.reason", { name: String(values.name) }),
      choices: (t) => [{ label: t("rollcall:buttons.noReason"), value: "-" }],
      parse: (input) => ({ ok: true, value: isSkipAnswer(input) ? "" : boundReason(input) }),
    },
  ],
  async finish(ctx, values, extra) {
    const meetingId = String(extra.meetingId);
    const given = values.reason as { reason: string; truncated: boolean } | "";
    const change = given ? { absence: "excused" as const, reason: given.reason } : { absence: "excused" as const };
    const result = await ctx.core.rollCall.mark(ctx.actor, meetingId, String(extra.membershipId), change);
    if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason)));
    if (given && given.truncated) await ctx.reply(message([note(ctx.t("rollcall:reasonTruncated", { max: MAX_REASON }))]));
    const after = await ctx.core.rollCall.view(ctx.actor, meetingId);
    await ctx.reply(after.ok ? absences(ctx, after.view) : problem(ctx, after.reason));
  },
});

function problem(ctx: HandlerContext, reason: string, names: string[] = []): OutgoingMessage {
  return message([text(reason === "forbidden" ? ctx.t("common:forbidden") : ctx.t(`rollcall:problem.${reason}`, { names: names.join(", ") }))]);
}

async function show(ctx: HandlerContext, meetingId: string, pageIndex: number): Promise<void> {
  const result = await ctx.core.rollCall.view(ctx.actor, meetingId);
  await ctx.reply(result.ok ? page(ctx, result.view, pageIndex) : problem(ctx, result.reason));
}

async function onAction(ctx: HandlerContext): Promise<void> {
  const payload = dc.decode(ctx.input);
  if (!payload) return void (await ctx.reply(message([text(ctx.t("fallback:staleButton"))])));
  const { op, meeting, member } = payload;
  const pageIndex = Number(payload.page) || 0;
  const current = await ctx.core.rollCall.view(ctx.actor, meeting);
  if (!current.ok) return void (await ctx.reply(problem(ctx, current.reason)));
  const matches = current.view.lines.filter((l) => member && l.membershipId.startsWith(member));
  const target = matches.length === 1 ? matches[0] : undefined;
  switch (op) {
    case "p":
      return void (await ctx.reply(page(ctx, current.view, pageIndex)));
    case "t":
    case "ex":
    case "un": {
      if (!target) return void (await ctx.reply(message([text(ctx.t("fallback:staleButton"))])));
      // Accepting an absence nobody gave a reason for: ask the secretary for it first.
      if (op === "ex" && !target.reason && current.view.canManage) return reasonForm.start(ctx, { meetingId: meeting, membershipId: target.membershipId }, { name: target.name });
      const change = op === "t" ? { present: !target.present } : { absence: op === "ex" ? ("excused" as const) : ("unexcused" as const) };
      const result = await ctx.core.rollCall.mark(ctx.actor, meeting, target.membershipId, change);
      if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason)));
      if (result.overrode) await ctx.reply(message([note(ctx.t("rollcall:overrode", { name: target.name, other: result.overrode }))]));
      const after = await ctx.core.rollCall.view(ctx.actor, meeting);
      if (!after.ok) return;
      return void (await ctx.reply(op === "t" ? page(ctx, after.view, pageIndex) : absences(ctx, after.view)));
    }
    case "ab":
      return void (await ctx.reply(absences(ctx, current.view)));
    case "g":
      return guestForm.start(ctx, { meetingId: meeting });
    case "code": {
      const result = await ctx.core.rollCall.startCheckIn(ctx.actor, meeting);
      if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason)));
      return void (await ctx.reply(message([title(ctx.t("rollcall:codeTitle", { code: result.code })), text(ctx.t("rollcall:codeHint", { until: formatDateTime(result.expiresAt, current.view.timezone, ctx.locale) }))])));
    }
    case "cl": {
      const result = await ctx.core.rollCall.close(ctx.actor, meeting);
      if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason, "names" in result ? result.names : [])));
      const c = result.counts;
      return void (await ctx.reply(
        message([
          title(ctx.t("rollcall:closed")),
          list([
            ctx.t("rollcall:summary.total", { total: c.total, full: c.full, probationary: c.probationary }),
            ctx.t("rollcall:summary.expected", { expected: c.expected, exempt: c.exempt, transferredOut: c.transferredOut, attached: c.attached }),
            ctx.t("rollcall:summary.present", { present: c.present, rate: c.rate === null ? "—" : `${Math.round(c.rate * 100)}%`, guests: c.guests }),
            ctx.t("rollcall:summary.excused", { count: c.absentExcused.length, names: c.absentExcused.map((a) => (a.reason ? `${a.name} (${a.reason})` : a.name)).join(", ") || "—" }),
            ctx.t("rollcall:summary.unexcused", { count: c.absentUnexcused.length, names: c.absentUnexcused.join(", ") || "—" }),
            ctx.t("rollcall:summary.votingBase", { base: c.votingBase }),
          ]),
          note(ctx.t("rollcall:nextSteps")),
        ], [[minutesButton(ctx.t, meeting), commandButton(ctx.t("rollcall:buttons.resolution"), "nghiquyet")]]),
      ));
    }
  }
  await ctx.reply(message([text(ctx.t("fallback:staleButton"))]));
}

export const rollCallFeature: Feature = {
  name: "rollcall",
  commands: {
    async diemdanh(ctx) {
      const branchId = await chooseBranch(ctx, "attendance.view", "diemdanh");
      if (!branchId) return;
      const found = await ctx.core.rollCall.currentMeeting(ctx.actor, branchId);
      if (!found.ok) return void (await ctx.reply(problem(ctx, found.reason === "forbidden" ? "forbidden" : "none")));
      await show(ctx, found.meetingId, 0);
    },
  },
  aliases: { diemdanh: ["điểm danh"] },
  notices: {
    "rollcall.overridden": (params, t) =>
      message([
        text(
          t("rollcall:overriddenNotice", {
            by: String(params.by),
            name: String(params.name),
            state: params.present ? t("rollcall:state.present") : params.absence === "excused" ? t("rollcall:state.excused") : params.absence === "unexcused" ? t("rollcall:state.unexcused") : t("rollcall:state.absent"),
          }),
        ),
      ]),
    "rollcall.allowed": (params, t) => message([text(t("rollcall:allowedNotice", { branch: String(params.branchName) }))], [[commandButton(t("rollcall:buttons.rollCall"), "diemdanh")]]),
    "rollcall.withdrawn": (params, t) => message([text(t("rollcall:withdrawnNotice", { branch: String(params.branchName) }))]),
  },
  actions: { [dc.prefix]: onAction },
  dialogs: { [guestForm.kind]: guestForm.handle, [reasonForm.kind]: reasonForm.handle },
  // The six-digit code shown at the meeting, typed by a member.
  async text(ctx) {
    if (ctx.inbound.chat.kind !== "private" || !/^\d{6}$/.test(ctx.input.trim()) || ctx.actor.memberships.length === 0) return false;
    const result = await ctx.core.rollCall.checkIn(ctx.actor, ctx.input.trim());
    if (!result.ok) {
      await ctx.reply(message([text(ctx.t("rollcall:problem.bad_code"))]));
      return true;
    }
    await ctx.reply(message([text(ctx.t("rollcall:checkedIn", { when: formatDateTime(result.meeting.startsAt, result.timezone, ctx.locale) }))]));
    return true;
  },
};
