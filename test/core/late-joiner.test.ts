import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plain, createHarness, type Harness } from "../helpers/harness.ts";

/** A member approved after the notice went out still gets it, once. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  h.clock.set("2026-11-25T00:00:00Z");
  await h.core.planner.ensureOccurrences();
  // The notice of the 3 December meeting goes out three days before (19:30 in Vietnam).
  h.clock.set("2026-11-30T12:31:00Z");
  await h.core.planner.planDueReminders();
  await h.deliver();
});
afterAll(async () => h.close());

describe("a member who joins after the notice", () => {
  it("receives the notice of the coming meeting on approval, after the approval itself", async () => {
    const secretary = await h.actor("secretary");
    const branchId = secretary.memberships[0]!.branchId;
    const invite = await h.core.roster.currentInvite(secretary, branchId);
    if (!invite.ok) throw new Error("no invite");
    const lua = await h.actor("lua", "Lụa");
    const request = await h.core.roster.requestToJoin(lua, invite.invite.code, "Tô Thị Lụa");
    if (!request.ok) throw new Error(request.reason);
    await h.deliver();
    expect((await h.core.roster.decideJoin(secretary, request.request.id, true)).ok).toBe(true);
    const toLua = (await h.deliver()).filter((n) => n.address === "sandbox:lua").map((n) => plain([n.message]));
    expect(toLua).toHaveLength(2);
    expect(toLua[0]).toContain("Bí thư đã duyệt");
    expect(toLua[1]).toContain("📢 Thông báo triệu tập — Chi bộ Khu phố 10");
    expect(toLua[1]).toContain("03/12/2026");
    // The next reminders reach her as they reach everyone; the notice is not sent again.
    await h.core.planner.planDueReminders();
    expect((await h.deliver()).filter((n) => n.address === "sandbox:lua")).toEqual([]);
  });

  it("gets no notice of a meeting whose notice has not gone out yet (it comes at its time)", async () => {
    const secretary = await h.actor("secretary");
    const branchId = secretary.memberships[0]!.branchId;
    const invite = await h.core.roster.currentInvite(secretary, branchId);
    if (!invite.ok) throw new Error("no invite");
    const request = await h.core.roster.requestToJoin(await h.actor("vy", "Vy"), invite.invite.code, "Hà Thị Vy");
    if (!request.ok) throw new Error(request.reason);
    await h.core.roster.decideJoin(secretary, request.request.id, true);
    const toVy = (await h.deliver()).filter((n) => n.address === "sandbox:vy").map((n) => plain([n.message]));
    // The December notice is out (she gets it); January's is not planned yet.
    expect(toVy.filter((t) => t.includes("Thông báo triệu tập"))).toHaveLength(1);
    expect(toVy.join("\n")).not.toContain("03/01/2027");
  });
});
