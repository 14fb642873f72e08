/**
 * Send budgets, in real time (they are about the platform's limits, not the sandbox clock).
 * Slots are handed out evenly spaced, which meets a per-second limit exactly without bursts
 * that would draw 429s.
 */
export interface ChannelLimits {
  /** Messages per second for the whole bot token. */
  globalPerSecond: number;
  /** Messages per second to one private chat. */
  perChatPerSecond: number;
  /** Messages per minute to one group. */
  perGroupPerMinute: number;
}

export const TELEGRAM_LIMITS: ChannelLimits = { globalPerSecond: 28, perChatPerSecond: 1, perGroupPerMinute: 20 };
export const UNLIMITED: ChannelLimits = { globalPerSecond: Number.POSITIVE_INFINITY, perChatPerSecond: Number.POSITIVE_INFINITY, perGroupPerMinute: Number.POSITIVE_INFINITY };

export interface Budget {
  /** Milliseconds to wait before sending to this chat; the slot is taken. */
  reserve(chat: string, isGroup: boolean): number;
  /** The whole channel waits (a 429 said so). */
  pause(ms: number): void;
}

export function createBudget(limits: ChannelLimits, now: () => number = () => performance.now()): Budget {
  const globalInterval = 1000 / limits.globalPerSecond;
  const chatInterval = 1000 / limits.perChatPerSecond;
  const groupInterval = 60_000 / limits.perGroupPerMinute;
  let nextGlobal = 0;
  let pausedUntil = 0;
  const nextByChat = new Map<string, number>();
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
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
      nextGlobal = Math.max(nextGlobal, pausedUntil);
    },
  };
}
