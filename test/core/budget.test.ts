import { describe, expect, it } from "vitest";
import { createBudget } from "../../src/core/delivery/budget.ts";

/** A clock the test moves: budgets run on real time, so tests give them their own. */
function clock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe("send budget", () => {
  it("spaces slots a little wider than the limit, so no rolling second gets more than the limit", () => {
    const c = clock();
    const budget = createBudget({ globalPerSecond: 10, perChatPerSecond: Number.POSITIVE_INFINITY, perGroupPerMinute: Number.POSITIVE_INFINITY }, c.now);
    const waits = Array.from({ length: 11 }, (_, i) => budget.reserve(`chat-${i}`, false));
    expect(waits[0]).toBe(0);
    // The 11th slot lands after a full second, with room for jitter.
    expect(waits[10]).toBeGreaterThan(1000);
  });

  it("holds a send whose slot came late until the rolling second has room", () => {
    const c = clock();
    const budget = createBudget({ globalPerSecond: 4, perChatPerSecond: Number.POSITIVE_INFINITY, perGroupPerMinute: Number.POSITIVE_INFINITY }, c.now);
    // 4 ÷ 1.03 leaves room for 3 sends in a second, at the limit's pace of one per 250 ms.
    const admitted = [0, 250, 500].map((at) => {
      c.advance(at - c.now());
      return budget.admit();
    });
    expect(admitted).toEqual([0, 0, 0]);
    c.advance(250);
    const hold = budget.admit();
    expect(hold).toBe(250);
    c.advance(hold);
    expect(budget.admit()).toBe(0);
  });

  it("lets sends that came due together leave in bursts of 10 ms worth, then at 1.25 × the limit", () => {
    const c = clock();
    const budget = createBudget({ globalPerSecond: 1000, perChatPerSecond: Number.POSITIVE_INFINITY, perGroupPerMinute: Number.POSITIVE_INFINITY }, c.now);
    // Sends whose slots all came due at once (a stall): 10 leave together, then one per 0.8 ms.
    const waits = Array.from({ length: 11 }, () => budget.admit());
    expect(waits.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(waits[10]).toBeCloseTo(0.8);
    c.advance(0.8);
    expect(budget.admit()).toBe(0);
    expect(budget.admit()).toBeCloseTo(0.8);
  });

  /**
   * Sends through their slots as the sender does, the event loop blocked from 1.5 s to 1.7 s
   * so that the slots of that time all come due at its end; returns when each send started.
   */
  function sendThroughStall(limit: number, count: number): number[] {
    const c = clock();
    const budget = createBudget({ globalPerSecond: limit, perChatPerSecond: Number.POSITIVE_INFINITY, perGroupPerMinute: Number.POSITIVE_INFINITY }, c.now);
    let due = Array.from({ length: count }, (_, i) => budget.reserve(`chat-${i}`, false));
    const started: number[] = [];
    while (due.length) {
      const next = Math.min(...due);
      c.advance(Math.max(0, (next >= 1500 && next < 1700 ? 1700 : next) - c.now()));
      const later: number[] = [];
      for (const at of due) {
        if (at > c.now()) later.push(at);
        else {
          const wait = budget.admit();
          if (wait === 0) started.push(c.now());
          else later.push(c.now() + wait);
        }
      }
      due = later;
    }
    return started;
  }

  /** The most sends started within any `windowMs` (sends exactly that far apart count apart). */
  function most(started: number[], windowMs: number): number {
    let peak = 0;
    for (let i = 0, j = 0; i < started.length; i++) {
      // The slots' sums round to 999.99…: allow for it.
      while (started[i]! - started[j]! >= windowMs - 1e-6) j++;
      peak = Math.max(peak, i - j + 1);
    }
    return peak;
  }

  it("keeps the margin in every rolling second when sends held up by a stall catch up", () => {
    const started = sendThroughStall(100, 300);
    // The margin is what absorbs requests arriving a little out of step: 97, not 100.
    expect(most(started, 1000)).toBe(97);
    // The held-back sends leave from the stall's end at 1.25 × the limit, one per 8 ms, not
    // together: a burst arriving a little slower would land in the platform's previous second.
    expect(started.filter((t) => t >= 1700 && t < 1800)).toHaveLength(13);
    expect(most(started, 8)).toBe(1);
  });

  it("at a high limit lets a catch-up burst only 10 ms worth, so jitter cannot move a second's worth", () => {
    const started = sendThroughStall(1000, 3000);
    expect(most(started, 1000)).toBe(970);
    expect(started.filter((t) => t === 1700)).toHaveLength(10);
    // Any 20 ms holds the 10 of a burst and at most 25 more at the catch-up pace.
    expect(most(started, 20)).toBeLessThanOrEqual(35);
  });

  it("keeps one private chat to its own rate, and pauses the whole channel on a 429", () => {
    const c = clock();
    const limits = { globalPerSecond: 100, perChatPerSecond: 1, perGroupPerMinute: 20 };
    const budget = createBudget(limits, c.now);
    expect(budget.reserve("a", false)).toBe(0);
    expect(budget.reserve("a", false)).toBeGreaterThanOrEqual(1000);
    const groups = createBudget(limits, c.now);
    expect(groups.reserve("-100", true)).toBe(0);
    expect(groups.reserve("-100", true)).toBeGreaterThanOrEqual(3000);
    budget.pause(5000);
    expect(budget.reserve("b", false)).toBeGreaterThanOrEqual(5000);
    expect(budget.pausedFor()).toBe(5000);
    c.advance(5000);
    expect(budget.pausedFor()).toBe(0);
  });

  it("spaces the sends a pause held back: new slots after it follow one another, not all at its end", () => {
    const c = clock();
    const budget = createBudget({ globalPerSecond: 100, perChatPerSecond: Number.POSITIVE_INFINITY, perGroupPerMinute: Number.POSITIVE_INFINITY }, c.now);
    for (let i = 0; i < 50; i++) budget.reserve(`chat-${i}`, false);
    budget.pause(1000);
    c.advance(1000);
    const after = Array.from({ length: 50 }, (_, i) => budget.reserve(`chat-${i}`, false));
    expect(after[0]).toBe(0);
    expect(after[49]).toBeGreaterThan(490);
  });
});
