import { normalizeCheckInCode, type Guest, type RollCallLine, type RollCallView } from "../src/core/attendance/roll-call.ts";
import type { MinutesCounts } from "../src/core/attendance/counts.ts";
import { list, message, navigation, note, text, title, type Action, type OutgoingMessage, type TextBlock } from "../src/core/message.ts";
import { typedNumbers } from "../src/core/conversation/choices.ts";
import { foldText, shortNames } from "../src/core/text.ts";
import { formatPercent } from "../src/core/numbers.ts";
import { payloadCodec } from "../src/core/payload.ts";
import { boundReason, MAX_REASON } from "../src/core/attendance/rules.ts";
import { formatDateTime } from "../src/core/time.ts";
import type { Translate } from "../src/i18n.ts";
import { chooseBranch } from "./framework/branch-choice.ts";
import { rollCallResults } from "./reports.ts";
import type { Feature, HandlerContext, NoticeRenderers } from "./framework/context.ts";
import { commandButton } from "./framework/command-button.ts";
import { defineForm, isSkipAnswer } from "./framework/form.ts";
import { minutesButton } from "./resolutions.ts";

/**
 * Roll call buttons. Two UUIDs do not fit Telegram's 64 bytes, so a member (or a guest) is
 * named by the first 8 characters of their id, unique enough within one meeting and checked.
 */
/**
 * p a page · t present/absent (or attending apart) · ex/un/nr an absence excused, unexcused,
 * excused with no reason known · ab the absence decisions · g/gr add, remove a guest · code the
 * check-in code · cl close the roll call.
 */
const ROLL_CALL_OPS = ["p", "t", "ex", "un", "nr", "ab", "g", "gr", "code", "cl"] as const;
type RollCallOp = (typeof ROLL_CALL_OPS)[number];
const dc = payloadCodec("dc", ["op", "meeting", "member", "page"], { op: ROLL_CALL_OPS });
const BUTTON_PAGE = 10;
/**
 * Where people type numbers instead of pressing them, the whole branch is one list: numbers
 * that mean another person on the next page confuse, and 40 lines fit Zalo's 2,000 characters
 * or at worst come in two parts with the same numbers.
 */
const TYPED_PAGE = 40;
const short = (id: string) => id.slice(0, 8);
const button = (label: string, op: RollCallOp, meeting: string, member = "", page = 0): Action => ({
  label,
  payload: dc.encode({ op, meeting, member, page: String(page) }),
});

/** Why a member is not expected, in words ("miễn sinh hoạt", "chuyển sinh hoạt tạm thời đi"). */
const statusWords = (t: Translate, status: string) => t([`rollcall:status.${status}`, "rollcall:status.other"]);

function lineText(t: Translate, line: RollCallLine): string {
  // Exempt and transferred-out members are outside the counts; one who came is listed apart.
  if (!line.expected) return t(line.present ? "rollcall:line.apart" : "rollcall:line.notExpected", { name: line.name, status: statusWords(t, line.status) });
  if (line.present) return t(line.checkedIn ? "rollcall:line.checkedIn" : "rollcall:line.present", { name: line.name });
  if (line.absence === "excused") return t("rollcall:line.excused", { name: line.name, reason: line.reason ?? t("rollcall:noReason") });
  if (line.absence === "unexcused") return t("rollcall:line.unexcused", { name: line.name });
  return line.reason ? t("rollcall:line.undecidedWithReason", { name: line.name, reason: line.reason }) : t("rollcall:line.undecided", { name: line.name });
}

const apartNames = (t: Translate, c: MinutesCounts) => c.attendingApart.map((a) => `${a.name} (${statusWords(t, a.status)})`).join(", ");

