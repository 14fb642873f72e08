import type { Inbound, InboundEvent } from "../../core/inbound.ts";
import { isGroupChat } from "./client.ts";
import { zaloGroupAddress, zaloPrivateAddress } from "./limits.ts";
import type { ZaloUpdate } from "./types.ts";

/**
 * Reduces a Zalo update to the neutral inbound shape, or undefined for one the bot does not
 * act on (a bot's own message, an empty text in a group). Zalo has no buttons, so everything a
 * person does arrives as text: a command with or without "/", a number picking from a list, or
 * words; the router tells them apart the same way for every channel.
 */
export function toInbound(update: ZaloUpdate): Inbound | undefined {
  const { message } = update;
  if (message.from.is_bot) return undefined;
  const group = isGroupChat(update);
  const event = messageEvent(update, group);
  if (!event) return undefined;
  return {
    channel: "zalo",
    sender: {
      externalId: message.from.id,
      // Assumed from Zalo's samples: a private chat's id is the user's own id, so a person
      // writing in a group is answered privately at their user id.
      privateAddress: zaloPrivateAddress(message.from.id),
      displayName: message.from.display_name ?? message.from.name ?? "",
    },
    chat: group ? { kind: "group", address: zaloGroupAddress(message.chat.id) } : { kind: "private", address: zaloPrivateAddress(message.chat.id) },
    event,
  };
}

function messageEvent(update: ZaloUpdate, group: boolean): InboundEvent | undefined {
  if (update.event_name !== "message.text.received") {
    // A sticker, a picture, a voice note or content Zalo withholds: answered politely in a
    // private chat; in a group nobody asked the bot anything.
    return group ? undefined : { kind: "other" };
  }
  // In a group the bot only sees messages that mention it, which begin with its name.
  const raw = update.message.text ?? "";
  const text = (group ? raw.replace(/^@\S+\s*/, "") : raw).trim();
  if (!text) return group ? undefined : { kind: "other" };
  const command = /^\/([A-Za-z0-9_]+)(?:@\S+)?\s*([\s\S]*)$/.exec(text);
  return command ? { kind: "command", name: command[1]!.toLowerCase(), args: command[2]!.trim() } : { kind: "text", text };
}
