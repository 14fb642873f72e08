import { describe, expect, it } from "vitest";
import {
  criteriaMisses,
  excusedRuns,
  memberAlerts,
  rateBelow,
  rollCallOverdue,
  windowStart,
  type MeetingRecord,
  type Outcome,
} from "../../src/core/alerts/rules.ts";

/** One meeting a month on the 3rd, from `first` ("YYYY-MM"), with these outcomes. */
function monthly(first: string, outcomes: Outcome[]): MeetingRecord[] {
  const [y, m] = first.split("-").map(Number) as [number, number];
  return outcomes.map((outcome, i) => {
    const d = new Date(Date.UTC(y, m - 1 + i, 3));
    const day = d.toISOString().slice(0, 10);
    return { meetingId: `m-${day}`, day, outcome };
  });
}
const rules = (alerts: ReturnType<typeof memberAlerts>) => alerts.map((a) => `${a.rule}@${a.period}`);

describe("the year the rules count in", () => {
  it.each([
    ["2026-12-15", "calendar", "2026-01-01"],
    ["2026-12-15", "rolling", "2025-12-16"],
    ["2027-03-01", "rolling", "2026-03-02"],
    ["2028-02-29", "rolling", "2027-03-01"],
  ] as const)("on %s, %s, starts on %s", (asOf, window, start) => expect(windowStart(asOf, window)).toBe(start));
});

describe("A1: absent without a reason", () => {
  it("is raised for each unexcused meeting, not for one still undecided or outside the window", () => {
    const records = monthly("2026-01", ["unexcused", "undecided", "present", "unexcused"]);
    expect(rules(memberAlerts(records, "2026-12-31", "calendar")).filter((r) => r.startsWith("A1"))).toEqual(["A1@m-2026-01-03", "A1@m-2026-04-03"]);
    expect(rules(memberAlerts(monthly("2025-12", ["unexcused"]), "2026-06-30", "calendar"))).toEqual([]);
  });
});

describe("A2: the third excused absence in a row", () => {
  it("2 in a row is nothing, 3 raises it once, at the third", () => {
    expect(rules(memberAlerts(monthly("2026-01", ["excused", "excused"]), "2026-12-31", "calendar"))).toEqual([]);
    const three = memberAlerts(monthly("2026-01", ["excused", "excused", "excused", "excused"]), "2026-12-31", "calendar");
    expect(rules(three)).toEqual(["A2@m-2026-03-03"]);
    expect(three[0]!.meetingIds).toEqual(["m-2026-01-03", "m-2026-02-03", "m-2026-03-03"]);
  });

  it("is broken by being present or absent without a reason, not by a meeting the member was outside of", () => {
    expect(rules(memberAlerts(monthly("2026-01", ["excused", "excused", "present", "excused"]), "2026-12-31", "calendar"))).toEqual([]);
    expect(rules(memberAlerts(monthly("2026-01", ["excused", "excused", "outside", "excused"]), "2026-12-31", "calendar"))).toEqual(["A2@m-2026-04-03"]);
    expect(rules(memberAlerts(monthly("2026-01", ["excused", "excused", "undecided", "excused"]), "2026-12-31", "calendar"))).toEqual(["A2@m-2026-04-03"]);
  });

  it("starts again with the calendar year, but runs on over New Year in a rolling window", () => {
    const overNewYear = monthly("2026-11", ["excused", "excused", "excused"]);
    expect(rules(memberAlerts(overNewYear, "2027-01-31", "calendar"))).toEqual([]);
    expect(rules(memberAlerts(overNewYear, "2027-01-31", "rolling"))).toEqual(["A2@m-2027-01-03"]);
  });
});

