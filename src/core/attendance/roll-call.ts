import { evaluateBranch } from "../alerts/service.ts";
import { randomInt } from "node:crypto";
import { can, forbidden, type Action, type Forbidden } from "../access/permissions.ts";
import type { CoreDeps } from "../deps.ts";
import type { Meeting } from "../meetings/types.ts";
import type { Actor } from "../roles.ts";
import { sortRoster } from "../roster/service.ts";
import { localDay } from "../time.ts";
import { countMinutes, isExpectedOn, type MinutesCounts, type RosterAtMeeting } from "./counts.ts";
import { boundReason } from "./rules.ts";
import { notify } from "../delivery/notify.ts";

/** Roll call opens an hour before the start and stays reachable for a week after. */
const OPENS_BEFORE_MS = 3600_000;
const LOOKBACK_MS = 7 * 24 * 3600_000;
/** A check-in code works from now until three hours after the start. */
const CHECK_IN_AFTER_START_MS = 3 * 3600_000;
/** Another person's change to the same line within this window counts as editing at once. */
const CONCURRENT_EDIT_MS = 30 * 60_000;

export interface RollCallLine {
  membershipId: string;
  name: string;
  personId: string | null;
  status: RosterAtMeeting["status"];
  /** Expected at this meeting; one who is not (exempt, transferred out) and came is listed apart. */
  expected: boolean;
  present: boolean;
  absence: "excused" | "unexcused" | null;
  reason: string | null;
  /** Whether the line comes from the roll call itself, or is pre-filled from the replies. */
  recorded: boolean;
  /** Present by typing the check-in code, until the secretary confirms it by closing the roll call. */
  checkedIn: boolean;
}

export interface Guest {
  id: string;
  name: string;
}

export interface RollCallView {
  meeting: Meeting;
  branchName: string;
  timezone: string;
  lines: RollCallLine[];
  guests: Guest[];
  counts: MinutesCounts;
  closed: boolean;
  /** Marks people present or absent and adds guests (secretary, deputy, allowed committee members). */
  canMark: boolean;
  /** Decides absences, shows the check-in code and closes the roll call (secretary, deputy). */
  canManage: boolean;
}

type Problem = { ok: false; reason: "unknown" | "cancelled" | "not_open" | "undecided" | "closed" | "bad_code" | "not_member" | "no_guest" };

async function load(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
  action: Action,
): Promise<{ ok: true; meeting: Meeting; timezone: string; branchName: string; canMark: boolean; canManage: boolean } | Forbidden | Problem> {
  const meeting = await deps.store.meetings.get(meetingId);
  if (!meeting) return { ok: false, reason: "unknown" };
  const scope = await deps.store.orgUnits.branchScope(meeting.branchId);
  if (!scope || !can(actor, action, scope)) return forbidden;
  if (meeting.status === "cancelled") return { ok: false, reason: "cancelled" };
  const branch = (await deps.store.branches.get(meeting.branchId))!;
  return {
    ok: true,
    meeting,
    timezone: branch.timezone,
    branchName: branch.name,
    canMark: can(actor, "rollcall.mark", scope),
    canManage: can(actor, "rollcall.manage", scope),
  };
}

/** The meeting a roll call is about now: the one under way, else the last one (within a week). */
export async function currentMeeting(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
): Promise<{ ok: true; meetingId: string } | Forbidden | { ok: false; reason: "none" }> {
  const scope = await deps.store.orgUnits.branchScope(branchId);
  if (!scope || !can(actor, "attendance.view", scope)) return forbidden;
  const now = deps.clock.now().getTime();
  const meetings = await deps.store.meetings.list(branchId, new Date(now - LOOKBACK_MS), new Date(now + OPENS_BEFORE_MS), false);
  const last = meetings.filter((m) => m.kind !== "committee").at(-1);
  return last ? { ok: true, meetingId: last.id } : { ok: false, reason: "none" };
}

