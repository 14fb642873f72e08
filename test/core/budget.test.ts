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
    const budget = createBudget({ globalPerSecond: 3, perChatPerSecond: Number.POSITIVE_INFINITY, perGroupPerMinute: Number.POSITIVE_INFINITY }, c.now);
    // Three sends go out together (their timers fired late, all at once).
    expect([budget.admit(), budget.admit(), budget.admit()]).toEqual([0, 0, 0]);
    const hold = budget.admit();
    expect(hold).toBeGreaterThan(990);
    c.advance(hold);
    expect(budget.admit()).toBe(0);
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
