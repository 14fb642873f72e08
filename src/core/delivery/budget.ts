/**
 * Send budgets, in real time (they are about the platform's limits, not the sandbox clock).
 * Slots are handed out evenly spaced, a little slower than the limit (SLACK), so that no
 * burst draws a 429; and a send whose slot came late (a blocked event loop releases several
 * at once) still waits until the rolling second of actual sends has room — room measured
 * against the slower rate too, so that the catching up never uses the margin up.
 */
export interface ChannelLimits {
  /** Messages per second for the whole bot token. */
  globalPerSecond: number;
  /** Messages per second to one private chat. */
  perChatPerSecond: number;
  /** Messages per minute to one group. */
  perGroupPerMinute: number;
}

export const UNLIMITED: ChannelLimits = {
  globalPerSecond: Number.POSITIVE_INFINITY,
  perChatPerSecond: Number.POSITIVE_INFINITY,
  perGroupPerMinute: Number.POSITIVE_INFINITY,
};

export interface Budget {
  /** Milliseconds to wait before sending to this chat; the slot is taken. */
  reserve(chat: string, isGroup: boolean): number;
  /**
   * Once the slot has come, right before sending: milliseconds still to wait (the send would
   * catch up faster than the bucket allows, or the rolling second of sends already holds
   * `globalPerSecond ÷ SLACK`), or 0, and then the send is counted as started now.
   */
  admit(): number;
  /** The whole channel waits (a 429 said so). */
  pause(ms: number): void;
  /**
   * Milliseconds the channel is still paused. A send whose slot fell in a pause takes a new
   * slot afterwards: slots handed out before the pause would all come due at its end at once.
   */
  pausedFor(): number;
}

/**
 * Slots spaced exactly 1/limit apart put send k and send k + limit exactly one second apart:
 * the least jitter (a timer firing late, one request travelling slower than the next) puts
 * limit + 1 sends into the platform's rolling second, and a 429 costs a whole retry_after.
 * Spacing them 3 % wider leaves 30 ms of tolerance per second (2 % still drew 429s on a busy
 * two-core machine).
 */
const SLACK = 1.03;
const WINDOW_MS = 1000 * SLACK;
/**
 * The sends allowed in any rolling second, counted as they actually start. At the full limit,
 * the sends a stall held back would leave together and fill that second to the limit: the next
 * few milliseconds of jitter then draw a 429. At limit ÷ SLACK every second keeps its margin.
 */
const windowCapacity = (limit: number) => Math.max(1, Math.floor(limit / SLACK));
/**
 * The ring alone lets the sends a stall held back leave in one burst, as many as the stall left
 * room for, and then echoes that burst every second (each send waits for the one a second
 * before it). A burst whose requests travel a few milliseconds slower than the sends before
 * it lands in the platform's previous second. So sends also follow a bucket: bursts of at most
 * 10 ms of the limit (1 at Telegram's 28/s, 10 at 1000/s), and a catch-up after a stall at
 * 1.25 × the limit, which leaves its burst on one second's edge 15 ms of the margin, and which
 * still catches up the few sends a database statement of 15 ms held back in a few dozen ms.
 */
const BURST_MS = 10;
const CATCH_UP = 1.25;
/** Above this many sends per second, the rolling window of send times is not kept (no real limit is that high). */
const MAX_TRACKED = 100_000;

export function createBudget(limits: ChannelLimits, now: () => number = () => performance.now()): Budget {
  const globalInterval = WINDOW_MS / limits.globalPerSecond;
  const chatInterval = WINDOW_MS / limits.perChatPerSecond;
  const groupInterval = (60_000 * SLACK) / limits.perGroupPerMinute;
  let nextGlobal = 0;
  let pausedUntil = 0;
  const nextByChat = new Map<string, number>();
  // When the last `windowCapacity` sends started, oldest first (a ring).
  const tracked = Number.isFinite(limits.globalPerSecond) && limits.globalPerSecond <= MAX_TRACKED ? windowCapacity(limits.globalPerSecond) : 0;
  const started = new Float64Array(tracked).fill(Number.NEGATIVE_INFINITY);
  let oldest = 0;
  // The bucket as the time the next send is due at the catch-up pace (GCRA): a send may go up
  // to `burstTolerance` ms before that, which lets a burst's sends go back to back.
  const spacing = Number.isFinite(limits.globalPerSecond) ? 1000 / (limits.globalPerSecond * CATCH_UP) : 0;
  const burstTolerance = spacing > 0 ? (Math.max(1, Math.floor((limits.globalPerSecond * BURST_MS) / 1000)) - 1) * spacing : 0;
  let paceDue = Number.NEGATIVE_INFINITY;
  return {
    reserve(chat, isGroup) {
      const t = now();
      const interval = isGroup ? groupInterval : chatInterval;
      const chatSlot = Number.isFinite(interval) ? Math.max(t, nextByChat.get(chat) ?? 0) : t;
      const slot = Math.max(t, pausedUntil, Number.isFinite(globalInterval) ? nextGlobal : t, chatSlot);
      if (Number.isFinite(globalInterval)) nextGlobal = slot + globalInterval;
      if (Number.isFinite(interval)) {
        nextByChat.set(chat, slot + interval);
        // Old entries are useless once their slot has passed; keep the map from growing with every chat.
        if (nextByChat.size > 50_000) for (const [key, at] of nextByChat) if (at < t) nextByChat.delete(key);
      }
      return slot - t;
    },
    admit() {
      const t = now();
      // Both conditions at once, so a held send wakes once, when it may go.
      const wait = Math.max(paceDue - burstTolerance - t, tracked > 0 ? started[oldest]! + 1000 - t : 0);
      if (wait > 0) return wait;
      if (tracked > 0) {
        started[oldest] = t;
        oldest = (oldest + 1) % tracked;
      }
      if (spacing > 0) paceDue = Math.max(paceDue, t) + spacing;
      return 0;
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
      nextGlobal = Math.max(nextGlobal, pausedUntil);
    },
    pausedFor() {
      return Math.max(0, pausedUntil - now());
    },
  };
}
