import { describe, expect, it } from "vitest";
import { createSender, type SenderOptions } from "../../src/core/delivery/sender.ts";
import type { ClaimedMessage, SendOutcome } from "../../src/core/delivery/types.ts";
import { message, text } from "../../src/core/message.ts";
import type { DeliveryResult } from "../../src/core/ports.ts";

/** Rows for an in-memory outbox: one reminder to each of `count` private chats. */
function dueRows(count: number): ClaimedMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    dedupeKey: `m:reminder:${i}`,
    kind: "reminder",
    meetingId: null,
    priority: 0,
    personId: null,
    address: `sandbox:${1000 + i}`,
    notice: { kind: "meeting.reminder" as const, params: {} },
    locale: "vi",
    dueAt: new Date(0),
    staleAt: null,
    attempts: 0,
    reclaimed: false,
  }));
}

/** Blocks the event loop, as a long collection or a slow synchronous step would. */
function stall(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    /* busy */
  }
}

/**
 * A sender over an in-memory outbox that hands out `count` rows once, a clock the test may
 * move (`clockMs`), and a channel answering with `answer`; `sent` lists the row ids in the
 * order their sends started.
 */
function senderOver(count: number, options: Partial<SenderOptions>, answer: (id: number) => DeliveryResult = () => ({ ok: true })) {
  let rows = dueRows(count);
  const state = { clockMs: Date.parse("2026-12-03T00:00:00Z"), sent: [] as number[], recorded: [] as SendOutcome[] };
  const sender = createSender(
    {
      outbox: {
        async claim(_now, limit) {
          const claimed = rows.slice(0, limit);
          rows = rows.slice(limit);
          return claimed;
        },
        async record(outcomes) {
          state.recorded.push(...outcomes);
        },
      },
      clock: { now: () => new Date(state.clockMs) },
      notifier: {
        async send(address) {
          const id = Number(address.slice("sandbox:".length)) - 999;
          state.sent.push(id);
          return answer(id);
        },
      },
      render: () => message([text("Nhắc họp")]),
      onUnreachable: async () => {},
    },
    options,
  );
  return { sender, state };
}

const limit = (globalPerSecond: number) => ({ sandbox: { globalPerSecond, perChatPerSecond: 1, perGroupPerMinute: 20 } });

describe("sender pacing", () => {
  it("after the event loop was held up, starts the overdue sends a few per turn, not all at once", async () => {
    // Turns of the event loop, counted where each one ends (the check phase).
    let turn = 0;
    let counting = true;
    const tick = () => {
      turn++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const startsPerTurn = new Map<number, number>();
    // 5,000 a second: a 150 ms stall leaves hundreds of sends overdue, and the budget lets
    // 50 of them (10 ms worth) leave at once.
    const { sender, state } = senderOver(1000, { limits: limit(5000), maxInFlight: 1000, batchSize: 1000 }, () => {
      startsPerTurn.set(turn, (startsPerTurn.get(turn) ?? 0) + 1);
      return { ok: true };
    });
    setTimeout(() => stall(150), 20);
    await sender.drain();
    counting = false;

    expect(state.recorded.filter((o) => o.status === "sent")).toHaveLength(1000);
    expect(Math.max(...startsPerTurn.values())).toBeLessThanOrEqual(16);
  });

  it("starts sends about in the order they were claimed, also when a stall makes them queue for the budget", async () => {
    const { sender, state } = senderOver(600, { limits: limit(1000), maxInFlight: 600, batchSize: 600 });
    setTimeout(() => stall(100), 20);
    setTimeout(() => stall(100), 250);
    await sender.drain();

    expect(state.sent).toHaveLength(600);
    // Slot timers set within the same millisecond may fire a place apart, and a loaded
    // machine (CI running beside other work) lets a few more pass; what this guards against
    // is a send waiting behind hundreds claimed after it (each polling the budget alone,
    // some waited behind 500). 32 is far from that and clear of the jitter seen (at most 12).
    const overtakenBy = state.sent.map((id, position) => position - (id - 1));
    expect(Math.max(...overtakenBy)).toBeLessThanOrEqual(32);
  });

  it("leaves a row it held past half its lease unsent and unrecorded, for the claim after the lease", async () => {
    // The first send takes as long as the lease (a long pause): the other two are not sent,
    // since another sender may already hold them.
    const { sender, state } = senderOver(3, { limits: limit(1000), leaseMs: 60_000, maxInFlight: 3 }, (id) => {
      if (id === 1) state.clockMs += 60_000;
      return { ok: true };
    });
    const stats = await sender.drain();

    expect(state.sent).toEqual([1]);
    expect(state.recorded.map((o) => [o.id, o.status])).toEqual([[1, "sent"]]);
    expect(stats).toMatchObject({ sent: 1, expired: 2 });
  });
});
