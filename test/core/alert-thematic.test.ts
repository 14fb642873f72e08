import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, plain, type Harness } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";

/** A7: a quarter's last month without a thematic meeting, told to the secretary and the deputy. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
});
afterAll(async () => h.close());

const openA7 = () =>
  queryRows<{ period_key: string }>(h.database, sql`select period_key from alerts where rule = 'A7' and resolved_at is null order by period_key`);
const told = async () => (await h.deliver()).map((s) => ({ address: s.address, text: plain([s.message]) }));

describe("A7", () => {
  it("is not raised before the quarter's last month", async () => {
    h.clock.set("2027-02-20T02:00:00Z");
    await h.core.alerts.evaluateAll();
    expect(await openA7()).toEqual([]);
  });

  it("is raised once in the last month, to the secretary and the deputy, with a way to schedule", async () => {
    h.clock.set("2027-03-01T02:00:00Z");
    await h.core.alerts.evaluateAll();
    await h.core.alerts.evaluateAll();
    expect(await openA7()).toEqual([{ period_key: "2027-Q1" }]);
    const sent = (await told()).filter((s) => s.text.includes("Chưa có sinh hoạt chuyên đề"));
    expect(sent.map((s) => s.address).sort()).toEqual(["sandbox:deputy", "sandbox:secretary"]);
    expect(sent[0]!.text).toContain("Chi bộ Khu phố 10 chưa có buổi sinh hoạt chuyên đề nào trong quý I/2027.");
    // Listed by its quarter, not by a day no meeting was held on.
    expect(plain(await h.command({ id: "secretary" }, "/canhbao"))).toContain("Quý chưa họp chuyên đề · quý I/2027 — Chi bộ Khu phố 10");
  });

  it("is withdrawn, and the same two told, once a thematic meeting is planned in the quarter", async () => {
    const secretary = await h.actor("secretary");
    const branchId = secretary.memberships[0]!.branchId;
    const created = await h.core.meetings.createMeeting(secretary, branchId, {
      kind: "thematic",
      startsAt: new Date("2027-03-20T12:00:00Z"),
      place: null,
      agenda: null,
    });
    expect(created.ok).toBe(true);
    h.clock.set("2027-03-02T01:05:00Z");
    expect(await h.core.alerts.evaluateAll()).toMatchObject({ withdrawn: 1 });
    expect(await openA7()).toEqual([]);
    const sent = (await told()).filter((s) => s.text.includes("Cảnh báo đã rút lại"));
    expect(sent.map((s) => s.address).sort()).toEqual(["sandbox:deputy", "sandbox:secretary"]);
  });

  it("stays as it was once its quarter is over", async () => {
    h.clock.set("2027-06-10T02:00:00Z");
    await h.core.alerts.evaluateAll();
    expect(await openA7()).toEqual([{ period_key: "2027-Q2" }]);
    h.clock.set("2027-07-02T02:00:00Z");
    expect(await h.core.alerts.evaluateAll()).toMatchObject({ withdrawn: 0 });
    expect(await openA7()).toEqual([{ period_key: "2027-Q2" }]);
  });
});
