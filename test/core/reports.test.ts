import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdDemoMonth } from "../helpers/demo-roll-call.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";

/**
 * Three months of the demo branch: Mai absent without a reason each time, Nam with a reason
 * each time, Thu once with a reason in November. Eleven members expected at each meeting.
 */
let h: Harness;
let branchId: string;
let wardId: string;

beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  await holdDemoMonth(h, "2026-10", { unexcused: ["Vũ Thị Mai"], excused: { "Hoàng Văn Nam": "đi viện" } });
  await holdDemoMonth(h, "2026-11", { unexcused: ["Vũ Thị Mai"], excused: { "Hoàng Văn Nam": "đi viện", "Bùi Thị Thu": "việc gia đình" } });
  await holdDemoMonth(h, "2026-12", { unexcused: ["Vũ Thị Mai"], excused: { "Hoàng Văn Nam": "vẫn nằm viện" } });
  h.clock.set("2026-12-07T03:00:00Z");
  branchId = (await h.actor("secretary")).memberships[0]!.branchId;
  const [ward] = await queryRows<{ id: string }>(h.database, sql`select id from org_units where settings ->> 'demo' = 'true'`);
  wardId = ward!.id;
});
afterAll(async () => h.close());

describe("a branch's report", () => {
  it("counts each meeting of the quarter, with its rate and HD 12's criteria", async () => {
    const result = await h.core.reports.branchReport(await h.actor("secretary"), branchId, "2026-Q4");
    if (!result.ok) throw new Error(result.reason);
    const { report } = result;
    expect(report.meetings.map((m) => [m.day.slice(0, 7), m.expected, m.present, m.excused, m.unexcused])).toEqual([
      ["2026-10", 11, 9, 1, 1],
      ["2026-11", 11, 8, 2, 1],
      ["2026-12", 11, 9, 1, 1],
    ]);
    expect(report.meetings.every((m) => m.criteriaMet === false && m.misses.includes("unexcused") && m.misses.includes("rate"))).toBe(true);
    expect(report.meetings[1]!.absentees).toContainEqual({ name: "Bùi Thị Thu", outcome: "excused", reason: "việc gia đình" });
    expect(report.totals).toMatchObject({ meetings: 3, withoutRollCall: 0, expected: 33, present: 26, criteriaMissed: 3 });
    expect(report.months.map((m) => m.month)).toEqual(["2026-10", "2026-11", "2026-12"]);
    expect(report.months[1]!.rate).toBeCloseTo(8 / 11, 9);
    expect(report.threshold).toBe(0.85);
  });

  it("keeps the attendance book: each member at each meeting", async () => {
    const result = await h.core.reports.branchReport(await h.actor("deputy"), branchId, "2026-Q4");
    if (!result.ok) throw new Error(result.reason);
    const mai = result.report.members.find((m) => m.name === "Vũ Thị Mai")!;
    expect(mai).toMatchObject({ expected: 3, present: 0, unexcused: 3, rate: 0, marks: ["unexcused", "unexcused", "unexcused"] });
    const nam = result.report.members.find((m) => m.name === "Hoàng Văn Nam")!;
    expect(nam.marks).toEqual(["excused", "excused", "excused"]);
    expect(result.report.members).toHaveLength(11);
  });

  it("lists the open alerts the three months raised", async () => {
    const result = await h.core.reports.branchReport(await h.actor("secretary"), branchId, "2026");
    if (!result.ok) throw new Error(result.reason);
    const rules = result.report.openAlerts.map((a) => `${a.rule} ${a.name ?? ""}`.trim()).sort();
    expect(rules).toEqual(
      ["A1 Vũ Thị Mai", "A1 Vũ Thị Mai", "A1 Vũ Thị Mai", "A2 Hoàng Văn Nam", "A3 Vũ Thị Mai", "A4 Vũ Thị Mai", "A5", "A5", "A5", "A7"].sort(),
    );
    expect(result.report.months).toHaveLength(12);
    expect(result.report.months.filter((m) => m.rate !== null).map((m) => m.month)).toEqual(["2026-10", "2026-11", "2026-12"]);
  });

  it("is for the branch's officers and supervisors only", async () => {
    for (const who of ["member", "committee"]) {
      expect(await h.core.reports.branchReport(await h.actor(who), branchId, "2026-Q4")).toEqual({ ok: false, reason: "forbidden" });
    }
    expect((await h.core.reports.branchReport(await h.actor("supervisor"), branchId, "2026-Q4")).ok).toBe(true);
    expect(await h.core.reports.branchReport(await h.actor("secretary"), branchId, "2026-Q5")).toEqual({ ok: false, reason: "bad_period" });
  });
});

describe("an org unit's report", () => {
  it("ranks its branches and holds each one's report", async () => {
    const result = await h.core.reports.orgReport(await h.actor("supervisor"), wardId, "2026-Q4");
    if (!result.ok) throw new Error(result.reason);
    const { report } = result;
    expect(report.ranked).toHaveLength(1);
    expect(report.ranked[0]).toMatchObject({ branchId, meetings: 3, expected: 33, present: 26, openAlerts: 10, criteriaMissed: 3 });
    expect(report.branches[0]!.branchId).toBe(branchId);
    expect(report.totals).toMatchObject({ branches: 1, meetings: 3, expected: 33, present: 26 });
  });

  it("is refused to anyone who does not supervise the unit", async () => {
    for (const who of ["secretary", "member"]) {
      expect(await h.core.reports.orgReport(await h.actor(who), wardId, "2026-Q4")).toEqual({ ok: false, reason: "forbidden" });
    }
  });
});