/** The roll call as it stands, pre-filled from the replies where nothing is recorded yet. */
export async function view(deps: CoreDeps, actor: Actor, meetingId: string): Promise<{ ok: true; view: RollCallView } | Forbidden | Problem> {
  const found = await load(deps, actor, meetingId, "attendance.view");
  if (!found.ok) return found;
  const { meeting, timezone } = found;
  const current = await sheet(deps, meeting, timezone);
  return {
    ok: true,
    view: {
      meeting,
      branchName: found.branchName,
      timezone,
      ...current,
      closed: meeting.rollCallClosedAt !== null,
      canMark: found.canMark,
      canManage: found.canManage,
    },
  };
}

/**
 * The lines, guests and counts of a meeting's roll call, without a permission check: for
 * callers that checked already (the view above, the resolution and its documents).
 */
export async function sheet(deps: CoreDeps, meeting: Meeting, timezone: string): Promise<Pick<RollCallView, "lines" | "guests" | "counts">> {
  const day = localDay(meeting.startsAt, timezone);
  const [roster, records, replies, guests] = await Promise.all([
    deps.store.roster.list(meeting.branchId, day),
    deps.store.rollCall.records(meeting.id),
    deps.store.attendance.expected(meeting.id, meeting.branchId, day, false),
    deps.store.rollCall.guests(meeting.id),
  ]);
  const recorded = new Map(records.map((r) => [r.membershipId, r]));
  const replied = new Map(replies.map((r) => [r.membershipId, r]));
  const lines: RollCallLine[] = sortRoster(roster).map((entry) => {
    const record = recorded.get(entry.membershipId);
    const expected = isExpectedOn(entry.status, entry.statusUntil, day);
    const who = { membershipId: entry.membershipId, name: entry.name, personId: entry.personId, status: entry.status, expected };
    if (record)
      return { ...who, present: record.present, absence: record.absence, reason: record.reason, recorded: true, checkedIn: record.source === "check_in" };
    const reply = replied.get(entry.membershipId);
    return { ...who, present: reply?.answer === "yes", absence: null, reason: reply?.answer === "no" ? reply.reason : null, recorded: false, checkedIn: false };
  });
  const atMeeting: RosterAtMeeting[] = roster.map((e) => ({
    membershipId: e.membershipId,
    name: e.name,
    memberType: e.memberType,
    status: e.status,
    expected: isExpectedOn(e.status, e.statusUntil, day),
  }));
  const counts = countMinutes(
    atMeeting,
    lines.map((l) => ({ membershipId: l.membershipId, present: l.present, absence: l.absence, reason: l.reason })),
    guests.length,
  );
  return { lines, guests, counts };
}

function opened(deps: CoreDeps, meeting: Meeting): boolean {
  return deps.clock.now().getTime() >= meeting.startsAt.getTime() - OPENS_BEFORE_MS;
}

/**
 * Marks one person present or absent (committee members the secretary allows may help). After the
 * roll call closed, only the secretary may change it, and every change goes to the audit log.
 */
export async function mark(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
  membershipId: string,
  change: { present: boolean } | { absence: "excused" | "unexcused"; reason?: string },
): Promise<{ ok: true; overrode: string | null } | Forbidden | Problem> {
  // Deciding whether a reason is accepted is the secretary's call.
  const found = await load(deps, actor, meetingId, "absence" in change ? "rollcall.manage" : "rollcall.mark");
  if (!found.ok) return found;
  const { meeting } = found;
  if (!opened(deps, meeting)) return { ok: false, reason: "not_open" };
  if (meeting.rollCallClosedAt && !found.canManage) return { ok: false, reason: "closed" };
  const current = await view(deps, actor, meetingId);
  if (!current.ok) return current;
  const line = current.view.lines.find((l) => l.membershipId === membershipId);
  if (!line) return { ok: false, reason: "not_member" };
  const next =
    "present" in change
      ? { present: change.present, absence: change.present ? null : line.absence, reason: change.present ? null : line.reason }
      : { present: false, absence: change.absence, reason: change.reason !== undefined ? boundReason(change.reason).reason || null : line.reason };
  // Two people calling the roll at once: the last write wins for that person, and whoever
  // wrote the line just before is told, so neither is surprised.
  const previous = (await deps.store.rollCall.records(meetingId)).find((r) => r.membershipId === membershipId);
  const overridden =
    previous?.recordedBy && previous.recordedBy !== actor.person.id && deps.clock.now().getTime() - previous.recordedAt.getTime() < CONCURRENT_EDIT_MS
      ? previous.recordedBy
      : null;
  await deps.store.transaction(async (tx) => {
    await tx.rollCall.upsert({ meetingId, membershipId, ...next, source: "roll_call", by: actor.person.id, at: deps.clock.now() });
    if (meeting.rollCallClosedAt) {
      await tx.audit.record({
        actorPersonId: actor.person.id,
        branchId: meeting.branchId,
        action: "rollcall.edit",
        entity: "attendance",
        entityId: `${meetingId}:${membershipId}`,
        before: line,
        after: next,
        at: deps.clock.now(),
      });
      // A correction after closing may raise an alert or withdraw one.
      await evaluateBranch({ ...deps, store: tx }, meeting.branchId);
    }
  });
  if (!overridden) return { ok: true, overrode: null };
  await notify(
    deps,
    [overridden],
    { kind: "rollcall.overridden", params: { by: actor.person.displayName, name: line.name, present: next.present, absence: next.absence } },
    `${meetingId}:${membershipId}:${deps.clock.now().getTime()}`,
  );
  return { ok: true, overrode: (await deps.store.people.get(overridden))?.displayName ?? null };
}

