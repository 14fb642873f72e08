import type { Core } from "../../src/core/index.ts";
import type { ChannelCapabilities, Inbound, InboundFile } from "../../src/core/inbound.ts";
import type { Locale } from "../../src/core/locale.ts";
import type { OutgoingMessage } from "../../src/core/message.ts";
import type { NoticeKind, RenderedParams } from "../../src/core/notices.ts";
import type { DialogState, Notice } from "../../src/core/ports.ts";
import type { Actor } from "../../src/core/roles.ts";
import type { Translate } from "../../src/i18n.ts";

/** How a channel answers the update being handled. */
export interface ReplyTransport {
  /** What the chat's channel can do; a transport without it has buttons and edits. */
  capabilities?: ChannelCapabilities;
  send(message: OutgoingMessage): Promise<void>;
  /**
   * Replaces the message `messageId` of this chat (the one whose button was pressed); false
   * when the channel cannot (no edits, too old, a file): the router then sends anew.
   */
  edit?(messageId: string, message: OutgoingMessage): Promise<boolean>;
  /**
   * A short confirmation for a pressed button (Telegram shows it as a toast); optional. `url`
   * opens a chat with the bot (Telegram's answerCallbackQuery url), e.g. to start one.
   */
  toast?(text: string, options?: { url?: string }): Promise<void>;
  /**
   * Sends to the person's private chat with the bot, for an update that came from a group:
   * false when the platform refuses (the person never opened a chat with the bot).
   */
  sendPrivately?(message: OutgoingMessage): Promise<boolean>;
}

/** Everything a handler gets: never a platform context, always the same on every channel. */
export interface HandlerContext {
  inbound: Inbound;
  /** What the chat's channel can do: word things for typing where there are no buttons. */
  capabilities: ChannelCapabilities;
  actor: Actor;
  locale: Locale;
  t: Translate;
  /** A translator for another language (e.g. right after the person switched). */
  translator(locale: Locale): Translate;
  now: Date;
  core: Core;
  /** The commands installed in this deployment, so menus and help never offer a missing one. */
  commands: readonly string[];
  /** Command arguments, typed text or button payload of this update ("" when none). */
  input: string;
  /** The file of a file update. */
  file?: InboundFile;
  /** The branch chosen with a branch button, for people in several branches. */
  branchId?: string;
  dialog: {
    current: DialogState | undefined;
    /** `privately`: the question goes to the person's private chat (a press in a group asked it). */
    start(kind: string, data?: Record<string, unknown>, ttlMinutes?: number, options?: { privately?: boolean }): Promise<void>;
    clear(): Promise<void>;
  };
  /** Answers in the chat the update came from (a group only for what every member may see). */
  reply(message: OutgoingMessage): Promise<void>;
  /**
   * Answers a button by updating the message it was under (a roll call, a roster page, a
   * tally), where the channel can edit; elsewhere, and for typed input, like `reply`.
   */
  edit(message: OutgoingMessage): Promise<void>;
  /** Answers in the person's private chat, wherever the update came from. */
  replyPrivately(message: OutgoingMessage): Promise<void>;
  toast(text: string): Promise<void>;
}

export type Handler = (ctx: HandlerContext) => Promise<void>;

/** How a notice looks to its recipient, in their language. */
export type NoticeRenderer = (params: Notice["params"], t: Translate, locale: Locale) => OutgoingMessage;
/** Each kind's renderer, reading that kind's parameters (checked at compile time). */
export type NoticeRenderers = { [K in NoticeKind]: (params: RenderedParams<K>, t: Translate, locale: Locale) => OutgoingMessage };

/**
 * A feature module: the commands, buttons and dialogs it owns. Features are installed in
 * one ordered list (handlers/index.ts) with the fallback last.
 */
export interface Feature {
  name: string;
  commands?: Record<string, Handler>;
  /** Commands kept out of the chat menu (they are for a few people, e.g. the admin). */
  unlisted?: string[];
  /** Whole messages (compared without diacritics or case) that mean a command, e.g. "giúp" → help. */
  aliases?: Record<string, string[]>;
  /** Handlers by payload prefix. */
  actions?: Record<string, Handler>;
  /** Handlers for text typed while a dialog of that kind is open. */
  dialogs?: Record<string, Handler>;
  /**
   * Dialog kinds whose handler answers the cancel word itself (e.g. back to the list the
   * question was asked from) instead of the router's plain “Đã hủy”.
   */
  ownCancel?: string[];
  /** Free text that this feature understands; returns true when it handled it. */
  text?: (ctx: HandlerContext) => Promise<boolean>;
  /** How this feature's notices look to their recipient (see Notifications). */
  notices?: Partial<NoticeRenderers>;
  /**
   * What this feature answers inside a group chat itself, because every member may see it
   * (the group link, a press on the group's notice). Every other command and button pressed
   * in a group is answered in the presser's private chat (SPEC §2).
   */
  inGroup?: { commands?: string[]; actions?: string[] };
  /** Only the last feature has one: unknown commands, text, buttons and media. */
  fallback?: {
    command: Handler;
    text: Handler;
    action: Handler;
    file: Handler;
    other: Handler;
  };
}
