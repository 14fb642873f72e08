import { describe, expect, it } from "vitest";
import { createSender } from "../../src/core/delivery/sender.ts";
import type { ClaimedMessage, SendOutcome } from "../../src/core/delivery/types.ts";
import { message, text } from "../../src/core/message.ts";

/** Rows for an in-memory outbox: one reminder to each of `count` private chats. */
function dueRows(count: number): ClaimedMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    dedupeKey: `m:reminder:${i}`,
    kind: "reminder",
    personId: null,
    address: `sandbox:${1000 + i}`,
    notice: { kind: "reminder", params: {} },
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

describe("sender pacing", () => {
  it("after the event loop was held up, starts the overdue sends a few per turn, not all at once", async () => {
    let rows = dueRows(200);
    const recorded: SendOutcome[] = [];
    // Turns of the event loop, counted where each one ends (the check phase).
    let turn = 0;
    let counting = true;
    const tick = () => {
      turn++;
      if (counting) setImmediate(tick);
    };
    setImmediate(tick);
    const startsPerTurn = new Map<number, number>();
    const sender = createSender(
      {
        outbox: {
          async claim(_now, limit) {
            const claimed = rows.slice(0, limit);
            rows = rows.slice(limit);
            return claimed;
          },
          async record(outcomes) {
            recorded.push(...outcomes);
          },
        },
        clock: { now: () => new Date() },
        notifier: {
          async send() {
            startsPerTurn.set(turn, (startsPerTurn.get(turn) ?? 0) + 1);
            return { ok: true };
          },
        },
        render: () => message([text("Nhắc họp")]),
        onUnreachable: async () => {},
      },
      // 500 a second: a slot every 2 ms, so a 150 ms stall leaves dozens of sends overdue.
      { limits: { sandbox: { globalPerSecond: 500, perChatPerSecond: 1, perGroupPerMinute: 20 } }, maxInFlight: 200, batchSize: 200 },
    );
    setTimeout(() => stall(150), 20);
    await sender.drain();
    counting = false;

    expect(recorded.filter((o) => o.status === "sent")).toHaveLength(200);
    expect(Math.max(...startsPerTurn.values())).toBeLessThanOrEqual(16);
  });
});
