import { InlineKeyboard } from "grammy";
import type { OutgoingMessage, TextBlock } from "../../core/message.ts";
import { splitMessage } from "../split.ts";

/** Telegram's limit for a message text, counted after HTML is parsed. */
export const TELEGRAM_TEXT_LIMIT = 4096;

export const escapeHtml = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function renderBlock(block: TextBlock): string {
  switch (block.kind) {
    case "title":
      return `<b>${escapeHtml(block.text)}</b>`;
    case "text":
      return escapeHtml(block.text);
    case "note":
      return `<i>${escapeHtml(block.text)}</i>`;
    case "list":
      return block.items.map((item) => `• ${escapeHtml(item)}`).join("\n");
  }
}

export interface TelegramText {
  text: string;
  replyMarkup?: InlineKeyboard;
}

/** Renders a message as one or more HTML texts; the keyboard goes with the last one. */
export function renderForTelegram(message: OutgoingMessage): TelegramText[] {
  return splitMessage(message, TELEGRAM_TEXT_LIMIT).map((part) => {
    const text = part.blocks.map(renderBlock).join("\n\n");
    if (!part.actions?.length) return { text };
    const keyboard = new InlineKeyboard();
    for (const row of part.actions) {
      for (const action of row) keyboard.text(action.label, action.payload);
      keyboard.row();
    }
    return { text, replyMarkup: keyboard };
  });
}
