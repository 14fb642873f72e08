/**
 * The shapes of the Zalo Bot Platform API (https://bot-api.zaloplatforms.com), as zod schemas
 * and the types inferred from them. docs/zalo-api.md says which fields come from Zalo's
 * documentation and which were only seen in other clients.
 *
 * The schemas are strict only where a wrong value would make an update unusable or dangerous
 * (ids, the chat type, the event name); an optional content field of an unexpected type is
 * dropped instead of refusing the whole update, because an update the platform has delivered is
 * not delivered again.
 */
import { z } from "zod";

/** sendMessage text and sendPhoto caption: 1–2000 characters (documented). */
export const ZALO_MAX_TEXT_LENGTH = 2000;

/** The events Zalo documents; others may appear later and are passed on, not refused. */
export type ZaloKnownEventName =
  "message.text.received" | "message.image.received" | "message.sticker.received" | "message.voice.received" | "message.unsupported.received";
export type ZaloEventName = ZaloKnownEventName | (string & {});

const id = z.string().min(1);
/** A field Zalo may add, rename or type differently: kept when it is a string, else dropped. */
const optionalString = z.string().optional().catch(undefined);

export const zaloChatSchema = z.object({
  id,
  // GROUP is beta on Zalo. An unknown kind is refused rather than guessed: taking a group for a
  // private chat would send personal replies to everyone in it.
  chat_type: z.enum(["PRIVATE", "GROUP"]),
});

export const zaloSenderSchema = z.object({
  id,
  /** The documented name field. */
  display_name: optionalString,
  /** Seen instead of display_name in some clients' types. */
  name: optionalString,
  is_bot: z.boolean().optional().catch(undefined),
});

export const zaloMessageSchema = z.object({
  message_id: id,
  from: zaloSenderSchema,
  chat: zaloChatSchema,
  /** Epoch milliseconds (not seconds as on Telegram). */
  date: z.number(),
  text: optionalString,
  caption: optionalString,
  /** Image URL as observed in message.image.received updates. */
  photo_url: optionalString,
  /** Image URL under the name the documentation's sample uses. */
  photo: optionalString,
  sticker: optionalString,
  voice_url: optionalString,
});

export const zaloUpdateSchema = z.object({
  event_name: z.string().min(1) as z.ZodType<ZaloEventName>,
  // Documented as optional, but every documented event carries one, and without it there is no
  // chat to answer nor an id to recognise a replay by: such an update is refused.
  message: zaloMessageSchema,
});

export const zaloBotInfoSchema = z.object({
  id,
  account_name: optionalString,
  account_type: optionalString,
  display_name: optionalString,
  can_join_groups: z.boolean().optional().catch(undefined),
});

/** What sendMessage and sendPhoto answer. */
export const zaloSentMessageSchema = z.object({
  message_id: id,
  // Optional on purpose: the message is already out, and refusing the answer for a missing
  // timestamp would make the caller send it again.
  date: z.number().optional().catch(undefined),
});

export const zaloWebhookInfoSchema = z.object({
  /** "" when no webhook is set. */
  url: z.string(),
  updated_at: z.number().optional().catch(undefined),
});

/** Every answer: `{ ok, result }` on success, `{ ok: false, error_code, description }` on failure. */
export const zaloEnvelopeSchema = z.object({
  ok: z.boolean(),
  result: z.unknown().optional(),
  error_code: z.number().optional().catch(undefined),
  description: z.string().optional().catch(undefined),
});

export type ZaloChat = z.infer<typeof zaloChatSchema>;
export type ZaloChatType = ZaloChat["chat_type"];
export type ZaloSender = z.infer<typeof zaloSenderSchema>;
export type ZaloMessage = z.infer<typeof zaloMessageSchema>;
export type ZaloUpdate = z.infer<typeof zaloUpdateSchema>;
export type ZaloBotInfo = z.infer<typeof zaloBotInfoSchema>;
export type ZaloSentMessage = z.infer<typeof zaloSentMessageSchema>;
export type ZaloWebhookInfo = z.infer<typeof zaloWebhookInfoSchema>;
export type ZaloEnvelope = z.infer<typeof zaloEnvelopeSchema>;

/** Documented: only "typing" works today ("upload_photo" is announced as coming soon). */
export type ZaloChatAction = "typing";

export interface ZaloSendMessageParams {
  chat_id: string;
  text: string;
}

export interface ZaloSendPhotoParams {
  chat_id: string;
  /** A public URL: Zalo fetches the image itself. */
  photo: string;
  caption?: string;
}

export interface ZaloSendChatActionParams {
  chat_id: string;
  action: ZaloChatAction;
}

export interface ZaloSetWebhookParams {
  /** HTTPS, reachable from the internet. */
  url: string;
  /** 8–256 characters; Zalo sends it back in the X-Bot-Api-Secret-Token header of every delivery. */
  secret_token: string;
}
