import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RECIPIENTS, effectiveSettings, readUnitSettings } from "../../src/core/alerts/settings.ts";
import { closeDemoRollCall, demoMeetingUnderWay } from "../helpers/demo-roll-call.ts";
import { createHarness, plain, type Harness } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";

describe("alert settings of an org unit", () => {
  it("are the defaults when no unit sets anything", () => {
    const s = effectiveSettings([{}, {}], 85);
    expect(s.window).toBe("calendar");
    expect(s.thresholds).toEqual({ rate: 0.85, consecutiveExcused: 3, unexcusedMonths: 3, earlyWarningMonths: 2 });
    expect(s.recipients).toEqual(DEFAULT_RECIPIENTS);
  });

  it("take the nearest unit's value, field by field", () => {
    const commune = { window: "rolling" as const, recipients: { A1: { supervisors: false } } };
    const district = { window: "calendar" as const, consecutiveExcused: 4, recipients: { A1: { roles: ["secretary" as const] } } };
    const s = effectiveSettings([commune, district], 85);
    expect(s.window).toBe("rolling");
    expect(s.thresholds.consecutiveExcused).toBe(4);
    expect(s.recipients.A1).toEqual({ roles: ["secretary"], supervisors: false });
    expect(s.recipients.A2).toEqual(DEFAULT_RECIPIENTS.A2);
  });

  it("hold a unit's rate as a floor a branch may rise above but not go under", () => {
    expect(effectiveSettings([{ rate: 90 }], 85).thresholds.rate).toBe(0.9);
    expect(effectiveSettings([{ rate: 80 }], 95).thresholds.rate).toBe(0.95);
  });

  it("keep the early warning before the removal threshold", () => {
    expect(effectiveSettings([{ unexcusedMonths: 2 }], 85).thresholds.earlyWarningMonths).toBe(1);
    expect(effectiveSettings([{ unexcusedMonths: 4, earlyWarningMonths: 3 }], 85).thresholds.earlyWarningMonths).toBe(3);
  });

  it("read anything unreadable as not set", () => {
    expect(readUnitSettings({ alerts: { rate: "ninety" } })).toEqual({});
    expect(readUnitSettings({ alerts: { rate: 10 } })).toEqual({});
    expect(readUnitSettings({ demo: true })).toEqual({});
    expect(readUnitSettings(undefined)).toEqual({});
  });
});

/** The demo ward sets its own rules; the demo roll call (Mai unexcused, 8 of 11) is judged by them. */
describe("alert settings applied", () => {
  let h: Harness;
  let wardId: string;
  beforeAll(async () => {
    h = await createHarness({ seedDemo: true });
    const [ward] = await queryRows<{ id: string }>(h.database, sql`select id from org_units where settings ->> 'demo' = 'true'`);
    wardId = ward!.id;
  });
  afterAll(async () => h.close());

  it("may be changed by the unit's supervisor and an admin, not by a secretary", async () => {
    const secretary = await h.actor("secretary");
    expect(await h.core.alerts.setUnitSettings(secretary, wardId, { rate: 90 })).toEqual({ ok: false, reason: "forbidden" });
    expect(await h.core.alerts.unitSettings(secretary, wardId)).toEqual({ ok: false, reason: "forbidden" });
    const supervisor = await h.actor("supervisor");
    const changed = await h.core.alerts.setUnitSettings(supervisor, wardId, { rate: 90, recipients: { A1: { supervisors: false } } });
    expect(changed.ok && changed.view.own).toEqual({ rate: 90, recipients: { A1: { supervisors: false } } });
    expect(await h.core.alerts.setUnitSettings(supervisor, wardId, { rate: 30 })).toEqual({ ok: false, reason: "invalid" });
    // The demo marker beside the settings is kept.
    const [row] = await queryRows<{ demo: string }>(h.database, sql`select settings ->> 'demo' as demo from org_units where id = ${wardId}`);
    expect(row!.demo).toBe("true");
  });

  it("decide who is told and the threshold named", async () => {
    const meetingId = await demoMeetingUnderWay(h);
    await h.deliver();
    await closeDemoRollCall(h, meetingId);
    const told = (await h.deliver()).map((s) => ({ address: s.address, text: plain([s.message]) }));
    const a1 = told.filter((s) => s.text.includes("Vắng họp không lý do")).map((s) => s.address);
    expect(a1.sort()).toEqual(["sandbox:committee", "sandbox:deputy", "sandbox:secretary"]);
    const a5 = told.filter((s) => s.text.includes("Tỷ lệ dự họp dưới ngưỡng"));
    expect(a5[0]!.text).toContain("dưới ngưỡng 90%");
  });
});
