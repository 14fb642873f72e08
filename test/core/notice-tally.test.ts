import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createLater } from "../../src/later.ts";
import { createStore } from "../../src/store/index.ts";
import { createHarness, plain, type Harness } from "../helpers/harness.ts";

describe("the live tally of a group's notice", () => {
  let h: Harness;
  let meetingId: string;
  beforeAll(async () => {
    h = await createHarness({ seedDemo: true });
    const store = createStore(h.database.db);
    const chief = await h.actor("secretary");
    await store.branches.linkChat(chief.memberships[0]!.branchId, "telegram:-100500", "telegram", new Date("2026-11-20T00:00:00Z"));
    h.clock.set("2026-11-25T00:00:00Z");
    await h.core.planner.ensureOccurrences();
    h.clock.set("2026-11-30T12:30:00Z");
    await h.core.planner.planDueReminders();
    // The sender sent everything; the group's copy got message id 77.
    const claimed = await store.outbox.claim(h.clock.now(), 100, 60_000);
    await store.outbox.record(
      claimed.map((c) => ({ id: c.id, status: "sent", at: h.clock.now(), externalMessageId: c.address === "telegram:-100500" ? "77" : String(1000 + c.id) })),
    );
    meetingId = claimed.find((c) => c.address === "telegram:-100500")!.notice.params.meetingId as string;
  });
  afterAll(async () => h.close());

  it("is edited once for a burst of replies, with the counts after the last one", async () => {
    await h.core.attendance.reply(await h.actor("hoa"), meetingId, "yes");
    await h.core.attendance.reply(await h.actor("nam"), meetingId, "no", "ốm");
    await h.core.attendance.reply(await h.actor("mai"), meetingId, "maybe");
    expect(h.edited).toHaveLength(0);
    await h.flushLater();
    expect(h.edited.map((e) => [e.address, e.externalMessageId])).toEqual([["telegram:-100500", "77"]]);
    const shown = plain([h.edited[0]!.message]);
    expect(shown).toContain("Đã trả lời: ✅ có mặt 1 · 📝 vắng 1 · ❔ chưa chắc 1 · chưa trả lời 8");
    // Still the notice, with its buttons: the edit only adds the tally.
    expect(shown).toContain("19:30 Thứ Năm, 03/12/2026");
    expect(h.edited[0]!.message.actions?.flat().map((a) => a.label)).toEqual(["✅ Có mặt", "📝 Vắng (có lý do)", "❔ Chưa chắc"]);
  });

  it("leaves members' private copies alone", async () => {
    h.edited.length = 0;
    await h.core.attendance.reply(await h.actor("hoa"), meetingId, "no");
    await h.flushLater();
    expect(h.edited.map((e) => e.address)).toEqual(["telegram:-100500"]);
  });
});

describe("later", () => {
  it("runs a burst once after the delay, and once more for a request made while it runs", async () => {
    vi.useFakeTimers();
    try {
      const later = createLater({ delayMs: 5000, logger: pino({ level: "silent" }) });
      let runs = 0;
      let release: () => void = () => undefined;
      const job = () =>
        new Promise<void>((resolve) => {
          runs++;
          release = resolve;
        });
      later.run("k", job);
      later.run("k", job);
      await vi.advanceTimersByTimeAsync(4999);
      expect(runs).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      expect(runs).toBe(1);
      later.run("k", job);
      later.run("k", job);
      release();
      await vi.advanceTimersByTimeAsync(5000);
      expect(runs).toBe(2);
      release();
      await later.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it("logs a failing job and keeps going", async () => {
    const errors: unknown[] = [];
    const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
    const later = createLater({ delayMs: 10, logger });
    later.run("bad", async () => {
      throw new Error("boom");
    });
    let ran = false;
    later.run("good", async () => {
      ran = true;
    });
    await later.flush();
    expect(ran).toBe(true);
    expect(String(errors[0])).toContain("boom");
  });
});
