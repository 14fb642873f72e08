import { interpretReply } from "../src/core/attendance/interpret.ts";
import { typedNumbers } from "../src/core/conversation/choices.ts";
import type { Answer } from "../src/core/attendance/rules.ts";
import type { MeetingToAnswer } from "../src/core/attendance/service.ts";
import type { Locale } from "../src/core/locale.ts";
import { list, message, note, text, title, type Action, type OutgoingMessage } from "../src/core/message.ts";
import { payloadCodec } from "../src/core/payload.ts";
import { formatDateTime } from "../src/core/time.ts";
import type { Translate } from "../src/i18n.ts";
import { answerButton } from "./framework/command-button.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";
import { dialogData, uuid } from "./framework/dialog-data.ts";
import { z } from "zod";
import { callList } from "./framework/call-list.ts";

/** ✅ / 📝 / ❔ under a notice: the answer and the meeting. */
export const rsvp = payloadCodec("rs", ["answer", "meeting"]);
/** The secretary's tally and nudge. */
const at = payloadCodec("at", ["op", "meeting"], { op: ["tally", "tr", "nudge"] });
const REASON_DIALOG = "attendance.reason";
const ANSWERS: Record<string, Answer> = { y: "yes", n: "no", m: "maybe" };

/** The three answers, as buttons under every notice and reminder. */
export function rsvpButtons(t: Translate, meetingId: string): Action[] {
  return [
    { label: t("attendance:buttons.yes"), payload: rsvp.encode({ answer: "y", meeting: meetingId }) },
    { label: t("attendance:buttons.no"), payload: rsvp.encode({ answer: "n", meeting: meetingId }) },
    { label: t("attendance:buttons.maybe"), payload: rsvp.encode({ answer: "m", meeting: meetingId }) },
  ];
}

export const tallyButton = (t: Translate, meetingId: string): Action => ({
  label: t("attendance:buttons.tally"),
  payload: at.encode({ op: "tally", meeting: meetingId }),
});

/**
 * Records an answer and tells the person. In a group chat everything is said with the
 * button's toast, which only the presser sees: a confirmation or a refusal per press would
 * flood the group (and Telegram allows 20 posts a minute there).
 */
async function record(ctx: HandlerContext, meetingId: string, answer: Answer, reason?: string): Promise<boolean> {
  const { t } = ctx;
  const name = ctx.actor.person.displayName;
  const inGroup = ctx.inbound.chat.kind === "group";
  const result = await ctx.core.attendance.reply(ctx.actor, meetingId, answer, reason);
  if (!result.ok) {
    const key =
      result.reason === "not_member" && inGroup
        ? "attendance:problem.notMemberInGroup"
        : result.reason === "not_expected"
          ? `attendance:problem.notExpected.${result.status === "transferred_out" ? "transferredOut" : "exempt"}`
          : `attendance:problem.${result.reason}`;
    await ctx.toast(t(key, { name }));
    if (!inGroup) await ctx.reply(message([text(t(key, { name }))]));
    return false;
  }
  const when = formatDateTime(result.meeting.startsAt, result.timezone, ctx.locale);
  await ctx.toast(t(`attendance:toast.${answer}`, { name }));
  if (inGroup) return true;
  const lines = [t(`attendance:recorded.${answer}`, { name, when })];
  if (reason && answer === "no") lines.push(t("attendance:reasonRecorded", { reason: reason.slice(0, 200) }));
  if (result.reasonTruncated) lines.push(t("attendance:reasonTruncated"));
  lines.push(t("attendance:canChange"));
  await ctx.reply(message([text(lines.join("\n"))]));
  return true;
}

/** An absence without a reason yet: the reason is asked for, always in the person's private chat. */
async function askReason(ctx: HandlerContext, meetingId: string): Promise<void> {
  await ctx.dialog.start(REASON_DIALOG, { meetingId }, 30, { privately: true });
  await ctx.replyPrivately(
    message(
      [text(ctx.t("attendance:askReason")), note(ctx.t(ctx.capabilities.buttons ? "attendance:reasonHint" : "attendance:reasonHintTyping"))],
      [[answerButton(ctx.t("attendance:buttons.noReason"), "-")]],
    ),
  );
}