/** Adds a guest (the supervisor, say); after closing only the secretary may, and the audit log keeps it. */
export async function addGuest(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
  name: string,
): Promise<{ ok: true } | Forbidden | Problem | { ok: false; reason: "bad_name" }> {
  const found = await load(deps, actor, meetingId, "rollcall.mark");
  if (!found.ok) return found;
  if (found.meeting.rollCallClosedAt && !found.canManage) return { ok: false, reason: "closed" };
  const clean = name.replace(/\s+/g, " ").trim();
  if (clean.length < 2 || clean.length > 120) return { ok: false, reason: "bad_name" };
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.rollCall.addGuest(meetingId, clean, null, now);
    if (found.meeting.rollCallClosedAt) {
      await tx.audit.record({
        actorPersonId: actor.person.id,
        branchId: found.meeting.branchId,
        action: "rollcall.edit",
        entity: "guest",
        entityId: meetingId,
        after: { name: clean },
        at: now,
      });
    }
  });
  return { ok: true };
}

/** Removes a guest added by mistake; the same rules as adding one. */
export async function removeGuest(deps: CoreDeps, actor: Actor, meetingId: string, guestId: string): Promise<{ ok: true; name: string } | Forbidden | Problem> {
  const found = await load(deps, actor, meetingId, "rollcall.mark");
  if (!found.ok) return found;
  if (found.meeting.rollCallClosedAt && !found.canManage) return { ok: false, reason: "closed" };
  const guest = (await deps.store.rollCall.guests(meetingId)).find((g) => g.id === guestId);
  if (!guest) return { ok: false, reason: "no_guest" };
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    if (!(await tx.rollCall.removeGuest(meetingId, guestId))) return;
    if (found.meeting.rollCallClosedAt) {
      await tx.audit.record({
        actorPersonId: actor.person.id,
        branchId: found.meeting.branchId,
        action: "rollcall.edit",
        entity: "guest",
        entityId: `${meetingId}:${guestId}`,
        before: { name: guest.name },
        at: now,
      });
    }
  });
  return { ok: true, name: guest.name };
}

/** A short code shown at the meeting; members type it to mark themselves present. */
export async function startCheckIn(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
): Promise<{ ok: true; code: string; expiresAt: Date } | Forbidden | Problem> {
  const found = await load(deps, actor, meetingId, "rollcall.manage");
  if (!found.ok) return found;
  const { meeting } = found;
  if (!opened(deps, meeting)) return { ok: false, reason: "not_open" };
  if (meeting.rollCallClosedAt) return { ok: false, reason: "closed" };
  const expiresAt = new Date(meeting.startsAt.getTime() + CHECK_IN_AFTER_START_MS);
  if (meeting.checkInCode && meeting.checkInExpiresAt && meeting.checkInExpiresAt.getTime() > deps.clock.now().getTime())
    return { ok: true, code: meeting.checkInCode, expiresAt: meeting.checkInExpiresAt };
  const code = String(randomInt(100_000, 1_000_000));
  await deps.store.meetings.update(meetingId, { checkInCode: code, checkInExpiresAt: expiresAt }, false);
  return { ok: true, code, expiresAt };
}

