import type { OutgoingMessage } from "../../core/message.ts";
import type { Translate } from "../../i18n.ts";
import { cutText } from "../split.ts";
import { renderAsText } from "../text-render.ts";
import { ZALO_MAX_TEXT_LENGTH } from "./types.ts";

export interface ZaloRendering {
  /** The messages to send, in order, each within Zalo's 2,000 characters, cut between words. */
  texts: string[];
  /** What a typed number picks, to remember for the chat (see renderAsText). */
  choices: string[];
}

/**
 * A message as Zalo shows it: plain text, its actions as numbered lines, cut into parts Zalo
 * takes. The sandbox's Zalo view shows the same parts, so what is tried there is what Zalo sends.
 */
export function renderForZalo(message: OutgoingMessage, t: Translate): ZaloRendering {
  const shown = renderAsText(message, t);
  return { texts: cutText(shown.text, ZALO_MAX_TEXT_LENGTH).filter((part) => part.trim() !== ""), choices: shown.choices };
}
