import { dedupeKey } from "../delivery/dedupe.ts";
import type { ReminderStep } from "../branch-defaults.ts";
import type { HolidayPolicy } from "../branches/types.ts";
import type { CoreDeps } from "../deps.ts";
import type { OutboxItem } from "../delivery/types.ts";
import type { BranchRuleRow, NewMeeting, RecipientSkip } from "../ports.ts";
import { localDay } from "../time.ts";
import { vietnamCalendar, type DayOffCalendar } from "./holidays.ts";
import { addMonths, committeeMeeting, monthOf, regularMeeting } from "./occurrences.ts";
import type { PlannableMeeting } from "./types.ts";

/** The longest reminder plan allowed (14 days) plus a margin: meetings further out need no planning yet. */
export const PLAN_HORIZON_MS = 15 * 24 * 3600_000;
/** How many months ahead the rule's meetings exist, so members can see them in /lichhop. */
const MONTHS_AHEAD = 2;

/** The committee meets with a notice two days before and a reminder two hours before. */
const COMMITTEE_PLAN: ReminderStep[] = [
  { kind: "notice", minutesBefore: 2 * 24 * 60, audience: "all" },
  { kind: "reminder", minutesBefore: 2 * 60, audience: "all" },
];

const COMMITTEE_ROLES = ["secretary", "deputy", "committee"] as const;

export const stepKey = (step: ReminderStep) => `${step.kind}-${step.minutesBefore}`;
export const planOf = (meeting: Pick<PlannableMeeting, "kind" | "reminderPlan">) => (meeting.kind === "committee" ? COMMITTEE_PLAN : meeting.reminderPlan);

/** Each org unit's extra days off, inherited by everything below it. */
async function calendars(deps: CoreDeps): Promise<(orgUnitId: string) => DayOffCalendar> {
  const [daysOff, units] = await Promise.all([deps.store.meetings.daysOffByUnit(), deps.store.orgUnits.list()]);
  const parent = new Map(units.map((u) => [u.id, u.parentId]));
  const cache = new Map<string, DayOffCalendar>();
  return (orgUnitId) => {
    let calendar = cache.get(orgUnitId);
    if (!calendar) {
      const extra: string[] = [];
      for (let unit: string | null | undefined = orgUnitId, depth = 0; unit && depth < 50; unit = parent.get(unit), depth++)
        extra.push(...(daysOff.get(unit) ?? []));
      calendar = vietnamCalendar(extra);
      cache.set(orgUnitId, calendar);
    }
    return calendar;
  };
}

/**
 * Creates the rule's regular and committee meetings for this month and the next ones, for
 * every branch that lacks them. Only future meetings are created: a branch registered on the
 * 20th does not get a "missed" meeting on the 3rd. Idempotent (unique occurrence keys).
 */
export async function ensureOccurrences(deps: CoreDeps, branchIds?: string[]): Promise<number> {
  const now = deps.clock.now();
  const rules = (await deps.store.meetings.branchRules()).filter((b) => !branchIds || branchIds.includes(b.id));
  if (rules.length === 0) return 0;
  const calendarFor = await calendars(deps);
  const firstMonth = monthOf(now, deps.timezone);
  const months = Array.from({ length: MONTHS_AHEAD + 1 }, (_, i) => addMonths(firstMonth, i));
  const [regular, committee] = await Promise.all([
    deps.store.meetings.existingOccurrences("regular", months),
    deps.store.meetings.existingOccurrences("committee", months),
  ]);
  const fresh: NewMeeting[] = [];
  for (const branch of rules) {
    for (const month of months) {
      const rule = toRule(branch);
      const occurrence = regularMeeting(rule, month, calendarFor(branch.orgUnitId));
      if (occurrence.startsAt.getTime() <= now.getTime()) continue;
      if (!regular.has(`${branch.id}:${month}`)) {
        fresh.push({
          branchId: branch.id,
          kind: "regular",
          occurrenceKey: month,
          startsAt: occurrence.startsAt,
          place: branch.defaultPlace,
          agenda: null,
          createdBy: null,
        });
      }
      const committeeAt = committeeMeeting(rule, occurrence, calendarFor(branch.orgUnitId));
      if (!committee.has(`${branch.id}:${month}`) && committeeAt.startsAt.getTime() > now.getTime()) {
        fresh.push({
          branchId: branch.id,
          kind: "committee",
          occurrenceKey: month,
          startsAt: committeeAt.startsAt,
          place: branch.defaultPlace,
          agenda: null,
          createdBy: null,
        });
      }
    }
  }
  return (await deps.store.meetings.insert(fresh)).length;
}

