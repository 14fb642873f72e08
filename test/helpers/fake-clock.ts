import { AdjustableClock } from "../../src/core/clock.ts";
import type { Clock } from "../../src/core/ports.ts";

/** A clock tests move by hand: no real waiting, no dependence on when the test runs. */
export class FakeClock implements Clock {
  #now: number;
  constructor(start: Date | string = "2026-12-01T03:00:00Z") {
    this.#now = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(instant: Date | string): void {
    this.#now = new Date(instant).getTime();
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/**
 * Where the app's clock starts in tests that run the whole app (sandbox, Telegram): 10:00 in
 * Vietnam on 25 November 2026, eight days before the demo branch's meeting of 3 December,
 * when nothing is due yet. The suite never depends on the day or hour it runs.
 */
export const TEST_START = new Date("2026-11-25T03:00:00Z");

/** A clock that starts at `start` and runs at the real pace, for tests of the running app. */
export const runningClock = (start: Date = TEST_START) => new AdjustableClock(start);