function countsText(ctx: HandlerContext, c: MinutesCounts): string {
  const counts = ctx.t("rollcall:counts", {
    present: c.present,
    expected: c.expected,
    rate: formatPercent(c.rate, ctx.locale),
    excused: c.absentExcused.length,
    unexcused: c.absentUnexcused.length,
    undecided: c.absentUndecided.length,
    guests: c.guests,
  });
  return c.attendingApart.length ? `${counts}${ctx.t("rollcall:countsApart", { count: c.attendingApart.length })}` : counts;
}

function page(ctx: HandlerContext, v: RollCallView, pageIndex: number, prefix?: string): OutgoingMessage {
  const { t } = ctx;
  const size = ctx.capabilities.buttons ? BUTTON_PAGE : TYPED_PAGE;
  const pages = Math.max(1, Math.ceil(v.lines.length / size));
  const current = Math.min(Math.max(pageIndex, 0), pages - 1);
  const slice = v.lines.slice(current * size, (current + 1) * size);
  const when = formatDateTime(v.meeting.startsAt, v.timezone, ctx.locale);
  const blocks: TextBlock[] = [
    ...(prefix ? [note(prefix)] : []),
    title(t("rollcall:title", { branch: v.branchName, when })),
    text(countsText(ctx, v.counts)),
    list(slice.map((l, i) => `${current * size + i + 1}. ${lineText(t, l)}`)),
  ];
  if (v.guests.length) blocks.push(text(t("rollcall:guestList", { count: v.guests.length, names: v.guests.map((g) => g.name).join(", ") })));
  // After closing only the secretary and deputy change it (and the audit log keeps it).
  const marks = v.canMark && (!v.closed || v.canManage);
  const typing = !ctx.capabilities.buttons;
  if (v.closed || !marks) blocks.push(note(t(v.closed ? "rollcall:closedNote" : "rollcall:viewOnly")));
  else if (!typing) blocks.push(note(t("rollcall:hint")));
  // Only the secretary and deputy close it: the others are not told a word that refuses them.
  else blocks.push(note(v.canManage ? `${t("rollcall:hintTyping")} ${t("rollcall:closeTyping")}` : t("rollcall:hintTyping")));
  if (marks && slice.some((l) => !l.expected)) blocks.push(note(t(typing ? "rollcall:apartHintTyping" : "rollcall:apartHint")));
  const rows: Action[][] = [];
  if (marks) {
    const number = (l: RollCallLine) => current * size + slice.indexOf(l) + 1;
    // The state of an expected member; for one not expected, what pressing does — never a ❌
    // that would read as an absence.
    // Named, so a tap is on a person, not on a number to look up in the list above.
    const names = shortNames(slice.map((l) => l.name));
    const called = new Map(slice.map((l, i) => [l, names[i]!]));
    // Where there are no buttons, a line's action is its bare number: the text renderer then
    // offers it under the number the list shows, so typing "3" (or "1 3 5") means line 3.
    const toggles = slice
      .filter((l) => l.expected)
      .map((l) =>
        button(typing ? String(number(l)) : `${number(l)} ${l.present ? "✅" : "❌"} ${called.get(l)}`, "t", v.meeting.id, short(l.membershipId), current),
      );
    const apart = slice
      .filter((l) => !l.expected)
      .map((l) =>
        button(
          typing ? String(number(l)) : t(l.present ? "rollcall:buttons.notAttending" : "rollcall:buttons.attendApart", { n: number(l) }),
          "t",
          v.meeting.id,
          short(l.membershipId),
          current,
        ),
      );
    for (let i = 0; i < toggles.length; i += 3) rows.push(toggles.slice(i, i + 3));
    for (let i = 0; i < apart.length; i += 2) rows.push(apart.slice(i, i + 2));
  }
  const nav: Action[] = [];
  if (current > 0) nav.push(navigation(button(t("common:buttons.previous"), "p", v.meeting.id, "", current - 1)));
  if (current < pages - 1) nav.push(navigation(button(t("common:buttons.next"), "p", v.meeting.id, "", current + 1)));
  if (nav.length) rows.push(nav);
  if (marks) {
    const removals = v.guests.map((g) => button(t("rollcall:buttons.removeGuest", { name: g.name }), "gr", v.meeting.id, short(g.id), current));
    for (let i = 0; i < removals.length; i += 2) rows.push(removals.slice(i, i + 2));
  }
  if (v.canManage) {
    rows.push([button(t("rollcall:buttons.absences"), "ab", v.meeting.id), button(t("rollcall:buttons.guest"), "g", v.meeting.id, "", current)]);
    if (!v.closed) rows.push([button(t("rollcall:buttons.code"), "code", v.meeting.id), button(t("rollcall:buttons.close"), "cl", v.meeting.id)]);
  } else if (marks) rows.push([button(t("rollcall:buttons.guest"), "g", v.meeting.id, "", current)]);
  if (v.closed) rows.push([minutesButton(t, v.meeting.id)]);
  return message(blocks, rows);
}

