import { Api, GrammyError, HttpError, InputFile } from "grammy";
import type { OutgoingMessage } from "../../core/message.ts";
import type { DeliveryResult, Notifier } from "../../core/ports.ts";
import { isTelegramGroup } from "./limits.ts";
import { renderForTelegram } from "./render.ts";

/** Sends a rendered message (split at Telegram's limit) to a chat; returns the last message id. */
export async function sendTelegramMessage(api: Api, chatId: number | string, message: OutgoingMessage, extra: object = {}): Promise<string | undefined> {
  let lastId: string | undefined;
  for (const part of renderForTelegram(message)) {
    // A file sent on its own (a chart, an export) has no text to go before it; Telegram refuses an empty one.
    if (part.text.trim() === "" && !part.replyMarkup && message.attachment) continue;
    const sent = await api.sendMessage(chatId, part.text, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(part.replyMarkup ? { reply_markup: part.replyMarkup } : {}),
      ...extra,
    });
    lastId = String(sent.message_id);
  }
  if (message.attachment) {
    const { bytes, filename, caption, mimeType } = message.attachment;
    const options = { ...(caption ? { caption: caption.slice(0, 1024) } : {}), ...extra };
    // A picture (a chart) is shown in the chat; any other file is a document to download.
    const sent = mimeType.startsWith("image/")
      ? await api.sendPhoto(chatId, new InputFile(bytes, filename), options)
      : await api.sendDocument(chatId, new InputFile(bytes, filename), options);
    lastId = String(sent.message_id);
  }
  return lastId;
}

/**
 * The notifier the delivery engine sends proactive messages through. Its own client has no
 * auto-retry: the engine owns the pacing and handles a 429 for the whole channel at once.
 */
export function createTelegramNotifier(options: { token: string; apiRoot: string; paidBroadcast?: boolean }): Notifier {
  const api = new Api(options.token, { apiRoot: options.apiRoot });
  const extra = options.paidBroadcast ? { allow_paid_broadcast: true } : {};
  return {
    isGroup: isTelegramGroup,
    async send(address, message): Promise<DeliveryResult> {
      try {
        const externalMessageId = await sendTelegramMessage(api, address.replace(/^telegram:/, ""), message, extra);
        return externalMessageId ? { ok: true, externalMessageId } : { ok: true };
      } catch (error) {
        return deliveryFailure(error);
      }
    },
    async edit(address, externalMessageId, message): Promise<DeliveryResult> {
      try {
        if (!(await editTelegramMessage(api, address.replace(/^telegram:/, ""), externalMessageId, message))) {
          return { ok: false, reason: "rejected", detail: "does not fit one message" };
        }
        return { ok: true, externalMessageId };
      } catch (error) {
        return deliveryFailure(error);
      }
    },
  };
}

/**
 * Replaces a message's text and buttons. False when the new one cannot take its place (it
 * needs several Telegram messages, or carries a file): the caller sends it anew.
 */
export async function editTelegramMessage(api: Api, chatId: number | string, messageId: string, message: OutgoingMessage): Promise<boolean> {
  const parts = renderForTelegram(message);
  if (parts.length !== 1 || message.attachment) return false;
  const [part] = parts as [(typeof parts)[number]];
  try {
    await api.editMessageText(chatId, Number(messageId), part.text, {
      parse_mode: "HTML",
      link_preview_options: { is_disabled: true },
      ...(part.replyMarkup ? { reply_markup: part.replyMarkup } : {}),
    });
  } catch (error) {
    // Telegram refuses an edit that changes nothing; the message already says it.
    if (error instanceof GrammyError && error.error_code === 400 && error.description.includes("message is not modified")) return true;
    throw error;
  }
  return true;
}

/** Maps Telegram's answers to what the delivery engine needs to decide: retry, give up, or mark unreachable. */
export function deliveryFailure(error: unknown): DeliveryResult {
  if (error instanceof GrammyError) {
    const detail = `${error.error_code} ${error.description}`;
    if (error.error_code === 403) return { ok: false, reason: "unreachable", detail };
    if (error.error_code === 429) {
      const seconds = error.parameters.retry_after ?? 1;
      return { ok: false, reason: "retry", retryAfterMs: seconds * 1000, detail };
    }
    if (error.error_code >= 500) return { ok: false, reason: "retry", detail };
    return { ok: false, reason: "rejected", detail };
  }
  if (error instanceof HttpError) return { ok: false, reason: "retry", detail: String(error.message) };
  return { ok: false, reason: "retry", detail: String(error) };
}
