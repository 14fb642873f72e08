import { setTimeout as sleep } from "node:timers/promises";
import type { Budget } from "./budget.ts";

/**
 * How many sends may start in one turn of the event loop. After the loop was held up, every
 * send whose slot passed meanwhile comes due in the same round of timers. Started all in that
 * round, they would hold the loop for tens of milliseconds, and those needing a fresh
 * connection would only leave at its end, bunched with the sends after them: the platform
 * would count a burst. A few per round, then the loop does its I/O (and answers people).
 *
 * A turn ends in the loop's check phase (setImmediate), where the count starts again. Sends
 * start only in the other phases (timers, I/O): one started in the check phase could fall on
 * either side of the count's restart and make a turn of more than `perTurn`. So a queue that
 * ran out of room resumes on a timer, and the sender yields with `yieldToTimersAndIo`
 * (a claim from an in-process database may resolve without I/O, and its sends start at once).
 */
export interface TurnLimit {
  hasRoom(): boolean;
  count(): void;
}

export function createTurnLimit(perTurn: number): TurnLimit {
  let started = 0;
  return {
    hasRoom: () => started < perTurn,
    count() {
      if (started++ === 0) setImmediate(() => (started = 0));
    },
  };
}

/** Lets timers and I/O run, and comes back in the timers phase (see TurnLimit). */
export const yieldToTimersAndIo = (): Promise<void> => sleep(0);

export interface AdmissionQueue {
  /**
   * Resolves true when this send may start now, in the order the sends asked; false when a
   * 429 paused the channel meanwhile (the send then takes a fresh slot after the pause).
   */
  pass(): Promise<boolean>;
}

/**
 * Sends whose slot has come pass the budget's admit() one after another, first come first
 * served. Each polling admit() on a timer of its own, the ones that lost a round went to the
 * back of the timers, and one could wait behind later sends until its lease ran out.
 */
export function createAdmissionQueue(budget: Budget, turns: TurnLimit): AdmissionQueue {
  const waiting: Array<(admitted: boolean) => void> = [];
  let scheduled = false;

  function openLater(afterMs: number): void {
    scheduled = true;
    setTimeout(open, afterMs);
  }

  function open(): void {
    scheduled = false;
    while (waiting.length) {
      if (budget.pausedFor() > 0) {
        for (const resolve of waiting.splice(0)) resolve(false);
        return;
      }
      // The next turn, on a timer (see TurnLimit).
      if (!turns.hasRoom()) return openLater(0);
      const wait = budget.admit();
      if (wait > 0) return openLater(wait);
      turns.count();
      waiting.shift()!(true);
    }
  }

  return {
    pass() {
      return new Promise<boolean>((resolve) => {
        waiting.push(resolve);
        if (!scheduled) open();
      });
    },
  };
}
