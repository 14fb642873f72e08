import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, plain, type Harness } from "../helpers/harness.ts";

/** A dialog's state is checked where it is read back: a damaged one closes kindly, never crashes. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  h.clock.set("2026-11-25T03:00:00Z");
});
afterAll(async () => h.close());

const lost = "Chibo không đọc được câu hỏi đang dở";

describe("a dialog state that does not read back", () => {
  it.each([
    ["the reason for an absence", "attendance.reason", { meetingId: 42 }],
    ["a form", "roster.phone", { step: "two", values: {} }],
    ["the resolution draft", "resolution.draft", { meetingId: "not-a-uuid", stage: "votes" }],
    ["the roster import", "roster.import", { branchId: null }],
  ])("%s closes with a kind word, and the next message is read afresh", async (_what, kind, data) => {
    const hoa = await h.actor("hoa");
    await h.core.dialogs.set(hoa.person.id, { kind, data, expiresAt: new Date("2026-11-25T05:00:00Z") });
    expect(plain(await h.say({ id: "hoa" }, "ốm"))).toContain(lost);
    expect(await h.core.dialogs.get(hoa.person.id)).toBeUndefined();
  });
});
