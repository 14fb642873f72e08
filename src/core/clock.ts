import type { Clock } from "./ports.ts";

export const systemClock: Clock = { now: () => new Date() };

/**
 * The sandbox's clock: it starts at a chosen instant (by default now), runs at the real pace
 * from there, and can be moved forward, so a demo can jump to "19:00 on the 2nd" and watch
 * what the scheduler does. A real bot never gets one.
 */
export class AdjustableClock implements Clock {
  #offsetMs: number;
  constructor(start?: Date) {
    this.#offsetMs = start ? start.getTime() - Date.now() : 0;
  }
  now(): Date {
    return new Date(Date.now() + this.#offsetMs);
  }
  /** Moves forward to `target`; moving backwards is refused, since sent messages cannot be unsent. */
  advanceTo(target: Date): { ok: true } | { ok: false; reason: "in_past" } {
    const delta = target.getTime() - this.now().getTime();
    if (delta < 0) return { ok: false, reason: "in_past" };
    this.#offsetMs += delta;
    return { ok: true };
  }
}