/** Every absent expected member with the secretary's two choices: reason accepted or not. */
function absences(ctx: HandlerContext, v: RollCallView, prefix?: string): OutgoingMessage {
  const { t } = ctx;
  const absent = v.lines.filter((l) => l.expected && !l.present);
  const before = prefix ? [note(prefix)] : [];
  if (absent.length === 0) return message([...before, text(t("rollcall:noAbsences"))], [[navigation(button(t("rollcall:buttons.back"), "p", v.meeting.id))]]);
  // One row per person, the name on both choices: however a narrow screen cuts the labels,
  // neither choice can be read as someone else's.
  const shown = absent.slice(0, 30);
  const called = shortNames(shown.map((l) => l.name));
  const rows: Action[][] = shown.map((l, i) => [
    button(`${l.absence === "excused" ? "●" : "○"} ${t("rollcall:buttons.excused", { name: called[i] })}`, "ex", v.meeting.id, short(l.membershipId)),
    button(`${l.absence === "unexcused" ? "●" : "○"} ${t("rollcall:buttons.unexcused", { name: called[i] })}`, "un", v.meeting.id, short(l.membershipId)),
  ]);
  rows.push([navigation(button(t("rollcall:buttons.back"), "p", v.meeting.id))]);
  return message([...before, title(t("rollcall:absencesTitle")), list(absent.map((l) => lineText(t, l))), note(t("rollcall:absencesHint"))], rows);
}

/**
 * The two questions the roll call asks (a guest's name, the reason for an absence) bring the
 * secretary back to the roll call as it stands when she types "hủy" after a mistaken press
 * (they are in `ownCancel`, so the router hands them the cancel word).
 */
const guestForm = defineForm({
  kind: "rollcall.guest",
  ns: "rollcall",
  cancelHintKey: "rollcall:cancelHint",
  steps: [
    {
      name: "name",
      question: (t) => t("rollcall:ask.guest"),
      actions: (t, _values, extra) => [[navigation(button(t("rollcall:buttons.back"), "p", String(extra.meetingId), "", Number(extra.page) || 0))]],
      parse: (input) => ({ ok: true, value: input }),
    },
  ],
  async finish(ctx, values, extra) {
    const result = await ctx.core.rollCall.addGuest(ctx.actor, String(extra.meetingId), String(values.name));
    if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason)));
    await show(ctx, String(extra.meetingId), Number(extra.page) || 0);
  },
  async cancel(ctx, extra) {
    await show(ctx, String(extra.meetingId), Number(extra.page) || 0, ctx.t("rollcall:unchanged"));
  },
});

