import { toLocale } from "../../core/locale.ts";
import type { OutgoingMessage } from "../../core/message.ts";
import type { DeliveryResult } from "../../core/ports.ts";
import type { I18n } from "../../i18n.ts";
import type { QuotaBackoff } from "./backoff.ts";
import { cutText } from "../split.ts";
import { ZaloApiError, type ZaloClient } from "./client.ts";
import { zaloChatId } from "./limits.ts";
import { renderForZalo } from "./render.ts";
import { ZALO_MAX_TEXT_LENGTH } from "./types.ts";

type Attachment = NonNullable<OutgoingMessage["attachment"]>;

/** Files as short-lived links on Chibo's own server: Zalo takes pictures only by URL, documents not at all. */
export interface FileLinks {
  /** The link, or undefined when the server has no public address. */
  link(file: Attachment): Promise<string | undefined>;
  /** How long a link works, to tell the reader. */
  hours: number;
}

export interface ZaloSendDeps {
  client: ZaloClient;
  i18n: I18n;
  backoff: QuotaBackoff;
  /** Remembers what a typed number picks in this chat. */
  offerChoices(address: string, payloads: string[]): Promise<void>;
  /** The list the chat was offered in the last minutes, which a proactive message continues. */
  recentChoices(address: string): Promise<string[]>;
  files?: FileLinks | undefined;
}

/**
 * Sends a message to a Zalo chat as Zalo can show it: its text in parts of at most 2,000
 * characters, its actions numbered, a picture by link, a document as a link to download.
 * `proactive`: not the answer to the person's own message.
 * Returns Zalo's id of the last message sent. Throws ZaloApiError.
 */
export async function sendZaloMessage(
  deps: ZaloSendDeps,
  address: string,
  message: OutgoingMessage,
  options: { proactive?: boolean } = {},
): Promise<string | undefined> {
  const t = deps.i18n.t(toLocale(message.locale));
  // A message nobody asked for (an alert right after the roll call closed) must not take away
  // the numbers of the list the person is reading: its own are numbered after them.
  const shown = renderForZalo(message, t, options.proactive ? await deps.recentChoices(address) : []);
  // Remembered before the message leaves: an answer typed at once must already find its list.
  if (shown.offer.length) await deps.offerChoices(address, shown.offer);
  const chat_id = zaloChatId(address);
  const counted = async (send: () => Promise<{ message_id: string }>) => {
    const sent = await send();
    deps.backoff.passed();
    return sent.message_id;
  };
  let lastId: string | undefined;
  for (const text of shown.texts) lastId = await counted(() => deps.client.sendMessage({ chat_id, text }));
  const file = message.attachment;
  if (!file) return lastId;
  const url = await deps.files?.link(file);
  const picture = file.mimeType.startsWith("image/");
  if (url && picture) return counted(() => deps.client.sendPhoto({ chat_id, photo: url, caption: file.caption.slice(0, ZALO_MAX_TEXT_LENGTH) }));
  // The caption says what the file is (and, for a chart, every figure in it), link or not.
  const note = url
    ? t("zalo:file.link", { name: file.filename, url, hours: deps.files!.hours })
    : t(picture ? "zalo:file.pictureNoLink" : "zalo:file.noLink", { name: file.filename });
  for (const text of cutText([file.caption, note].filter(Boolean).join("\n\n"), ZALO_MAX_TEXT_LENGTH)) {
    lastId = await counted(() => deps.client.sendMessage({ chat_id, text }));
  }
  return lastId;
}

/**
 * What the delivery engine should do after a failed send. A 429 pauses the whole channel for
 * the back-off's guess (Zalo sends no retry_after). A 403 is taken to mean the person can no
 * longer be written to (assumed: Zalo documents no code for a bot that was blocked).
 */
export function zaloDeliveryFailure(error: unknown, backoff: QuotaBackoff): DeliveryResult {
  if (!(error instanceof ZaloApiError)) return { ok: false, reason: "retry", detail: String(error) };
  const detail = `${error.code} ${error.description}`;
  if (error.code === 429) return { ok: false, reason: "retry", retryAfterMs: backoff.refused(), detail };
  if (error.code === 403) return { ok: false, reason: "unreachable", detail };
  if (error.retryable) return { ok: false, reason: "retry", detail };
  return { ok: false, reason: "rejected", detail };
}