describe("A3 and A4: months with an unexcused absence", () => {
  it("warns at the second month, and at the third says the branch may consider removal", () => {
    const two = monthly("2026-01", ["unexcused", "present", "unexcused"]);
    expect(rules(memberAlerts(two, "2026-12-31", "calendar")).filter((r) => !r.startsWith("A1"))).toEqual(["A3@2026-03"]);
    const three = monthly("2026-01", ["unexcused", "unexcused", "present", "unexcused"]);
    expect(rules(memberAlerts(three, "2026-12-31", "calendar")).filter((r) => !r.startsWith("A1"))).toEqual(["A3@2026-02", "A4@2026-04"]);
  });

  it("counts a month once however many meetings were missed in it", () => {
    const sameMonth: MeetingRecord[] = [
      { meetingId: "regular", day: "2026-05-03", outcome: "unexcused" },
      { meetingId: "thematic", day: "2026-05-20", outcome: "unexcused" },
    ];
    expect(rules(memberAlerts(sameMonth, "2026-12-31", "calendar")).filter((r) => !r.startsWith("A1"))).toEqual([]);
  });

  it("in a rolling window, forgets months older than twelve", () => {
    const records = monthly("2026-01", [
      "unexcused",
      "present",
      "present",
      "present",
      "present",
      "present",
      "present",
      "present",
      "present",
      "present",
      "present",
      "present",
      "unexcused",
    ]);
    expect(rules(memberAlerts(records, "2027-01-31", "rolling")).filter((r) => !r.startsWith("A1"))).toEqual([]);
    expect(rules(memberAlerts(records, "2027-01-31", "calendar")).filter((r) => !r.startsWith("A1"))).toEqual([]);
    expect(rules(memberAlerts(records, "2027-01-02", "rolling")).filter((r) => !r.startsWith("A1"))).toEqual([]);
  });

  it("leaves out the months a member was exempt, and counts from joining", () => {
    // Exempt from April to June (the roster's history), absent without reason either side.
    const exemptMidYear = monthly("2026-01", ["unexcused", "present", "present", "outside", "outside", "outside", "unexcused"]);
    expect(rules(memberAlerts(exemptMidYear, "2026-12-31", "calendar")).filter((r) => !r.startsWith("A1"))).toEqual(["A3@2026-07"]);
    // Joined in September: earlier meetings are outside.
    const joined = monthly("2026-01", ["outside", "outside", "outside", "outside", "outside", "outside", "outside", "outside", "unexcused", "unexcused"]);
    expect(rules(memberAlerts(joined, "2026-12-31", "calendar")).filter((r) => !r.startsWith("A1"))).toEqual(["A3@2026-10"]);
  });
});

describe("a meeting", () => {
  it("A5 is below the threshold only: exactly 85% is not", () => {
    expect(rateBelow(0.85)).toBe(false);
    expect(rateBelow(0.8499)).toBe(true);
    expect(rateBelow(null)).toBe(false);
  });

  it("meets HD 12's criteria only with a rate above the threshold, no unexcused absence, no long excused run", () => {
    expect(criteriaMisses({ rate: 0.9, unexcused: 0, longExcusedRuns: 0 })).toEqual([]);
    expect(criteriaMisses({ rate: 0.85, unexcused: 0, longExcusedRuns: 0 })).toEqual(["rate"]);
    expect(criteriaMisses({ rate: 0.95, unexcused: 1, longExcusedRuns: 1 })).toEqual(["unexcused", "excused_run"]);
    expect(criteriaMisses({ rate: null, unexcused: 0, longExcusedRuns: 0 })).toEqual(["rate"]);
  });

  it("counts excused runs for the third criterion within the calendar year", () => {
    const runs = excusedRuns(monthly("2026-10", ["excused", "excused", "excused", "excused", "excused"]), "calendar");
    expect([...runs.values()]).toEqual([1, 2, 3, 1, 2]);
    expect([...excusedRuns(monthly("2026-10", ["excused", "excused", "excused", "excused"]), "rolling").values()]).toEqual([1, 2, 3, 4]);
  });

  it("A6: no roll call two days after the start goes to the secretary, a day later to the supervisors", () => {
    const starts = new Date("2026-12-03T12:30:00Z");
    expect(rollCallOverdue(starts, false, new Date("2026-12-05T12:29:00Z"))).toEqual({ overdue: false, escalate: false });
    expect(rollCallOverdue(starts, false, new Date("2026-12-05T12:30:00Z"))).toEqual({ overdue: true, escalate: false });
    expect(rollCallOverdue(starts, false, new Date("2026-12-06T12:30:00Z"))).toEqual({ overdue: true, escalate: true });
    expect(rollCallOverdue(starts, true, new Date("2026-12-09T00:00:00Z"))).toEqual({ overdue: false, escalate: false });
  });
});
