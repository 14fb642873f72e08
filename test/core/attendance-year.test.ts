import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_THRESHOLDS, memberAlerts } from "../../src/core/alerts/rules.ts";
import { closeDemoRollCall, demoMeetingUnderWay } from "../helpers/demo-roll-call.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

/** A branch's year read from its closed roll calls: what the rules and the reports stand on. */
let h: Harness;
let branchId: string;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  const meetingId = await demoMeetingUnderWay(h);
  branchId = (await h.actor("secretary")).memberships[0]!.branchId;
  await closeDemoRollCall(h, meetingId);
});
afterAll(async () => h.close());

describe("a branch's year of attendance", () => {
  it("counts each closed meeting like the minutes and says which HD 12 criteria it missed", async () => {
    const year = await h.core.alerts.branchYear({ id: branchId, timezone: "Asia/Ho_Chi_Minh" }, "2026-12-31", "calendar", DEFAULT_THRESHOLDS);
    expect(year.from).toBe("2026-01-01");
    expect(year.meetings).toHaveLength(1);
    const [december] = year.meetings;
    expect(december).toMatchObject({ day: "2026-12-03", expected: 11, present: 8 });
    expect(december!.facts).toEqual({ rate: 8 / 11, unexcused: 1, longExcusedRuns: 0 });
    expect(december!.misses).toEqual(["rate", "unexcused"]);
  });

  it("gives each expected member their outcome, with the reason, and leaves out those never expected", async () => {
    const year = await h.core.alerts.branchYear({ id: branchId, timezone: "Asia/Ho_Chi_Minh" }, "2026-12-31", "calendar", DEFAULT_THRESHOLDS);
    const byName = new Map(year.members.map((m) => [m.name, m]));
    expect(byName.get("Hoàng Văn Nam")!.records.map((r) => [r.outcome, r.reason])).toEqual([["excused", "ốm"]]);
    expect(byName.get("Vũ Thị Mai")!.records.map((r) => r.outcome)).toEqual(["unexcused"]);
    // Exempt and transferred-out members are outside every meeting of the year.
    expect(byName.has("Ngô Văn Tám")).toBe(false);
    expect(byName.has("Trịnh Văn Sơn")).toBe(false);
    expect(memberAlerts(byName.get("Vũ Thị Mai")!.records, "2026-12-31", "calendar").map((a) => a.rule)).toEqual(["A1"]);
  });

  it("has no meeting before the roll call closes or outside the window", async () => {
    const year = await h.core.alerts.branchYear({ id: branchId, timezone: "Asia/Ho_Chi_Minh" }, "2026-11-30", "calendar", DEFAULT_THRESHOLDS);
    expect(year.meetings).toEqual([]);
  });
});
