import type { CriterionMiss, Outcome } from "../alerts/rules.ts";
import type { MeetingKind } from "../meetings/types.ts";

/**
 * The attendance reports of SPEC §8 as plain data: what the chat shows, what the chart draws
 * and what the CSV and XLSX files hold all come from these, so the three always agree.
 * Days are the branch's local days ("YYYY-MM-DD"); rates are fractions (0.85), null when
 * nobody was expected.
 */

export type PeriodKind = "month" | "quarter" | "year";

export interface ReportPeriod {
  kind: PeriodKind;
  /** "2026-11", "2026-Q4" or "2026". */
  key: string;
  /** First and last day, inclusive. */
  from: string;
  to: string;
}

export interface MeetingLine {
  meetingId: string;
  day: string;
  kind: MeetingKind;
  /** A thematic meeting's topic; null for the others. */
  topic: string | null;
  /** False while the roll call is open: the counts below are then all zero. */
  rollCallClosed: boolean;
  expected: number;
  present: number;
  excused: number;
  unexcused: number;
  /** Absent, reason not decided yet. */
  undecided: number;
  rate: number | null;
  /** Hướng dẫn 12's criteria for a regular meeting with a closed roll call; null otherwise. */
  criteriaMet: boolean | null;
  misses: CriterionMiss[];
  /** Who was absent, with the reason given and whether it was accepted. */
  absentees: Array<{ name: string; outcome: "excused" | "unexcused" | "undecided"; reason: string | null }>;
}

export interface MemberLine {
  membershipId: string;
  name: string;
  /** Closed meetings of the period the member was expected at. */
  expected: number;
  present: number;
  excused: number;
  unexcused: number;
  undecided: number;
  rate: number | null;
  /**
   * The member at each meeting of the report, aligned with `BranchReport.meetings`: null where
   * the roll call is still open; "outside" where the member was not expected (exempt, not
   * yet a member, …). The attendance book's row.
   */
  marks: Array<Outcome | null>;
}

export interface MonthPoint {
  /** "2026-11". */
  month: string;
  /** Present ÷ expected over the month's closed meetings; null with none. */
  rate: number | null;
  meetings: number;
}

export interface OpenAlertLine {
  alertId: string;
  rule: string;
  /** The member's name, for A1–A4; null for a meeting's alert. */
  name: string | null;
  /** The day it stands on (the meeting's, or the last of the meetings it counts). */
  day: string | null;
  raisedAt: Date;
}

export interface BranchReport {
  branchId: string;
  branchName: string;
  timezone: string;
  period: ReportPeriod;
  /** The attendance rate threshold (A5 and HD 12), as a fraction. */
  threshold: number;
  meetings: MeetingLine[];
  members: MemberLine[];
  months: MonthPoint[];
  openAlerts: OpenAlertLine[];
  totals: { meetings: number; withoutRollCall: number; expected: number; present: number; rate: number | null; criteriaMissed: number };
}

export interface BranchRank {
  branchId: string;
  branchName: string;
  /** The org unit the branch hangs from directly ("Đảng ủy xã Tân Hòa"). */
  unitName: string;
  meetings: number;
  withoutRollCall: number;
  expected: number;
  present: number;
  rate: number | null;
  openAlerts: number;
  criteriaMissed: number;
}

export interface OrgReport {
  orgUnitId: string;
  orgUnitName: string;
  period: ReportPeriod;
  threshold: number;
  /** Lowest attendance first; then most open alerts; then most meetings without a roll call. */
  ranked: BranchRank[];
  /** Each branch's own report, in the ranked order, for the per-branch sheets. */
  branches: BranchReport[];
  totals: { branches: number; meetings: number; withoutRollCall: number; expected: number; present: number; rate: number | null; openAlerts: number };
}