/**
 * Where the branches' current rules put rule-generated meetings (a meeting's month is its
 * occurrence key). Rules and calendars are read once, for however many meetings follow.
 */
export async function ruleTimes(deps: CoreDeps): Promise<(branchId: string, meeting: { kind: string; occurrenceKey: string | null }) => Date | undefined> {
  const rules = new Map((await deps.store.meetings.branchRules()).map((b) => [b.id, b]));
  const calendarFor = await calendars(deps);
  return (branchId, meeting) => {
    const branch = rules.get(branchId);
    if (!branch || !meeting.occurrenceKey) return undefined;
    const calendar = calendarFor(branch.orgUnitId);
    const regular = regularMeeting(toRule(branch), meeting.occurrenceKey, calendar);
    if (meeting.kind === "regular") return regular.startsAt;
    if (meeting.kind === "committee") return committeeMeeting(toRule(branch), regular, calendar).startsAt;
    return undefined;
  };
}

const toRule = (branch: BranchRuleRow) => ({
  meetingDay: branch.meetingDay,
  meetingTime: branch.meetingTime,
  timezone: branch.timezone,
  holidayPolicy: branch.holidayPolicy as HolidayPolicy,
  committeeDaysBefore: branch.committeeDaysBefore,
});

/** The steps of a meeting whose time has come and that are not planned yet, earliest first. */
function dueSteps(meeting: PlannableMeeting, now: Date): Array<{ step: ReminderStep; key: string; dueAt: Date }> {
  return planOf(meeting)
    .map((step) => ({ step, key: stepKey(step), dueAt: new Date(meeting.startsAt.getTime() - step.minutesBefore * 60_000) }))
    .filter((s) => s.dueAt.getTime() <= now.getTime() && !meeting.plannedSteps.includes(s.key))
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
}

/**
 * Who a step leaves out: a notice goes to everyone expected; a reminder never to someone who
 * said they will be absent (reminding them to come reads as not having listened); a reminder
 * for the unanswered also skips those who said they will come.
 */
const skipOf = (step: ReminderStep): RecipientSkip => (step.kind === "notice" ? "none" : step.audience === "unanswered" ? "answered" : "absent");

export interface PlanResult {
  steps: number;
  messages: number;
}

/**
 * Puts into the outbox every reminder step whose time has come, with the recipients of that
 * moment. A step is planned once (reminder_steps), so a second pass, a restarted instance
 * or two instances at once add nothing. When several steps are overdue at once (the meeting
 * was created late, or the bot was down), only the notice — or else the latest reminder —
 * goes out: one message, not a burst.
 */
