import type { ChannelLimits } from "../../core/delivery/budget.ts";

/**
 * Telegram's published limits (core.telegram.org/bots/faq): about 30 messages a second in
 * all, one a second to a chat, 20 a minute to a group. The global rate is set a little under
 * (28, or TELEGRAM_RATE_LIMIT) and 1,000 with paid broadcasts.
 */
/** Under the ~30 a second Telegram allows, so that no burst draws a 429. */
export const DEFAULT_RATE_LIMIT = 28;

export function telegramLimits(options: { rateLimit: number; paidBroadcast: boolean }): ChannelLimits {
  return { globalPerSecond: options.paidBroadcast ? 1000 : options.rateLimit, perChatPerSecond: 1, perGroupPerMinute: 20 };
}

/** Telegram groups and supergroups have negative chat ids; private chats positive ones. */
export const isTelegramGroup = (address: string) => address.replace(/^telegram:/, "").startsWith("-");

export const TELEGRAM_CAPABILITIES = { buttons: true, edits: true, maxTextLength: 4096, deepLinks: true, groupLinks: true } as const;
