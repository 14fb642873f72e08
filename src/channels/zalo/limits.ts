import type { ChannelLimits } from "../../core/delivery/budget.ts";
import type { ChannelCapabilities } from "../../core/inbound.ts";
import { ZALO_MAX_TEXT_LENGTH } from "./types.ts";

/**
 * Zalo publishes no send limit for bots. Ten messages a second is a third of what Telegram
 * allows, and still sends a province's reminder wave of 20,000 messages in about 35 minutes;
 * a 429 ("Quota exceeded", without retry_after) pauses the channel with a growing back-off,
 * so a limit set too high costs time, never messages. ZALO_RATE_LIMIT changes it.
 */
export const ZALO_DEFAULT_RATE_LIMIT = 10;

export function zaloLimits(options: { rateLimit: number }): ChannelLimits {
  // One a second to a chat and twenty a minute to a group, as on Telegram: nobody reads faster.
  return { globalPerSecond: options.rateLimit, perChatPerSecond: 1, perGroupPerMinute: 20 };
}

/**
 * Zalo's ids carry no sign of what they name (Telegram's groups are negative), so a group's
 * address says so itself: "zalo:group:<chat id>", a private chat "zalo:<user id>".
 */
const GROUP_MARK = "group:";

export const zaloGroupAddress = (chatId: string) => `zalo:${GROUP_MARK}${chatId}`;
export const zaloPrivateAddress = (userId: string) => `zalo:${userId}`;
export const isZaloGroup = (address: string) => address.replace(/^zalo:/, "").startsWith(GROUP_MARK);
/** The chat_id Zalo's API takes for an address of either kind. */
export const zaloChatId = (address: string) => address.replace(/^zalo:/, "").replace(GROUP_MARK, "");

/**
 * Zalo shows plain text only: actions become numbered lines to type, nothing is edited in
 * place, and there are no deep links. Groups are in beta (the bot sees only mentions and
 * replies to itself), so linking one to a branch is behind ZALO_GROUPS.
 */
export function zaloCapabilities(groupLinks: boolean): ChannelCapabilities {
  return { buttons: false, edits: false, maxTextLength: ZALO_MAX_TEXT_LENGTH, deepLinks: false, groupLinks };
}
