import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDemoRollCall, demoMeetingUnderWay } from "../helpers/demo-roll-call.ts";
import { createHarness, plain, type Harness } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";

/**
 * Absentee alerts raised when the demo branch's roll call closes (Mai absent without a
 * reason; 8 of 11 present, under 85 %), told to the right people once, and withdrawn when a
 * correction after closing makes one untrue.
 */
let h: Harness;
let meetingId: string;
let sent: Array<{ address: string; text: string }> = [];

async function deliver(): Promise<Array<{ address: string; text: string }>> {
  sent = (await h.deliver()).map((s) => ({ address: s.address, text: plain([s.message]) }));
  return sent;
}
const openAlerts = () =>
  queryRows<{ rule: string; period_key: string }>(h.database, sql`select rule, period_key from alerts where resolved_at is null order by rule`);

beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  meetingId = await demoMeetingUnderWay(h);
  await deliver();
  await closeDemoRollCall(h, meetingId);
});
afterAll(async () => h.close());

describe("absentee alerts", () => {
  it("are raised when the roll call closes: A1 for the unexcused absence, A5 for the rate, A7 for the quarter", async () => {
    // December is the quarter's last month, and the branch has held no thematic meeting in it.
    expect((await openAlerts()).map((a) => a.rule)).toEqual(["A1", "A5", "A7"]);
    const told = await deliver();
    const a1 = told.filter((s) => s.text.includes("Vắng họp không lý do"));
    // The branch committee (secretary, deputy, committee member) and the supervisor.
    expect(a1.map((s) => s.address).sort()).toEqual(["sandbox:committee", "sandbox:deputy", "sandbox:secretary", "sandbox:supervisor"]);
    expect(a1[0]!.text).toContain("Đồng chí Vũ Thị Mai vắng không lý do buổi họp ngày 03/12/2026.");
    expect(a1[0]!.text).toContain("Chibo chỉ báo để chi bộ theo dõi; không thay đổi gì trong hồ sơ đảng viên.");
    const a5 = told.filter((s) => s.text.includes("Tỷ lệ dự họp dưới ngưỡng"));
    expect(a5.map((s) => s.address)).toEqual(["sandbox:supervisor"]);
    expect(a5[0]!.text).toContain("có mặt 8/11 đảng viên (72,7%), dưới ngưỡng 85%");
  });

  it("are raised once: the daily tick finds nothing new", async () => {
    h.clock.set("2026-12-04T01:05:00Z");
    expect(await h.core.alerts.evaluateAll()).toMatchObject({ raised: 0, withdrawn: 0, failed: 0 });
    expect(await deliver()).toEqual([]);
  });

  it("are withdrawn, and the same people told, when a correction after closing makes one untrue", async () => {
    const chief = await h.actor("secretary");
    const view = await h.core.rollCall.view(chief, meetingId);
    if (!view.ok) throw new Error("no roll call");
    const mai = view.view.lines.find((l) => l.name === "Vũ Thị Mai")!;
    expect((await h.core.rollCall.mark(chief, meetingId, mai.membershipId, { absence: "excused", reason: "ốm đột xuất" })).ok).toBe(true);
    expect((await openAlerts()).map((a) => a.rule)).toEqual(["A5", "A7"]);
    const told = await deliver();
    expect(told.map((s) => s.address).sort()).toEqual(["sandbox:committee", "sandbox:deputy", "sandbox:secretary", "sandbox:supervisor"]);
    expect(told[0]!.text).toContain("Cảnh báo đã rút lại");
    expect(told[0]!.text).toContain("Vũ Thị Mai");
    // Made true again, it is raised again and told again.
    expect((await h.core.rollCall.mark(chief, meetingId, mai.membershipId, { absence: "unexcused" })).ok).toBe(true);
    expect((await openAlerts()).map((a) => a.rule)).toEqual(["A1", "A5", "A7"]);
    expect((await deliver()).filter((s) => s.text.includes("Vắng họp không lý do"))).toHaveLength(4);
  });

  it("leave last year's alerts as they are when the new year starts counting afresh", async () => {
    h.clock.set("2027-01-10T01:05:00Z");
    // Nothing of 2026 is withdrawn, not even the last quarter's A7; the 3 January meeting, its
    // roll call never held, raises A6 (to the secretary, and a day on, to the supervisors).
    expect(await h.core.alerts.evaluateAll()).toMatchObject({ raised: 2, withdrawn: 0, failed: 0 });
    expect((await openAlerts()).map((a) => a.rule)).toEqual(["A1", "A5", "A6", "A6", "A7"]);
  });
});