function tallyMessage(ctx: HandlerContext, tally: Awaited<ReturnType<HandlerContext["core"]["attendance"]["tally"]>> & { ok: true }): OutgoingMessage {
  const { t } = ctx;
  const { meeting, yes, no, maybe, none, timezone, branchName } = tally.tally;
  const when = formatDateTime(meeting.startsAt, timezone, ctx.locale as Locale);
  const names = (rows: typeof yes) => rows.map((r) => r.name);
  const blocks = [
    title(t("attendance:tally.title", { branch: branchName, when })),
    text(t("attendance:tally.counts", { yes: yes.length, no: no.length, maybe: maybe.length, none: none.length })),
  ];
  if (yes.length) blocks.push(text(t("attendance:tally.yes")), list(names(yes)));
  if (no.length) blocks.push(text(t("attendance:tally.no")), list(no.map((r) => (r.reason ? `${r.name}: ${r.reason}` : r.name))));
  if (maybe.length) blocks.push(text(t("attendance:tally.maybe")), list(names(maybe)));
  const onChibo = none.filter((r) => r.personId);
  const toCall = none.filter((r) => !r.personId);
  if (onChibo.length) blocks.push(text(t("attendance:tally.none")), list(names(onChibo)));
  if (toCall.length) blocks.push(text(t("attendance:tally.toCall")), list(callList(t, toCall)));
  blocks.push(note(t("attendance:tally.note")));
  const actions = none.some((r) => r.personId) ? [[{ label: t("attendance:buttons.nudge"), payload: at.encode({ op: "nudge", meeting: meeting.id }) }]] : [];
  return message(blocks, [...actions, [{ label: t("attendance:buttons.refresh"), payload: at.encode({ op: "tr", meeting: meeting.id }) }]]);
}

export const attendanceFeature: Feature = {
  name: "attendance",
  // A press on the group's notice is answered with its toast and the notice's tally.
  inGroup: { actions: [rsvp.prefix] },
  actions: {
    async [rsvp.prefix](ctx) {
      const payload = rsvp.decode(ctx.input);
      const answer = payload ? ANSWERS[payload.answer] : undefined;
      if (!payload || !answer) {
        await ctx.toast(ctx.t("fallback:staleButton"));
        if (ctx.inbound.chat.kind === "private") await ctx.reply(message([text(ctx.t("fallback:staleButton"))]));
        return;
      }
      // "Vắng" is recorded at once; the reason follows in private (never read by the group).
      if ((await record(ctx, payload.meeting, answer)) && answer === "no") await askReason(ctx, payload.meeting);
    },
    async [at.prefix](ctx) {
      const { t } = ctx;
      const payload = at.decode(ctx.input);
      // "tr" refreshes the tally it is under, in place; "tally" opens it from elsewhere (/lichhop).
      if (payload?.op === "tally" || payload?.op === "tr") {
        const result = await ctx.core.attendance.tally(ctx.actor, payload.meeting);
        if (!result.ok) return void (await ctx.reply(message([text(t(result.reason === "forbidden" ? "common:forbidden" : "fallback:staleButton"))])));
        const shown = tallyMessage(ctx, result);
        return void (await (payload.op === "tr" ? ctx.edit(shown) : ctx.reply(shown)));
      }
      if (payload?.op === "nudge") {
        const result = await ctx.core.attendance.nudge(ctx.actor, payload.meeting);
        const reply = result.ok
          ? t("attendance:nudged", { count: result.sent })
          : result.reason === "forbidden"
            ? t("common:forbidden")
            : t(`attendance:problem.${result.reason}`);
        return void (await ctx.reply(message([text(reply)])));
      }
      await ctx.reply(message([text(t("fallback:staleButton"))]));
    },
  },
  dialogs: {
    async [REASON_DIALOG](ctx) {
      const data = await dialogData(ctx, z.object({ meetingId: uuid }));
      if (!data) return;
      const input = ctx.input.trim();
      if (input === "-") {
        await ctx.dialog.clear();
        return void (await record(ctx, data.meetingId, "no"));
      }
      // A number is a choice from some list, never a reason: it must not land in the minutes.
      if (typedNumbers(input)) {
        await ctx.reply(message([note(ctx.t("common:invalid.reasonWords"))]));
        return askReason(ctx, data.meetingId);
      }
      // Asked why, an elderly member may answer "vâng", "có mặt" or "không biết": a change of
      // mind, not a reason; and "vang" could be either.
      const meant = interpretReply(input);
      await ctx.dialog.clear();
      if (meant.kind === "answer" && meant.answer !== "no") return void (await record(ctx, data.meetingId, meant.answer));
      if (meant.kind === "ambiguous") {
        const pending = await ctx.core.attendance.meetingToAnswer(ctx.actor);
        if (pending) return void (await ctx.reply(meetingPrompt(ctx, pending, ctx.t("attendance:prompt.ambiguous", { text: input.slice(0, 40) }))));
      }
      if (meant.kind === "answer" && !meant.reason) return askReason(ctx, data.meetingId);
      await record(ctx, data.meetingId, "no", ctx.input);
    },
  },
  // What members type in a private chat about the next meeting: "có", "vắng vì ốm", "2",
  // "họp khi nào" (Zalo has no buttons, and many prefer typing anyway).
  async text(ctx) {
    if (ctx.inbound.chat.kind !== "private" || ctx.actor.memberships.length === 0) return false;
    const meant = interpretReply(ctx.input);
    if (meant.kind === "unknown") return false;
    if (meant.kind === "answer") {
      const underWay = await ctx.core.attendance.meetingUnderWay(ctx.actor);
      if (underWay) {
        const when = formatDateTime(underWay.meeting.startsAt, underWay.timezone, ctx.locale);
        const lines = [ctx.t("attendance:tooLate", { when })];
        if (underWay.checkInOpen) lines.push(ctx.t("attendance:checkInHint"));
        await ctx.reply(message([text(lines.join("\n"))]));
        return true;
      }
    }
    const pending = await ctx.core.attendance.meetingToAnswer(ctx.actor);
    if (!pending) {
      if (meant.kind !== "question") return false;
      await ctx.reply(message([text(ctx.t("attendance:prompt.noMeeting"))]));
      return true;
    }
    if (meant.kind === "question") {
      await ctx.reply(meetingPrompt(ctx, pending));
      return true;
    }
    if (meant.kind === "ambiguous") {
      // "vang": vâng (yes) or vắng (absent)? A wrong recording is worse than a question.
      await ctx.reply(meetingPrompt(ctx, pending, ctx.t("attendance:prompt.ambiguous", { text: ctx.input.slice(0, 40) })));
      return true;
    }
    const meetingId = pending.meeting.id;
    // A typed absence asks for the reason, as the button does (SPEC §5), unless it came with one.
    if ((await record(ctx, meetingId, meant.answer, meant.reason)) && meant.answer === "no" && !meant.reason) await askReason(ctx, meetingId);
    return true;
  },
};

