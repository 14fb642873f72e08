import type { BranchYear } from "../alerts/attendance-year.ts";
import type { Outcome } from "../alerts/rules.ts";
import type { AlertRow } from "../alerts/types.ts";
import type { Meeting } from "../meetings/types.ts";
import { addDays, localDay } from "../time.ts";
import type { BranchRank, BranchReport, MeetingLine, MemberLine, MonthPoint, PeriodKind, ReportPeriod } from "./types.ts";

const pad = (n: number) => String(n).padStart(2, "0");
const lastDayOf = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The month, quarter or year that holds `day`. */
export function periodOf(kind: PeriodKind, day: string): ReportPeriod {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (kind === "year") return { kind, key: String(year), from: `${year}-01-01`, to: `${year}-12-31` };
  if (kind === "quarter") {
    const q = Math.ceil(month / 3);
    const last = q * 3;
    return { kind, key: `${year}-Q${q}`, from: `${year}-${pad(last - 2)}-01`, to: `${year}-${pad(last)}-${lastDayOf(year, last)}` };
  }
  return { kind, key: `${year}-${pad(month)}`, from: `${year}-${pad(month)}-01`, to: `${year}-${pad(month)}-${lastDayOf(year, month)}` };
}

/** The period just before (the report a secretary most often wants at the start of a month). */
export const previousPeriod = (period: ReportPeriod): ReportPeriod => periodOf(period.kind, addDays(period.from, -1));

/** A period from its key ("2026-11", "2026-Q4", "2026"); undefined for anything else. */
export function parsePeriod(key: string): ReportPeriod | undefined {
  const month = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (month) return periodOf("month", `${key}-01`);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
  if (quarter) return periodOf("quarter", `${quarter[1]}-${pad(Number(quarter[2]) * 3)}-01`);
  if (/^\d{4}$/.test(key)) return periodOf("year", `${key}-01-01`);
  return undefined;
}

/** The months of a period, "YYYY-MM", in order. */
export function monthsOf(period: ReportPeriod): string[] {
  const months: string[] = [];
  let year = Number(period.from.slice(0, 4));
  let month = Number(period.from.slice(5, 7));
  for (const last = period.to.slice(0, 7); ; month = (month % 12) + 1, year += month === 1 ? 1 : 0) {
    months.push(`${year}-${pad(month)}`);
    if (months.at(-1)! >= last) return months;
  }
}

const rateOf = (present: number, expected: number) => (expected > 0 ? present / expected : null);
/** Committee meetings are the committee's, cancelled ones did not happen. */
const isBranchMeeting = (m: Meeting) => m.kind !== "committee" && m.status !== "cancelled";

/**
 * A branch's report for a period, from its year (which covers the period, and the months
 * before it that HD 12's "in a row" needs), its meetings of the period (the open roll calls
 * too) and its open alerts. `asOf` cuts the period at today.
 */
