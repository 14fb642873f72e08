import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdDemoMonth } from "../helpers/demo-roll-call.ts";
import { createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

/** Two hours after the November meeting began, its roll call already closed. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  await holdDemoMonth(h, "2026-11", { unexcused: ["Vũ Thị Mai"] });
});
afterAll(async () => h.close());

const mai: Speaker = { id: "mai" };

describe("a member's answer once the roll call is closed", () => {
  it("is taken for the next meeting, not refused as too late for the one that is over", async () => {
    const replies = plain(await h.say(mai, "2 vi dau khop"));
    expect(replies).not.toContain("đã bắt đầu");
    expect(replies).toContain("03/12/2026");
    // The reason kept in her own words.
    expect(replies).toContain("dau khop");
  });
});