/**
 * The next meeting, where it is, and what the person answered or how to answer: for
 * "họp khi nào", for an answer Chibo could not be sure of, and for anything not understood
 * while the meeting awaits the person's answer. `lead` comes first (why Chibo says this).
 */
export function meetingPrompt(ctx: HandlerContext, pending: MeetingToAnswer, lead?: string): OutgoingMessage {
  const { t } = ctx;
  const when = formatDateTime(pending.meeting.startsAt, pending.timezone, ctx.locale);
  const lines = lead ? [lead] : [];
  lines.push(t(`attendance:prompt.${pending.meeting.kind === "committee" ? "committee" : "meeting"}`, { branch: pending.branchName, when }));
  if (pending.meeting.place) lines.push(t("meetings:place", { place: pending.meeting.place }));
  if (pending.answer) lines.push(t(`attendance:prompt.answered.${pending.answer}`), t("attendance:canChange"));
  const blocks = [text(lines.join("\n"))];
  // Where there are no buttons the renderer numbers the answers itself: only the reason tip is left to say.
  if (!pending.answer || lead) blocks.push(note(t(ctx.capabilities.buttons ? "attendance:prompt.howTo" : "attendance:prompt.howToTyping")));
  return message(blocks, [rsvpButtons(t, pending.meeting.id)]);
}

/** For the fallback: what to say instead of "not understood" when a meeting awaits the person's answer. */
export async function awaitedAnswer(ctx: HandlerContext): Promise<MeetingToAnswer | undefined> {
  if (ctx.inbound.chat.kind !== "private" || ctx.actor.memberships.length === 0) return undefined;
  const pending = await ctx.core.attendance.meetingToAnswer(ctx.actor);
  return pending && pending.answer === null ? pending : undefined;
}
