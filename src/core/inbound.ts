/** Channels known to the core. Addresses are prefixed with one of these ("telegram:123"). */
export type ChannelName = "telegram" | "zalo" | "sandbox";

/** Who sent an update, as the channel knows them. */
export interface Sender {
  /** The platform's user id, as a string. */
  externalId: string;
  /**
   * The prefixed address of the person's private chat with the bot on this channel, given by
   * the channel (only it knows how a private chat is addressed): personal answers to an
   * update from a group, and every proactive message, go there.
   */
  privateAddress: string;
  displayName: string;
  /** The platform's hint of the user's language (e.g. Telegram's language_code). */
  languageHint?: string;
}

export interface ChatRef {
  kind: "private" | "group";
  /** Prefixed address replies go to. */
  address: string;
}

/** A file someone sent (a roster to import). Read lazily: size is checked before download. */
export interface InboundFile {
  name: string;
  mimeType: string | undefined;
  /** Bytes, as the platform reports them (may be unknown). */
  size: number | undefined;
  read(): Promise<Uint8Array>;
}

export type InboundEvent =
  | { kind: "command"; name: string; args: string }
  // `messageId`: the channel's id of the message the button was under, to edit it in place.
  | { kind: "action"; payload: string; messageId?: string }
  | { kind: "text"; text: string }
  | { kind: "file"; file: InboundFile }
  // Anything the bot cannot read (a sticker, a voice note, a photo without text).
  | { kind: "other" };

/** One update, reduced to what every channel can express. */
export interface Inbound {
  channel: ChannelName;
  sender: Sender;
  chat: ChatRef;
  event: InboundEvent;
}

/**
 * What a channel can do in a chat, declared by its adapter — never guessed from its name:
 * buttons (else actions are numbered text), edits in place (else a new message), the longest
 * text of one message, and links that open a chat with the bot.
 */
export interface ChannelCapabilities {
  buttons: boolean;
  edits: boolean;
  maxTextLength: number;
  deepLinks: boolean;
  /** Whether a group chat of this channel can be linked to a branch (notices posted there). */
  groupLinks: boolean;
}

export const address = (channel: ChannelName, id: string | number): string => `${channel}:${id}`;

export function parseAddress(value: string): { channel: ChannelName; id: string } | undefined {
  const match = /^(telegram|zalo|sandbox):(.+)$/.exec(value);
  return match ? { channel: match[1] as ChannelName, id: match[2]! } : undefined;
}

/**
 * The start parameter of a link that only opens the private chat with the bot (Telegram deep
 * links need one): /start treats it as no parameter at all. Never a valid code (too short).
 */
export const OPEN_CHAT_START = "chao";
