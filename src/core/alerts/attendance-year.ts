import type { CoreDeps } from "../deps.ts";
import type { Meeting } from "../meetings/types.ts";
import { localDay, zonedInstant } from "../time.ts";
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
  /** Every closed meeting of the window, oldest first, "outside" where the member was not expected. */
  records: Array<MeetingRecord & { reason: string | null }>;
}

export interface BranchYear {
  from: string;
  to: string;
  meetings: MeetingYear[];
  members: MemberYear[];
}

/** A branch meeting whose roll call is closed counts; committee meetings are not the branch's attendance. */
const counts = (m: Meeting) => m.kind !== "committee" && m.status !== "cancelled" && m.rollCallClosedAt !== null;

/**
 * A branch's attendance over the window ending on `asOf`: each closed meeting with its counts
 * and HD 12 criteria, and each member's outcome at each of them — "outside" for a meeting
 * they were not expected at (exempt, transferred out, special duty, not yet a member), which is
 * how a status held for part of the year keeps exactly that part out of the rules.
 */
export async function branchYear(deps: CoreDeps, branchId: string, asOf: string, window: Window, thresholds: Thresholds): Promise<BranchYear> {
  const branch = await deps.store.branches.get(branchId);
  const timezone = branch?.timezone ?? deps.timezone;
  const from = windowStart(asOf, window);
  const list = await deps.store.meetings.list(branchId, zonedInstant(from, "00:00", timezone), zonedInstant(asOf, "23:59", timezone), false);
  const closed = list.filter(counts).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

  const members = new Map<string, MemberYear>();
  const perMeeting: Array<{ meeting: Meeting; day: string; outcomes: Map<string, { outcome: Outcome; reason: string | null }> }> = [];
  for (const meeting of closed) {
    const day = localDay(meeting.startsAt, timezone);
    const [expected, records] = await Promise.all([deps.store.attendance.expected(meeting.id, branchId, day, false), deps.store.rollCall.records(meeting.id)]);
    const recorded = new Map(records.map((r) => [r.membershipId, r]));
    const outcomes = new Map<string, { outcome: Outcome; reason: string | null }>();
    for (const row of expected) {
      const r = recorded.get(row.membershipId);
      const outcome: Outcome = r?.present ? "present" : (r?.absence ?? "undecided");
      outcomes.set(row.membershipId, { outcome, reason: r?.reason ?? row.reason ?? null });
      if (!members.has(row.membershipId)) members.set(row.membershipId, { membershipId: row.membershipId, name: row.name, records: [] });
    }
    perMeeting.push({ meeting, day, outcomes });
  }
  for (const { meeting, day, outcomes } of perMeeting) {
    for (const member of members.values()) {
      const o = outcomes.get(member.membershipId);
      member.records.push({ meetingId: meeting.id, day, outcome: o?.outcome ?? "outside", reason: o?.reason ?? null });
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
  return { from, to: asOf, meetings, members: [...members.values()] };
}
