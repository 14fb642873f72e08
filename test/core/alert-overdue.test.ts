import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDemoRollCall, demoMeetingUnderWay } from "../helpers/demo-roll-call.ts";
import { createHarness, plain, type Harness } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";

/** A6: the demo branch's 3 December meeting, its roll call left open for days. */
let h: Harness;
let meetingId: string;
const deliver = async () => (await h.deliver()).map((s) => ({ address: s.address, text: plain([s.message]) }));
const openA6 = () =>
  queryRows<{ period_key: string }>(h.database, sql`select period_key from alerts where rule = 'A6' and resolved_at is null order by period_key`);

beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  meetingId = await demoMeetingUnderWay(h);
  await h.deliver();
});
afterAll(async () => h.close());

describe("A6: a roll call still open after the meeting", () => {
  it("is nothing a day after the meeting", async () => {
    h.clock.set("2026-12-04T12:31:00Z");
    await h.core.alerts.evaluateAll();
    expect(await openA6()).toEqual([]);
  });

  it("two days after, reaches the secretary only", async () => {
    h.clock.set("2026-12-05T12:31:00Z");
    await h.core.alerts.evaluateAll();
    expect(await openA6()).toEqual([{ period_key: "secretary" }]);
    const told = (await deliver()).filter((s) => s.text.includes("Chưa chốt điểm danh"));
    expect(told.map((s) => s.address)).toEqual(["sandbox:secretary"]);
    expect(told[0]!.text).toContain("Buổi họp ngày 03/12/2026 đã qua hai ngày mà chưa chốt điểm danh");
  });

  it("a day later, the supervisors too, and the secretary is not told twice", async () => {
    h.clock.set("2026-12-06T12:31:00Z");
    await h.core.alerts.evaluateAll();
    expect(await openA6()).toEqual([{ period_key: "secretary" }, { period_key: "supervisors" }]);
    const told = (await deliver()).filter((s) => s.text.includes("Chưa chốt điểm danh"));
    expect(told.map((s) => s.address)).toEqual(["sandbox:supervisor"]);
    expect(told[0]!.text).toContain("bí thư đã được nhắc từ hôm qua");
  });

  it("ends without a word once the roll call is closed", async () => {
    await closeDemoRollCall(h, meetingId);
    expect(await openA6()).toEqual([]);
    const told = await deliver();
    expect(told.filter((s) => s.text.includes("rút lại"))).toEqual([]);
  });
});
