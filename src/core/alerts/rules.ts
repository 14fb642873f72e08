/**
 * The absentee rules of SPEC §7 (A1–A6) and the attendance criteria of Hướng dẫn 12 for a
 * regular meeting, as pure functions of a member's or a meeting's record. The service feeds
 * them from the roll calls (and the roster's status history, which decides when a member is
 * inside the rules at all); they decide nothing else and change nobody's membership.
 */

/** How a member stood at one meeting, as the closed roll call and the roster say. */
export type Outcome =
  | "present"
  | "excused"
  | "unexcused"
  // Absent, reason not yet decided: counts for no rule until the secretary decides.
  | "undecided"
  // Not expected that day: exempt, temporarily exempt, transferred out, on special duty, or
  // not yet a member. Outside the rules for exactly that meeting.
  | "outside";

export interface MeetingRecord {
  meetingId: string;
  /** The meeting's local day, "YYYY-MM-DD". */
  day: string;
  outcome: Outcome;
}

export interface Thresholds {
  /** Attendance rate under which a meeting is flagged (A5), as a fraction: 0.85. */
  rate: number;
  /** Consecutive excused absences that raise A2 (3). */
  consecutiveExcused: number;
  /** Months with an unexcused absence that raise A4 (3). */
  unexcusedMonths: number;
  /** Months with an unexcused absence that raise the early warning A3 (2). */
  earlyWarningMonths: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = { rate: 0.85, consecutiveExcused: 3, unexcusedMonths: 3, earlyWarningMonths: 2 };

/** The year the rules count in: the calendar year, or the 12 months up to the day evaluated. */
export type Window = "calendar" | "rolling";

export type MemberRule = "A1" | "A2" | "A3" | "A4";

export interface MemberAlert {
  rule: MemberRule;
  /**
   * What makes it one alert, with the rule and the member: A1 the meeting; A2 the meeting of
   * the streak's threshold; A3, A4 the month the threshold was reached. Raised once per key.
   */
  period: string;
  /** The meetings it stands on, oldest first (for the message: dates and reasons). */
  meetingIds: string[];
}

const month = (day: string) => day.slice(0, 7);

/** The first day inside the window that ends on `asOf` (inclusive). */
export function windowStart(asOf: string, window: Window): string {
  if (window === "calendar") return `${asOf.slice(0, 4)}-01-01`;
  const [y, m, d] = asOf.split("-").map(Number) as [number, number, number];
  // The same day a year earlier (29 February becomes the 28th), and the window starts after it.
  const lastDayOfMonth = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  const yearBefore = Date.UTC(y - 1, m - 1, Math.min(d, lastDayOfMonth));
  return new Date(yearBefore + 24 * 3600_000).toISOString().slice(0, 10);
}

/**
 * The member alerts true on `asOf` for one member's meetings (any order; meetings after
 * `asOf` are ignored). Only meetings inside the window count toward A2–A4; every unexcused
 * absence inside it is an A1.
 */
export function memberAlerts(records: MeetingRecord[], asOf: string, window: Window, thresholds: Thresholds = DEFAULT_THRESHOLDS): MemberAlert[] {
  const from = windowStart(asOf, window);
  const counted = records.filter((r) => r.day >= from && r.day <= asOf).sort((a, b) => a.day.localeCompare(b.day) || a.meetingId.localeCompare(b.meetingId));
  const alerts: MemberAlert[] = [];

  for (const r of counted) if (r.outcome === "unexcused") alerts.push({ rule: "A1", period: r.meetingId, meetingIds: [r.meetingId] });

  // A2: excused absences in a row, among the meetings the member was expected at and whose
  // absences are decided; being present or unexcused ends the run.
  let run: MeetingRecord[] = [];
  for (const r of counted) {
    if (r.outcome === "outside" || r.outcome === "undecided") continue;
    if (r.outcome !== "excused") {
      run = [];
      continue;
    }
    run.push(r);
    if (run.length === thresholds.consecutiveExcused) {
      alerts.push({ rule: "A2", period: r.meetingId, meetingIds: run.map((x) => x.meetingId) });
    }
  }

  // A3, A4: months with at least one unexcused absence.
  const months: Array<{ month: string; meetingIds: string[] }> = [];
  for (const r of counted) {
    if (r.outcome !== "unexcused") continue;
    const last = months.at(-1);
    if (last?.month === month(r.day)) last.meetingIds.push(r.meetingId);
    else months.push({ month: month(r.day), meetingIds: [r.meetingId] });
  }
  const reached = (rule: "A3" | "A4", count: number) => {
    if (count <= 0 || months.length < count) return;
    alerts.push({ rule, period: months[count - 1]!.month, meetingIds: months.slice(0, count).flatMap((m) => m.meetingIds) });
  };
  reached("A3", thresholds.earlyWarningMonths);
  reached("A4", thresholds.unexcusedMonths);
  return alerts;
}

export interface MeetingFacts {
  /** Present expected members ÷ expected; null when nobody was expected. */
  rate: number | null;
  unexcused: number;
  /**
   * Members absent with an accepted reason here whose run of excused absences in the year
   * (this one included) is longer than three: HD 12's third criterion.
   */
  longExcusedRuns: number;
}

export type CriterionMiss = "rate" | "unexcused" | "excused_run";

/**
 * Hướng dẫn 12's attendance criteria for a regular meeting: a rate above the threshold, no
 * one absent without a reason, no one absent with a reason more than three times in a row
 * in the year. Met when the list is empty; otherwise it says which failed.
 */
export function criteriaMisses(facts: MeetingFacts, thresholds: Thresholds = DEFAULT_THRESHOLDS): CriterionMiss[] {
  const misses: CriterionMiss[] = [];
  if (facts.rate === null || !(facts.rate > thresholds.rate)) misses.push("rate");
  if (facts.unexcused > 0) misses.push("unexcused");
  if (facts.longExcusedRuns > 0) misses.push("excused_run");
  return misses;
}

/** A5: the meeting's rate is under the threshold (exactly at it is not). */
export const rateBelow = (rate: number | null, thresholds: Thresholds = DEFAULT_THRESHOLDS) => rate !== null && rate < thresholds.rate;

/**
 * A6: a meeting still without a closed roll call two days after it began; `escalate` when a
 * day more has passed, so the supervisors hear of it after the secretary.
 */
export function rollCallOverdue(startsAt: Date, closed: boolean, now: Date): { overdue: boolean; escalate: boolean } {
  const days = (now.getTime() - startsAt.getTime()) / (24 * 3600_000);
  return { overdue: !closed && days >= 2, escalate: !closed && days >= 3 };
}

/**
 * The length of the run of excused absences ending at each meeting, for HD 12's third
 * criterion ("more than three times in a row in the year"): in the calendar window a new year
 * starts a new run; meetings the member was outside of, or whose absence is undecided, neither
 * add to a run nor end it.
 */
export function excusedRuns(records: MeetingRecord[], window: Window): Map<string, number> {
  const runs = new Map<string, number>();
  let run = 0;
  let year = "";
  for (const r of [...records].sort((a, b) => a.day.localeCompare(b.day))) {
    if (window === "calendar" && r.day.slice(0, 4) !== year) {
      year = r.day.slice(0, 4);
      run = 0;
    }
    if (r.outcome === "outside" || r.outcome === "undecided") continue;
    run = r.outcome === "excused" ? run + 1 : 0;
    runs.set(r.meetingId, run);
  }
  return runs;
}
