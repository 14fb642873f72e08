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
