import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdDemoMonth } from "../helpers/demo-roll-call.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";

/** Phan Văn Đức is on special duty: expected and counted at the meeting, yet outside the member rules. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  await holdDemoMonth(h, "2026-11", { unexcused: ["Phan Văn Đức", "Vũ Thị Mai"] });
});
afterAll(async () => h.close());

describe("a member on special duty", () => {
  it("raises no alert for an absence, while the meeting counts it", async () => {
    const alerts = await queryRows<{ rule: string; name: string | null }>(
      h.database,
      sql`select rule, details ->> 'name' as name from alerts where rule = 'A1' order by name`,
    );
    expect(alerts).toEqual([{ rule: "A1", name: "Vũ Thị Mai" }]);
    const branchId = (await h.actor("secretary")).memberships[0]!.branchId;
    const report = await h.core.reports.branchReport(await h.actor("secretary"), branchId, "2026-11");
    if (!report.ok) throw new Error(report.reason);
    expect(report.report.meetings[0]).toMatchObject({ expected: 11, present: 9, unexcused: 2 });
    expect(report.report.members.find((m) => m.name === "Phan Văn Đức")?.marks).toEqual(["unexcused"]);
  });
});