export async function planDueReminders(deps: CoreDeps): Promise<PlanResult> {
  const now = deps.clock.now();
  const meetings = await deps.store.meetings.plannable(now, new Date(now.getTime() + PLAN_HORIZON_MS));
  const work = meetings.map((meeting) => ({ meeting, due: dueSteps(meeting, now) })).filter((w) => w.due.length > 0);
  if (work.length === 0) return { steps: 0, messages: 0 };

  // Group by (audience, committee) so recipients come from one query per group, not per meeting.
  type Chosen = { meeting: PlannableMeeting; key: string; step: ReminderStep; skipped: string[] };
  const chosen: Chosen[] = work.map(({ meeting, due }) => {
    const pick = due.find((d) => d.step.kind === "notice") ?? due.at(-1)!;
    return { meeting, key: pick.key, step: pick.step, skipped: due.filter((d) => d !== pick).map((d) => d.key) };
  });
  const items: OutboxItem[] = [];
  const recipientCount = new Map<Chosen, number>();
  for (const committeeOnly of [false, true]) {
    for (const skip of ["none", "answered", "absent"] as const) {
      const group = chosen.filter((c) => (c.meeting.kind === "committee") === committeeOnly && skipOf(c.step) === skip);
      if (group.length === 0) continue;
      const recipients = await deps.store.meetings.recipients(
        group.map((c) => ({ meetingId: c.meeting.id, branchId: c.meeting.branchId, day: localDay(c.meeting.startsAt, c.meeting.timezone) })),
        { roles: committeeOnly ? COMMITTEE_ROLES : null, skip },
      );
      const byMeeting = new Map<string, typeof recipients>();
      for (const r of recipients) byMeeting.set(r.meetingId, [...(byMeeting.get(r.meetingId) ?? []), r]);
      for (const c of group) {
        const list = byMeeting.get(c.meeting.id) ?? [];
        recipientCount.set(c, list.length);
        for (const r of list) items.push(item(c.meeting, c.step, c.key, r.personId, r.address, now));
      }
    }
  }
  // Supervisors get the notice of regular, thematic and extraordinary meetings (HD 12-HD/BTCTW).
  const noticed = chosen.filter((c) => c.step.kind === "notice" && c.meeting.kind !== "committee");
  for (const s of await deps.store.meetings.supervisorsOf([...new Set(noticed.map((c) => c.meeting.branchId))])) {
    for (const c of noticed.filter((n) => n.meeting.branchId === s.branchId))
      items.push(item(c.meeting, c.step, c.key, s.personId, s.address, now, "supervisor"));
  }
  // And the branch's linked group chats, on whatever channel.
  for (const c of noticed) for (const chat of c.meeting.groupChats) items.push(item(c.meeting, c.step, c.key, null, chat, now));

  let messages = 0;
  await deps.store.transaction(async (tx) => {
    for (const c of chosen) {
      // Only the planner that marks the step first plans it; another instance skips.
      if (!(await tx.meetings.markStepPlanned(c.meeting.id, c.key, now, recipientCount.get(c) ?? 0))) {
        for (let i = items.length - 1; i >= 0; i--) if (items[i]!.meetingId === c.meeting.id && items[i]!.dedupeKey.includes(`:${c.key}:`)) items.splice(i, 1);
      }
      for (const key of c.skipped) await tx.meetings.markStepPlanned(c.meeting.id, key, now, 0);
    }
    messages = await tx.outbox.enqueue(items, now);
  });
  return { steps: chosen.length, messages };
}

/**
 * Someone who joins a branch after a coming meeting's notice went out gets that notice now:
 * otherwise they would hear of the meeting only from the later reminders, if at all. The
 * same dedupe key as the planned notice, so they never get it twice.
 */
export async function sendNoticesAlreadyOut(deps: CoreDeps, branchId: string, personId: string): Promise<number> {
  const now = deps.clock.now();
  const meetings = (await deps.store.meetings.plannable(now, new Date(now.getTime() + PLAN_HORIZON_MS))).filter((m) => m.branchId === branchId);
  const items: OutboxItem[] = [];
  for (const meeting of meetings) {
    const notice = planOf(meeting).find((step) => step.kind === "notice" && meeting.plannedSteps.includes(stepKey(step)));
    if (!notice) continue;
    const recipients = await deps.store.meetings.recipients([{ meetingId: meeting.id, branchId, day: localDay(meeting.startsAt, meeting.timezone) }], {
      roles: meeting.kind === "committee" ? COMMITTEE_ROLES : null,
      skip: "none",
    });
    const them = recipients.find((r) => r.personId === personId);
    if (them) items.push(item(meeting, notice, stepKey(notice), personId, them.address, now));
  }
  return items.length ? deps.store.outbox.enqueue(items, now) : 0;
}