/** An absence accepted as excused with no reason given: the secretary may write one in. */
const reasonForm = defineForm({
  kind: "rollcall.reason",
  ns: "rollcall",
  cancelHintKey: "rollcall:cancelHint",
  steps: [
    {
      name: "reason",
      question: (t, values) => t("rollcall:ask.reason", { name: String(values.name) }),
      actions: (t, _values, extra) => [
        [button(t("rollcall:buttons.noReason"), "nr", String(extra.meetingId), short(String(extra.membershipId)))],
        [navigation(button(t("rollcall:buttons.backToAbsences"), "ab", String(extra.meetingId)))],
      ],
      // A number typed here was meant for a list (the absences above), never as a reason for the minutes.
      parse: (input) => (typedNumbers(input) ? { ok: false, reason: "reasonWords" } : { ok: true, value: isSkipAnswer(input) ? "" : boundReason(input) }),
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
  async cancel(ctx, extra) {
    const current = await ctx.core.rollCall.view(ctx.actor, String(extra.meetingId));
    await ctx.reply(current.ok ? absences(ctx, current.view, ctx.t("rollcall:unchanged")) : problem(ctx, current.reason));
  },
});

function problem(ctx: HandlerContext, reason: string, names: string[] = []): OutgoingMessage {
  if (reason === "forbidden") return message([text(ctx.t("common:forbidden"))]);
  // The refusal to close names the way to the absences as this channel offers it.
  const key = reason === "undecided" && !ctx.capabilities.buttons ? "rollcall:problem.undecidedTyping" : `rollcall:problem.${reason}`;
  return message([text(ctx.t(key, { names: names.join(", ") }))]);
}

async function show(ctx: HandlerContext, meetingId: string, pageIndex: number, prefix?: string): Promise<void> {
  const result = await ctx.core.rollCall.view(ctx.actor, meetingId);
  await ctx.reply(result.ok ? page(ctx, result.view, pageIndex, prefix) : problem(ctx, result.reason));
}

/** A question of the roll call left open is dropped once the secretary presses her way elsewhere. */
async function dropOpenQuestion(ctx: HandlerContext): Promise<void> {
  if (guestForm.owns(ctx) || reasonForm.owns(ctx)) await ctx.dialog.clear();
}

function closingSummary(ctx: HandlerContext, meetingId: string, c: MinutesCounts): OutgoingMessage {
  const { t } = ctx;
  const lines = [
    t("rollcall:summary.total", { total: c.total, full: c.full, probationary: c.probationary }),
    t("rollcall:summary.expected", { expected: c.expected, exempt: c.exempt, transferredOut: c.transferredOut, attached: c.attached }),
    t("rollcall:summary.present", { present: c.present, rate: formatPercent(c.rate, ctx.locale), guests: c.guests }),
    t("rollcall:summary.excused", {
      count: c.absentExcused.length,
      names: c.absentExcused.map((a) => (a.reason ? `${a.name} (${a.reason})` : a.name)).join(", ") || "—",
    }),
    t("rollcall:summary.unexcused", { count: c.absentUnexcused.length, names: c.absentUnexcused.join(", ") || "—" }),
  ];
  if (c.attendingApart.length) lines.push(t("rollcall:summary.apart", { count: c.attendingApart.length, names: apartNames(t, c) }));
  lines.push(t("rollcall:summary.votingBase", { base: c.votingBase, voters: c.votersPresent }));
  return message(
    [title(t("rollcall:closed")), list(lines), note(t("rollcall:nextSteps"))],
    [[minutesButton(t, meetingId), commandButton(t("rollcall:buttons.resolution"), "nghiquyet")]],
  );
}

/**
 * Marks lines of a roll call present or absent — `present` undefined: each the other way, as
 * its number does — and shows the page again. The one way lines are marked, pressed or typed.
 */
async function markPresence(ctx: HandlerContext, meeting: string, lines: RollCallLine[], present: boolean | undefined, pageIndex: number): Promise<void> {
  for (const line of lines) {
    const result = await ctx.core.rollCall.mark(ctx.actor, meeting, line.membershipId, { present: present ?? !line.present });
    // A refusal (no right, not open yet, closed) holds for every line of the meeting alike, so it
    // comes at the first one, before anything is written.
    if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason)));
    if (result.overrode) await ctx.reply(message([note(ctx.t("rollcall:overrode", { name: line.name, other: result.overrode }))]));
  }
  const after = await ctx.core.rollCall.view(ctx.actor, meeting);
  if (!after.ok) return;
  // The list the button was pressed on changes in place: one roll call message, not one per tap.
  await ctx.edit(page(ctx, after.view, pageIndex));
}

