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
    // Three sends go out together (their timers fired late, all at once): 4 ÷ 1.03 leaves room for 3.
    expect([budget.admit(), budget.admit(), budget.admit()]).toEqual([0, 0, 0]);
    const hold = budget.admit();
    expect(hold).toBe(1000);
    c.advance(hold);
    expect(budget.admit()).toBe(0);
  });

  it("keeps the margin in every rolling second when sends held up by a stall catch up", () => {
    const c = clock();
    const limit = 100;
    const budget = createBudget({ globalPerSecond: limit, perChatPerSecond: Number.POSITIVE_INFINITY, perGroupPerMinute: Number.POSITIVE_INFINITY }, c.now);
    // 300 sends through their slots as the sender does; the event loop is blocked from 1.5 s
    // to 1.7 s, so the slots of that time all come due at its end.
    let due = Array.from({ length: 300 }, (_, i) => budget.reserve(`chat-${i}`, false));
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
    let most = 0;
    for (let i = 0, j = 0; i < started.length; i++) {
      // Sends exactly a second apart are in different seconds (the slots' sums round to 999.99…).
      while (started[i]! - started[j]! >= 1000 - 1e-6) j++;
      most = Math.max(most, i - j + 1);
    }
    // The margin is what absorbs requests arriving a little out of step: 97, not 100.
    expect(most).toBe(97);
    // And the held-back sends did leave at the stall's end, not a second later.
    expect(started.filter((t) => t === 1700).length).toBeGreaterThan(15);
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
