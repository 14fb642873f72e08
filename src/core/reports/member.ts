import { windowStart, type Outcome, type Window } from "../alerts/rules.ts";
import { settingsOf } from "../alerts/service.ts";
import type { CoreDeps } from "../deps.ts";
import type { MeetingKind } from "../meetings/types.ts";
import type { Actor } from "../roles.ts";
import { addDays, localDay, zonedInstant } from "../time.ts";

/** One meeting as a member sees their own part in it. */
export interface OwnMeetingLine {
  day: string;
  kind: MeetingKind;
  /** False while the roll call is open: nothing is recorded yet. */
  closed: boolean;
  /** Null while the roll call is open; "outside" when the member was not expected (exempt, …). */
  outcome: Outcome | null;
  /** What they answered to the notice beforehand. */
  reply: "yes" | "no" | "maybe" | null;
  reason: string | null;
}

export interface OwnYear {
  branchName: string;
  window: Window;
  from: string;
  to: string;
  lines: OwnMeetingLine[];
  totals: { expected: number; present: number; excused: number; unexcused: number };
  /** Their own open alerts (A1–A4), as the branch committee sees them. */
  openAlerts: Array<{ rule: string; day: string | null; months: number }>;
}

/**
 * A member's own year in each branch they belong to (SPEC §8: "a member sees their own
 * record"): each meeting of the rules' window up to today, their reply, whether they came,
 * the reason and whether it was accepted, and the alerts open about them. Nobody else's.
 */
export async function ownYear(deps: CoreDeps, actor: Actor): Promise<OwnYear[]> {
  const now = deps.clock.now();
  const years: OwnYear[] = [];
  for (const membership of actor.memberships) {
    const branch = await deps.store.branches.get(membership.branchId);
    if (!branch) continue;
    const { window } = await settingsOf(deps, branch);
    const to = localDay(now, branch.timezone);
    const from = windowStart(to, window);
    const start = zonedInstant(from, "00:00", branch.timezone);
    const end = zonedInstant(addDays(to, 1), "00:00", branch.timezone);
    const [meetings, book, alerts] = await Promise.all([
      deps.store.meetings.list(branch.id, start, end, false),
      deps.store.attendance.book([branch.id], start, end),
      deps.store.alerts.open([branch.id]),
    ]);
    const mine = new Map(book.filter((l) => l.membershipId === membership.membershipId).map((l) => [l.meetingId, l]));
    const lines: OwnMeetingLine[] = meetings
      .filter((m) => m.kind !== "committee" && m.startsAt <= now)
      .map((m) => {
        const line = mine.get(m.id);
        const closed = m.rollCallClosedAt !== null;
        const outcome: Outcome | null = !closed ? null : !line ? "outside" : line.present ? "present" : (line.absence ?? "undecided");
        return { day: localDay(m.startsAt, branch.timezone), kind: m.kind, closed, outcome, reply: line?.reply ?? null, reason: line?.reason ?? null };
      });
    const count = (o: Outcome) => lines.filter((l) => l.outcome === o).length;
    const totals = { present: count("present"), excused: count("excused"), unexcused: count("unexcused"), expected: 0 };
    totals.expected = totals.present + totals.excused + totals.unexcused + count("undecided");
    years.push({
      branchName: branch.name,
      window,
      from,
      to,
      lines,
      totals,
      openAlerts: alerts
        .filter((a) => a.membershipId === membership.membershipId)
        .map((a) => ({
          rule: a.rule,
          day: typeof a.details.lastDay === "string" ? a.details.lastDay : null,
          months: Array.isArray(a.details.meetings) ? new Set((a.details.meetings as Array<{ day?: string }>).map((m) => m.day?.slice(0, 7))).size : 0,
        })),
    });
  }
  return years;
}
