import { blockPlainText, type Action, type OutgoingMessage } from "../core/message.ts";
import type { Translate } from "../i18n.ts";

export interface TextRendering {
  text: string;
  /**
   * What the chat is now offered: the payload typed number n picks is `choices[n - 1]` (""
   * where no action has that number, and for the numbers of the list it continues).
   */
  choices: string[];
  /** Whether the actions were numbered after `after` (the list the chat was already reading). */
  continues: boolean;
}

/** A button that only names a numbered line of the message ("4" under "4. Phạm Thị Hoa"). */
const numberLabel = (a: Action) => (/^\d{1,3}$/.test(a.label) ? Number(a.label) : undefined);

/**
 * A message as a channel without buttons shows it (Zalo, the sandbox's Zalo view): its text,
 * then its actions as numbered lines — the choices first, then navigation (pages, back) apart
 * — and how to pick one. A button that only names a numbered line of the text keeps that
 * number and is not printed twice; the other actions are numbered after the list. The channel
 * stores `choices` for the chat, and the router maps a typed number back to its action, so a
 * handler never invents a typed fallback of its own. `after`: the size of a list the chat is
 * still reading, which the actions are numbered after rather than taking its numbers.
 */
export function renderAsText(message: OutgoingMessage, t: Translate, after = 0): TextRendering {
  const parts = message.blocks.map(blockPlainText).filter(Boolean);
  const actions = (message.actions ?? []).flat();
  const listed = actions.filter((a) => numberLabel(a) !== undefined);
  const numbers = listed.map((a) => numberLabel(a)!);
  // Only a clean run of line numbers is kept as it is; anything else is numbered like the rest.
  const keepsNumbers = listed.length > 0 && new Set(numbers).size === numbers.length;
  const rest = keepsNumbers ? actions.filter((a) => numberLabel(a) === undefined) : actions;
  const choices: string[] = [];
  if (keepsNumbers) for (const a of listed) choices[numberLabel(a)! - 1] = a.payload;
  // A message with a list of its own keeps its numbers; any other may continue the chat's list.
  const offset = keepsNumbers ? Math.max(...numbers) : after;
  const picks = rest.filter((a) => a.kind !== "navigation");
  const moves = rest.filter((a) => a.kind === "navigation");
  const lines: string[] = [];
  for (const [i, a] of [...picks, ...moves].entries()) {
    if (i === picks.length && picks.length > 0) lines.push("");
    const n = offset + i + 1;
    // A label that already begins with its own number (a ranking's "1. Chi bộ …") is not numbered twice.
    lines.push(a.label.startsWith(`${n}. `) ? a.label : `${n}. ${a.label}`);
    choices[offset + i] = a.payload;
  }
  const filled = Array.from(choices, (c) => c ?? "");
  const continues = !keepsNumbers && after > 0 && filled.length > after;
  if (filled.length === 0) return { text: parts.join("\n\n"), choices: [], continues: false };
  if (keepsNumbers) parts.push(t("common:choices.listed", { first: Math.min(...numbers), last: offset }));
  if (lines.length) parts.push(lines.join("\n"));
  const first = keepsNumbers ? Math.min(...numbers) : offset + 1;
  parts.push(first === filled.length ? t("common:choices.typeOne", { n: first }) : t("common:choices.typeNumber", { first, last: filled.length }));
  return { text: parts.join("\n\n"), choices: filled, continues };
}