/** What the roll call's own words mean typed before numbers: set present, set absent. */
const PRESENT_WORDS = new Set(["co mat", "co", "present"]);
const ABSENT_WORDS = new Set(["vang", "absent"]);
/** The typed twin of “✔️ Chốt điểm danh”, compared without diacritics. */
const CLOSE_WORDS = new Set(["xong", "chot", "chot diem danh", "done"]);

type TypedAtRollCall =
  | { kind: "close" }
  | { kind: "mark"; numbers: number[]; present?: boolean }
  /** "vâng 2 4": yes (present) or a mistyped "vắng" (absent)? Asked, never guessed. */
  | { kind: "unsure"; numbers: number[] };

/**
 * Reads what a person types at a roll call shown as text: "1 3 5", "1,3,5", "số 1, 3 và 5"
 * (each line the other way), "có mặt 1 3" / "co mat 1 3" / "có 1 3" (present), "vắng 2 4" /
 * "vang 2 4" (absent), "xong" / "chốt". Undefined for anything else.
 */
function readTypedAtRollCall(typed: string): TypedAtRollCall | undefined {
  const folded = foldText(typed).replace(/\s+a$/, "");
  if (CLOSE_WORDS.has(folded)) return { kind: "close" };
  const verb = /^(co mat|co|present|vang|absent)(?:\s*:\s*|\s+)(.*)$/.exec(folded);
  const typedList = typedNumbers(verb ? verb[2]! : folded);
  if (!typedList) return undefined;
  const numbers = [...new Set(typedList)];
  if (!verb) return { kind: "mark", numbers };
  if (PRESENT_WORDS.has(verb[1]!)) return { kind: "mark", numbers, present: true };
  if (!ABSENT_WORDS.has(verb[1]!)) return undefined;
  // "vang" without diacritics is the roll call's "vắng" (a list of numbers after "vâng" means
  // nothing), but a "vâng" written out is not read as an absence.
  const first = typed
    .trim()
    .normalize("NFC")
    .toLowerCase()
    .split(/[\s:]+/)[0];
  return first === "vâng" ? { kind: "unsure", numbers } : { kind: "mark", numbers, present: false };
}

/**
 * Text typed where the chat was last offered a roll call page as numbered text (a channel
 * without buttons): several numbers at once, "vắng 2 4", "xong". Anything else, or the same
 * words after any other list, is left to the other features. What the typed numbers mark is
 * what their buttons would, through the same handler and the same core checks.
 */
