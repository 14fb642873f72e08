import type { Update } from "grammy/types";
import { address, type Inbound, type InboundEvent } from "../../core/inbound.ts";

/**
 * Reduces a Telegram update to the neutral inbound shape, or undefined for updates the bot
 * does not act on (edits, channel posts, its own membership changes, inline queries).
 */
export function toInbound(update: Update, botUsername: string, download: (fileId: string) => Promise<Uint8Array>): Inbound | undefined {
  if (update.callback_query) {
    const query = update.callback_query;
    const chat = query.message?.chat;
    if (!chat || query.data === undefined) return undefined;
    return {
      channel: "telegram",
      sender: sender(query.from),
      chat: { kind: chat.type === "private" ? "private" : "group", address: address("telegram", chat.id) },
      event: { kind: "action", payload: query.data, messageId: String(query.message!.message_id) },
    };
  }
  const msg = update.message;
  if (!msg || !msg.from || msg.from.is_bot) return undefined;
  const chat = { kind: msg.chat.type === "private" ? "private" : "group", address: address("telegram", msg.chat.id) } as const;
  const event = msg.document
    ? ({
        kind: "file",
        file: {
          name: msg.document.file_name ?? "file",
          mimeType: msg.document.mime_type,
          size: msg.document.file_size,
          read: () => download(msg.document!.file_id),
        },
      } as const)
    : messageEvent(msg.text, msg.entities, botUsername, chat.kind);
  if (!event) return undefined;
  return { channel: "telegram", sender: sender(msg.from), chat, event };
}

function sender(from: { id: number; first_name: string; last_name?: string; language_code?: string }) {
  const displayName = [from.first_name, from.last_name].filter(Boolean).join(" ");
  // A person's private chat with the bot has the person's own id on Telegram.
  return {
    externalId: String(from.id),
    privateAddress: address("telegram", from.id),
    displayName,
    ...(from.language_code ? { languageHint: from.language_code } : {}),
  };
}

function messageEvent(
  text: string | undefined,
  entities: Array<{ type: string; offset: number; length: number }> | undefined,
  botUsername: string,
  chatKind: "private" | "group",
): InboundEvent | undefined {
  // Service messages (someone joined, the group was migrated) are not addressed to the bot.
  if (text === undefined) return chatKind === "private" ? { kind: "other" } : undefined;
  const command = entities?.find((e) => e.type === "bot_command" && e.offset === 0);
  if (command) {
    const [name = "", target] = text.slice(1, command.length).split("@");
    // In a group, "/help@other_bot" is for another bot.
    if (target && target.toLowerCase() !== botUsername.toLowerCase()) return undefined;
    return { kind: "command", name: name.toLowerCase(), args: text.slice(command.length).trim() };
  }
  return { kind: "text", text };
}
