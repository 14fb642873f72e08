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
  /** Whether the choices continue the list the chat was reading (numbered after `after`). */
  continues: boolean;
}

/**
 * A message as Zalo shows it: plain text, its actions as numbered lines, cut into parts Zalo
 * takes. The sandbox's Zalo view shows the same parts, so what is tried there is what Zalo sends.
 */
export function renderForZalo(message: OutgoingMessage, t: Translate, after = 0): ZaloRendering {
  const shown = renderAsText(message, t, after);
  return { texts: cutText(shown.text, ZALO_MAX_TEXT_LENGTH).filter((part) => part.trim() !== ""), choices: shown.choices, continues: shown.continues };
}

/** Beyond this, a new message starts its own list: numbers are typed with at most two digits. */
const MAX_CONTINUED = 80;

/**
 * What a chat is offered once `message` is shown after `earlier` (the list it was reading, for
 * a proactive message; empty for a reply, which starts afresh): the rendering, and the whole
 * list to remember for the chat.
 */
export function renderContinuing(message: OutgoingMessage, t: Translate, earlier: string[]): ZaloRendering & { offer: string[] } {
  const after = earlier.length <= MAX_CONTINUED ? earlier.length : 0;
  const shown = renderForZalo(message, t, after);
  return { ...shown, offer: shown.continues ? [...earlier, ...shown.choices.slice(after)] : shown.choices };
}