/** A check-in code as people type it: "452280", "452 280", "452-280". */
export function normalizeCheckInCode(typed: string): string | undefined {
  const match = /^(\d{3})[\s.-]?(\d{3})$/.exec(typed.trim());
  return match ? `${match[1]}${match[2]}` : undefined;
}

export type CheckedIn = {
  ok: true;
  meeting: Meeting;
  timezone: string;
  /**
   * False for a member not expected at the meeting (exempt, transferred out): recorded as
   * attending, but apart, outside the counts and the rate; `status` says why.
   */
  counted: boolean;
  status: RosterAtMeeting["status"];
};

/** A member typed a check-in code: present at the meeting whose code it is, while it is valid. */
export async function checkIn(deps: CoreDeps, actor: Actor, typed: string): Promise<CheckedIn | { ok: false; reason: "bad_code" }> {
  const code = normalizeCheckInCode(typed);
  if (!code) return { ok: false, reason: "bad_code" };
  const now = deps.clock.now();
  for (const m of actor.memberships) {
    const meetings = await deps.store.meetings.list(m.branchId, new Date(now.getTime() - LOOKBACK_MS), new Date(now.getTime() + OPENS_BEFORE_MS), false);
    const meeting = meetings.find((x) => x.checkInCode === code && x.checkInExpiresAt && x.checkInExpiresAt.getTime() > now.getTime() && !x.rollCallClosedAt);
    if (!meeting) continue;
    const branch = await deps.store.branches.get(m.branchId);
    const timezone = branch?.timezone ?? deps.timezone;
    const day = localDay(meeting.startsAt, timezone);
    const entry = (await deps.store.roster.list(m.branchId, day)).find((r) => r.membershipId === m.membershipId);
    if (!entry) continue;
    await deps.store.rollCall.upsert({
      meetingId: meeting.id,
      membershipId: m.membershipId,
      present: true,
      absence: null,
      reason: null,
      source: "check_in",
      by: actor.person.id,
      at: now,
    });
    return { ok: true, meeting, timezone, counted: isExpectedOn(entry.status, entry.statusUntil, day), status: entry.status };
  }
  return { ok: false, reason: "bad_code" };
}

/**
 * Closes the roll call: the pre-filled lines become records, and the meeting is held. Every
 * absent expected member needs a decision (reason accepted or not) first.
 */
export async function close(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
): Promise<{ ok: true; counts: MinutesCounts } | Forbidden | Problem | { ok: false; reason: "undecided"; names: string[] }> {
  const found = await load(deps, actor, meetingId, "rollcall.manage");
  if (!found.ok) return found;
  if (found.meeting.rollCallClosedAt) return { ok: false, reason: "closed" };
  if (deps.clock.now().getTime() < found.meeting.startsAt.getTime()) return { ok: false, reason: "not_open" };
  const current = await view(deps, actor, meetingId);
  if (!current.ok) return current;
  if (current.view.counts.absentUndecided.length) return { ok: false, reason: "undecided", names: current.view.counts.absentUndecided };
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    for (const line of current.view.lines.filter((l) => !l.recorded)) {
      await tx.rollCall.upsert({
        meetingId,
        membershipId: line.membershipId,
        present: line.present,
        absence: line.absence,
        reason: line.reason,
        source: "roll_call",
        by: actor.person.id,
        at: now,
      });
    }
    await tx.meetings.update(meetingId, { status: "held", rollCallClosedAt: now, checkInCode: null, checkInExpiresAt: null }, false);
    // The absentee rules, on the record just closed: raised with it, or not at all.
    await evaluateBranch({ ...deps, store: tx }, found.meeting.branchId);
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: found.meeting.branchId,
      action: "rollcall.close",
      entity: "meeting",
      entityId: meetingId,
      after: current.view.counts,
      at: now,
    });
  });
  return { ok: true, counts: current.view.counts };
}