async function typedAtRollCall(ctx: HandlerContext): Promise<boolean> {
  const answered = async (reply: OutgoingMessage) => {
    await ctx.reply(reply);
    return true;
  };
  const said = readTypedAtRollCall(ctx.input);
  if (!said) return false;
  const offered = (await ctx.core.choices.offered(ctx.inbound.chat.address)).map((payload) => ({ payload, decoded: dc.decode(payload) }));
  if (said.kind === "close") {
    // Offered on the list page; on the absences page, where the last decisions are made, "xong"
    // closes the same meeting (the close itself checks who may).
    const close = offered.find((o) => o.decoded?.op === "cl")?.payload;
    const deciding = offered.find((o) => o.decoded?.op === "ex" || o.decoded?.op === "un")?.decoded;
    const payload = close ?? (deciding ? dc.encode({ op: "cl", meeting: deciding.meeting, member: "", page: "0" }) : undefined);
    if (!payload) return false;
    await onAction({ ...ctx, input: payload });
    return true;
  }
  // The page's own lines, by the numbers the list shows (their actions are offered under them).
  const lineNumbers = offered.flatMap((o, i) => (o.decoded?.op === "t" ? [i + 1] : []));
  const first = offered.find((o) => o.decoded?.op === "t")?.decoded;
  if (!first) return false;
  if (said.kind === "unsure") return answered(message([text(ctx.t("rollcall:whichMark", { typed: ctx.input.trim(), numbers: said.numbers.join(" ") }))]));
  const missing = said.numbers.filter((n) => !lineNumbers.includes(n));
  if (missing.length) {
    const range = { first: Math.min(...lineNumbers), last: Math.max(...lineNumbers), numbers: missing.join(", ") };
    return answered(message([text(ctx.t("rollcall:notInList", range))]));
  }
  const current = await ctx.core.rollCall.view(ctx.actor, first.meeting);
  if (!current.ok) return answered(problem(ctx, current.reason));
  const targets = said.numbers.map((n) => {
    const member = offered[n - 1]!.decoded!.member;
    const matches = current.view.lines.filter((l) => l.membershipId.startsWith(member));
    return matches.length === 1 ? matches[0] : undefined;
  });
  // A line gone from the roll call since the list was shown: as with an old button, nothing is marked.
  if (targets.some((l) => !l)) return answered(message([text(ctx.t("fallback:staleButton"))]));
  await markPresence(ctx, first.meeting, targets as RollCallLine[], said.present, Number(first.page) || 0);
  return true;
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
      await dropOpenQuestion(ctx);
      return void (await ctx.edit(page(ctx, current.view, pageIndex)));
    case "t":
      if (!target) return void (await ctx.reply(message([text(ctx.t("fallback:staleButton"))])));
      return markPresence(ctx, meeting, [target], undefined, pageIndex);
    case "ex":
    case "un":
    case "nr": {
      if (!target) return void (await ctx.reply(message([text(ctx.t("fallback:staleButton"))])));
      // Accepting an absence nobody gave a reason for: ask the secretary for it first. Choosing
      // it again once accepted asks again, so a reason written wrong can be put right.
      if (op === "ex" && (!target.reason || target.absence === "excused") && current.view.canManage)
        return reasonForm.start(ctx, { meetingId: meeting, membershipId: target.membershipId }, { name: target.name });
      if (op === "nr") await dropOpenQuestion(ctx);
      const change = { absence: op === "un" ? ("unexcused" as const) : ("excused" as const) };
      const result = await ctx.core.rollCall.mark(ctx.actor, meeting, target.membershipId, change);
      if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason)));
      if (result.overrode) await ctx.reply(message([note(ctx.t("rollcall:overrode", { name: target.name, other: result.overrode }))]));
      const after = await ctx.core.rollCall.view(ctx.actor, meeting);
      if (!after.ok) return;
      return void (await ctx.edit(absences(ctx, after.view)));
    }
    case "ab":
      await dropOpenQuestion(ctx);
      return void (await ctx.edit(absences(ctx, current.view)));
    case "g":
      return guestForm.start(ctx, { meetingId: meeting, page: pageIndex });
    case "gr": {
      const guests = current.view.guests.filter((g: Guest) => member && g.id.startsWith(member));
      if (guests.length !== 1) return void (await ctx.reply(problem(ctx, "no_guest")));
      const result = await ctx.core.rollCall.removeGuest(ctx.actor, meeting, guests[0]!.id);
      if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason)));
      return show(ctx, meeting, pageIndex, ctx.t("rollcall:guestRemoved", { name: result.name }));
    }
    case "code": {
      const result = await ctx.core.rollCall.startCheckIn(ctx.actor, meeting);
      if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason)));
      return void (await ctx.reply(
        message([
          title(ctx.t("rollcall:codeTitle", { code: result.code })),
          text(
            ctx.t(ctx.capabilities.buttons ? "rollcall:codeHint" : "rollcall:codeHintTyping", {
              until: formatDateTime(result.expiresAt, current.view.timezone, ctx.locale),
            }),
          ),
        ]),
      ));
    }
    case "cl": {
      const result = await ctx.core.rollCall.close(ctx.actor, meeting);
      if (!result.ok) return void (await ctx.reply(problem(ctx, result.reason, "names" in result ? result.names : [])));
      return void (await ctx.reply(closingSummary(ctx, meeting, result.counts)));
    }
  }
  await ctx.reply(message([text(ctx.t("fallback:staleButton"))]));
}