function item(
  meeting: PlannableMeeting,
  step: ReminderStep,
  key: string,
  personId: string | null,
  address: string,
  now: Date,
  role?: "supervisor",
): OutboxItem {
  const kind = meeting.kind === "committee" ? "meeting.committee" : step.kind === "notice" ? "meeting.notice" : "meeting.reminder";
  return {
    // One message per (meeting, step, person); the group is keyed by its address.
    dedupeKey: dedupeKey.meetingStep(kind, meeting.id, key, personId ?? address),
    kind,
    meetingId: meeting.id,
    personId,
    address,
    notice: {
      kind,
      params: {
        meetingId: meeting.id,
        meetingKind: meeting.kind,
        branchName: meeting.branchName,
        startsAt: meeting.startsAt.toISOString(),
        timezone: meeting.timezone,
        place: meeting.place ?? meeting.defaultPlace,
        agenda: meeting.agenda,
        documents: meeting.documents.length ? JSON.stringify(meeting.documents) : null,
        thematicTopic: meeting.thematicTopic,
        minutesBefore: step.minutesBefore,
        supervisor: role === "supervisor",
        group: personId === null,
      },
    },
    dueAt: now,
    staleAt: meeting.startsAt,
    // Notices before reminders when much is due at once.
    priority: step.kind === "notice" ? 50 : 100,
  };
}

/**
 * The next moment something is due after `now`: a reminder step of a meeting in the
 * horizon, or an outbox row waiting for its time. The sandbox steps its clock to these
 * moments, so reminders are seen arriving at the minute they are due.
 */
export async function nextEventAfter(deps: CoreDeps, now: Date, until: Date): Promise<Date | undefined> {
  const meetings = await deps.store.meetings.plannable(now, new Date(until.getTime() + PLAN_HORIZON_MS));
  let next: number | undefined;
  for (const meeting of meetings) {
    for (const step of planOf(meeting)) {
      const at = meeting.startsAt.getTime() - step.minutesBefore * 60_000;
      if (at > now.getTime() && at <= until.getTime() && !meeting.plannedSteps.includes(stepKey(step))) next = Math.min(next ?? at, at);
    }
  }
  const pending = await deps.store.outbox.nextPendingDue();
  if (pending && pending.getTime() > now.getTime() && pending.getTime() <= until.getTime()) next = Math.min(next ?? pending.getTime(), pending.getTime());
  return next === undefined ? undefined : new Date(next);
}

export interface NextMoments {
  /** When the next notice still to be sent goes out, and the start of the meeting it calls. */
  notice?: { at: Date; startsAt: Date };
  /** The start of the next meeting. */
  meeting?: { startsAt: Date };
}

/** The rule's meetings exist this many months ahead (see ensureOccurrences), so looking further finds nothing. */
const MOMENTS_LOOKAHEAD_MS = (MONTHS_AHEAD + 1) * 31 * 24 * 3600_000;

/**
 * A branch's coming moments, read from its scheduled meetings (the committee's own meetings
 * aside, as members never hear of them): when the next notice goes out and when the next
 * meeting starts. Read-only; the sandbox offers them as shortcuts for its clock.
 */
export async function nextMoments(deps: CoreDeps, branchId: string): Promise<NextMoments> {
  const now = deps.clock.now();
  const meetings = (await deps.store.meetings.plannable(now, new Date(now.getTime() + MOMENTS_LOOKAHEAD_MS))).filter(
    (m) => m.branchId === branchId && m.kind !== "committee",
  );
  const moments: NextMoments = {};
  const first = meetings[0];
  if (first) moments.meeting = { startsAt: first.startsAt };
  for (const meeting of meetings) {
    const notice = planOf(meeting).find((step) => step.kind === "notice");
    if (!notice || meeting.plannedSteps.includes(stepKey(notice))) continue;
    const at = new Date(meeting.startsAt.getTime() - notice.minutesBefore * 60_000);
    if (at.getTime() > now.getTime() && (!moments.notice || at.getTime() < moments.notice.at.getTime())) moments.notice = { at, startsAt: meeting.startsAt };
  }
  return moments;
}
