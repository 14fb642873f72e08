import type { OutgoingMessage } from "../../core/message.ts";
import type { Translate } from "../../i18n.ts";
import { cutText } from "../split.ts";
import { renderAsText } from "../text-render.ts";
import { ZALO_MAX_TEXT_LENGTH } from "./types.ts";

export interface ZaloRendering {
  /** The messages to send, in order, each within Zalo's 2,000 characters, cut between words. */
  texts: string[];
  /** What a typed number picks in the chat from now on (see renderAsText); empty: keep the last list. */
  offer: string[];
}

/** Beyond this, a new message starts its own list: numbers are typed with at most two digits. */
const MAX_CONTINUED = 80;

/**
 * A message as Zalo shows it: plain text, its actions as numbered lines, cut into parts Zalo
 * takes. `earlier`: the list the chat is still reading, which a proactive message numbers its
 * choices after (a reply passes none and starts from 1). The sandbox's Zalo view renders with
 * this too, so what is tried there is what Zalo is sent.
 */
export function renderForZalo(message: OutgoingMessage, t: Translate, earlier: string[] = []): ZaloRendering {
  const after = earlier.length <= MAX_CONTINUED ? earlier.length : 0;
  const shown = renderAsText(message, t, after);
  return {
    texts: cutText(shown.text, ZALO_MAX_TEXT_LENGTH).filter((part) => part.trim() !== ""),
    offer: shown.continues ? [...earlier, ...shown.choices.slice(after)] : shown.choices,
  };
}
