import type { CoreDeps } from "../deps.ts";
import type { Meeting } from "../meetings/types.ts";
import { sortRoster } from "../roster/service.ts";
import type { BookRow } from "./types.ts";
import { addDays, localDay, zonedInstant } from "../time.ts";
import {
  criteriaMisses,
  excusedRuns,
  windowStart,
  type CriterionMiss,
  type MeetingFacts,
  type MeetingRecord,
  type Outcome,
  type Thresholds,
  type Window,
} from "./rules.ts";

export interface MeetingYear {
  meeting: Meeting;
  day: string;
  expected: number;
  present: number;
  facts: MeetingFacts;
  /** Hướng dẫn 12's criteria this regular meeting missed (empty: met). */
  misses: CriterionMiss[];
}

export interface MemberYear {
  membershipId: string;
  name: string;
  /**
   * Every closed meeting of the window, oldest first, "outside" where the member was not
   * expected. `specialDuty`: expected that day and counted in the meeting, yet outside the
   * member rules (SPEC §7).
   */
  records: Array<MeetingRecord & { reason: string | null; specialDuty: boolean }>;
}

export interface BranchYear {
  from: string;
  to: string;
  meetings: MeetingYear[];
  members: MemberYear[];
}

/** A branch meeting whose roll call is closed counts; committee meetings are not the branch's attendance. */
const counts = (m: Meeting) => m.kind !== "committee" && m.status !== "cancelled" && m.rollCallClosedAt !== null;

const outcomeOf = (line: BookRow): Outcome => (line.present ? "present" : (line.absence ?? "undecided"));

/**
 * A branch's attendance over the window ending on `asOf`: each closed meeting with its counts
 * and HD 12 criteria, and each member's outcome at each of them — "outside" for a meeting
 * they were not expected at (exempt, transferred out, special duty, not yet a member), which is
 * how a status held for part of the year keeps exactly that part out of the rules.
 */
export async function branchYear(
  deps: CoreDeps,
  branch: { id: string; timezone: string },
  asOf: string,
  window: Window,
  thresholds: Thresholds,
): Promise<BranchYear> {
  const from = windowStart(asOf, window);
  const start = zonedInstant(from, "00:00", branch.timezone);
  const end = zonedInstant(addDays(asOf, 1), "00:00", branch.timezone);
  const [meetings, book] = await Promise.all([deps.store.meetings.list(branch.id, start, end, false), deps.store.attendance.book([branch.id], start, end)]);
  return yearOf({ meetings, book, timezone: branch.timezone, from, to: asOf, window, thresholds });
}

/**
 * The same from rows already read (the reports read the book of many branches at once):
 * `meetings` may hold any of the branch's meetings, only closed branch meetings count; `book`
 * holds the lines of those meetings.
 */
export function yearOf(input: {
  meetings: Meeting[];
  book: BookRow[];
  timezone: string;
  from: string;
  to: string;
  window: Window;
  thresholds: Thresholds;
}): BranchYear {
  const { timezone, window, thresholds } = input;
  const closed = input.meetings
    .filter(counts)
    .map((meeting) => ({ meeting, day: localDay(meeting.startsAt, timezone) }))
    .filter((m) => m.day >= input.from && m.day <= input.to)
    .sort((a, b) => a.meeting.startsAt.getTime() - b.meeting.startsAt.getTime());
  const lines = new Map<string, BookRow[]>();
  for (const line of input.book) {
    const list = lines.get(line.meetingId);
    if (list) list.push(line);
    else lines.set(line.meetingId, [line]);
  }

  const members = new Map<string, MemberYear>();
  const perMeeting = closed.map(({ meeting, day }) => {
    const outcomes = new Map<string, { outcome: Outcome; reason: string | null; specialDuty: boolean }>();
    for (const line of lines.get(meeting.id) ?? []) {
      outcomes.set(line.membershipId, { outcome: outcomeOf(line), reason: line.reason, specialDuty: line.status === "special_duty" });
      if (!members.has(line.membershipId)) members.set(line.membershipId, { membershipId: line.membershipId, name: line.name, records: [] });
    }
    return { meeting, day, outcomes };
  });
  for (const { meeting, day, outcomes } of perMeeting) {
    for (const member of members.values()) {
      const o = outcomes.get(member.membershipId);
      member.records.push({ meetingId: meeting.id, day, outcome: o?.outcome ?? "outside", reason: o?.reason ?? null, specialDuty: o?.specialDuty ?? false });
    }
  }

  const runs = new Map([...members.values()].map((m) => [m.membershipId, excusedRuns(m.records, window)]));
  const meetings: MeetingYear[] = perMeeting.map(({ meeting, day, outcomes }) => {
    const all = [...outcomes.values()];
    const present = all.filter((o) => o.outcome === "present").length;
    const facts: MeetingFacts = {
      rate: all.length ? present / all.length : null,
      unexcused: all.filter((o) => o.outcome === "unexcused").length,
      longExcusedRuns: [...outcomes.entries()].filter(([id, o]) => o.outcome === "excused" && (runs.get(id)?.get(meeting.id) ?? 0) > 3).length,
    };
    return { meeting, day, expected: all.length, present, facts, misses: meeting.kind === "regular" ? criteriaMisses(facts, thresholds) : [] };
  });
  // In the roster's order (by given name), so the attendance book reads like the roll call.
  return { from: input.from, to: input.to, meetings, members: sortRoster([...members.values()]) };
}