/** A member typed the check-in code: present, or (exempt, transferred out) attending apart, and told which. */
async function checkIn(ctx: HandlerContext, code: string): Promise<void> {
  const result = await ctx.core.rollCall.checkIn(ctx.actor, code);
  if (!result.ok) return void (await ctx.reply(message([text(ctx.t("rollcall:problem.bad_code"))])));
  const when = formatDateTime(result.meeting.startsAt, result.timezone, ctx.locale);
  const reply = result.counted ? ctx.t("rollcall:checkedIn", { when }) : ctx.t("rollcall:checkedInApart", { when, status: statusWords(ctx.t, result.status) });
  await ctx.reply(message([text(reply)]));
}

/** The notices this feature renders (see handlers/index.ts for the check that none is missing). */
export const rollCallNotices = {
  "rollcall.overridden": (params, t) =>
    message([
      text(
        t("rollcall:overriddenNotice", {
          by: String(params.by),
          name: String(params.name),
          state: params.present
            ? t("rollcall:state.present")
            : params.absence === "excused"
              ? t("rollcall:state.excused")
              : params.absence === "unexcused"
                ? t("rollcall:state.unexcused")
                : t("rollcall:state.absent"),
        }),
      ),
    ]),
  "rollcall.allowed": (params, t) =>
    message([text(t("rollcall:allowedNotice", { branch: String(params.branchName) }))], [[commandButton(t("rollcall:buttons.rollCall"), "diemdanh")]]),
  "rollcall.withdrawn": (params, t) => message([text(t("rollcall:withdrawnNotice", { branch: String(params.branchName) }))]),
} satisfies Partial<NoticeRenderers>;

export const rollCallFeature: Feature = {
  name: "rollcall",
  commands: {
    async diemdanh(ctx) {
      // A member who may not see the roll call is told how it works for him: the secretary
      // keeps it, and he types the code she shows at the meeting.
      const keeps = await ctx.core.access.branchesFor(ctx.actor, "attendance.view");
      // A supervisor reads the results of the branches they follow; keeping the roll call is the branch's.
      if (!keeps.some((b) => b.id === (ctx.branchId ?? b.id)) && (await ctx.core.access.branchesFor(ctx.actor, "reports.view")).length > 0) {
        return rollCallResults(ctx);
      }
      if (!ctx.branchId && ctx.actor.memberships.length > 0 && keeps.length === 0) {
        return void (await ctx.reply(message([text(ctx.t("rollcall:memberHint"))])));
      }
      const branchId = await chooseBranch(ctx, "attendance.view", "diemdanh");
      if (!branchId) return;
      const found = await ctx.core.rollCall.currentMeeting(ctx.actor, branchId);
      if (!found.ok) return void (await ctx.reply(problem(ctx, found.reason === "forbidden" ? "forbidden" : "none")));
      await show(ctx, found.meetingId, 0);
    },
  },
  aliases: { diemdanh: ["điểm danh"] },
  notices: rollCallNotices,
  actions: { [dc.prefix]: onAction },
  dialogs: { [guestForm.kind]: guestForm.handle, [reasonForm.kind]: reasonForm.handle },
  ownCancel: [guestForm.kind, reasonForm.kind],
  async text(ctx) {
    if (ctx.inbound.chat.kind !== "private") return false;
    // The six-digit code shown at the meeting, typed by a member ("452280", "452 280", "452-280"),
    // before the roll call's own numbers: no page has lines 452 and 280.
    if (ctx.actor.memberships.length > 0 && normalizeCheckInCode(ctx.input)) {
      await checkIn(ctx, ctx.input);
      return true;
    }
    return typedAtRollCall(ctx);
  },
};