export function buildBranchReport(input: {
  branch: { id: string; name: string; timezone: string };
  period: ReportPeriod;
  asOf: string;
  threshold: number;
  year: BranchYear;
  meetings: Meeting[];
  openAlerts: AlertRow[];
}): BranchReport {
  const { branch, period, year } = input;
  const to = input.asOf < period.to ? input.asOf : period.to;
  const inPeriod = (day: string) => day >= period.from && day <= to;
  const closed = new Map(year.meetings.filter((m) => inPeriod(m.day)).map((m) => [m.meeting.id, m]));
  const listed = input.meetings
    .filter(isBranchMeeting)
    .map((meeting) => ({ meeting, day: localDay(meeting.startsAt, branch.timezone) }))
    .filter((m) => inPeriod(m.day))
    .sort((a, b) => a.meeting.startsAt.getTime() - b.meeting.startsAt.getTime());

  const recordsOf = new Map(year.members.map((m) => [m.membershipId, new Map(m.records.map((r) => [r.meetingId, r]))]));
  const meetings: MeetingLine[] = listed.map(({ meeting, day }) => {
    const facts = closed.get(meeting.id);
    const line: MeetingLine = {
      meetingId: meeting.id,
      day,
      kind: meeting.kind,
      topic: meeting.thematicTopic,
      rollCallClosed: facts !== undefined,
      expected: facts?.expected ?? 0,
      present: facts?.present ?? 0,
      excused: 0,
      unexcused: 0,
      undecided: 0,
      rate: facts?.facts.rate ?? null,
      criteriaMet: facts && meeting.kind === "regular" ? facts.misses.length === 0 : null,
      misses: facts?.misses ?? [],
      absentees: [],
    };
    if (!facts) return line;
    for (const member of year.members) {
      const r = recordsOf.get(member.membershipId)?.get(meeting.id);
      if (!r || (r.outcome !== "excused" && r.outcome !== "unexcused" && r.outcome !== "undecided")) continue;
      line[r.outcome]++;
      line.absentees.push({ name: member.name, outcome: r.outcome, reason: r.reason });
    }
    return line;
  });

  const members: MemberLine[] = [];
  for (const member of year.members) {
    const records = recordsOf.get(member.membershipId)!;
    const marks: Array<Outcome | null> = meetings.map((m) => (m.rollCallClosed ? (records.get(m.meetingId)?.outcome ?? "outside") : null));
    const tally = { present: 0, excused: 0, unexcused: 0, undecided: 0 };
    for (const mark of marks) if (mark && mark !== "outside") tally[mark]++;
    const expected = tally.present + tally.excused + tally.unexcused + tally.undecided;
    if (expected === 0) continue;
    members.push({ membershipId: member.membershipId, name: member.name, expected, ...tally, rate: rateOf(tally.present, expected), marks });
  }

  const months: MonthPoint[] = monthsOf(period).map((month) => {
    const of = meetings.filter((m) => m.rollCallClosed && m.day.startsWith(month));
    const sum = (f: (m: MeetingLine) => number) => of.reduce((n, m) => n + f(m), 0);
    return {
      month,
      rate: rateOf(
        sum((m) => m.present),
        sum((m) => m.expected),
      ),
      meetings: of.length,
    };
  });

  const counted = meetings.filter((m) => m.rollCallClosed);
  const expected = counted.reduce((n, m) => n + m.expected, 0);
  const present = counted.reduce((n, m) => n + m.present, 0);
  return {
    branchId: branch.id,
    branchName: branch.name,
    timezone: branch.timezone,
    period,
    threshold: input.threshold,
    meetings,
    members,
    months,
    openAlerts: input.openAlerts.map((a) => ({
      alertId: a.id,
      rule: a.rule,
      name: typeof a.details.name === "string" ? a.details.name : null,
      day: typeof a.details.lastDay === "string" ? a.details.lastDay : null,
      raisedAt: a.raisedAt,
    })),
    totals: {
      meetings: meetings.length,
      withoutRollCall: meetings.length - counted.length,
      expected,
      present,
      rate: rateOf(present, expected),
      criteriaMissed: meetings.filter((m) => m.criteriaMet === false).length,
    },
  };
}

/** One branch's line in its unit's ranked list. */
export function rankLine(report: BranchReport, unitName: string): BranchRank {
  const { totals } = report;
  return {
    branchId: report.branchId,
    branchName: report.branchName,
    unitName,
    meetings: totals.meetings,
    withoutRollCall: totals.withoutRollCall,
    expected: totals.expected,
    present: totals.present,
    rate: totals.rate,
    openAlerts: report.openAlerts.length,
    criteriaMissed: totals.criteriaMissed,
  };
}

/**
 * The order a district reads its branches in: those that need attention first. A branch
 * with no roll call at all has no rate and comes before any rate; then the lowest rate, the
 * most open alerts, the most meetings without a roll call; then by name.
 */
export function compareRanks(a: BranchRank, b: BranchRank): number {
  const rate = (r: BranchRank) => r.rate ?? -1;
  return (
    rate(a) - rate(b) ||
    b.openAlerts - a.openAlerts ||
    b.withoutRollCall - a.withoutRollCall ||
    a.branchName.localeCompare(b.branchName, "vi") ||
    a.branchId.localeCompare(b.branchId)
  );
}
