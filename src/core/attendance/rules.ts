import { foldText } from "../text.ts";

export type Answer = "yes" | "no" | "maybe";
export const MAX_REASON = 500;

const YES = new Set(["1", "co", "co mat", "co a", "du", "tham du", "se du", "toi du", "yes", "y", "ok"]);
const MAYBE = new Set(["3", "chua chac", "chua biet", "co the", "maybe", "not sure"]);
const NO = /^(2|vang|khong|khong du|xin vang|bao vang|no|absent)(?:\s*(?:vi|do|:|-|,|because|since)\s*(.*))?$/;

/**
 * A typed answer to a meeting notice, as members write it on Zalo or without diacritics:
 * "có", "có mặt", "1" — "vắng", "vắng vì ốm", "2" — "chưa chắc", "3". The reason keeps the
 * member's own words (with their diacritics), cut after the first words that say "absent".
 */
export function parseTypedReply(input: string): { answer: Answer; reason?: string } | undefined {
  const folded = foldText(input);
  if (YES.has(folded)) return { answer: "yes" };
  if (MAYBE.has(folded)) return { answer: "maybe" };
  const no = NO.exec(folded);
  if (!no) return undefined;
  if (!no[2]) return { answer: "no" };
  // The same position in the original text: folding keeps one character per character.
  const original = input.normalize("NFC").replace(/\s+/g, " ").trim().replace(/[.!?,;:…]+$/u, "").trim();
  const reason = original.slice(original.length - no[2].length).trim();
  return { answer: "no", reason };
}

/** A reason kept within bounds; `truncated` tells the member we cut it. */
export function boundReason(reason: string): { reason: string; truncated: boolean } {
  const clean = reason.replace(/\s+/g, " ").trim();
  return clean.length > MAX_REASON ? { reason: `${clean.slice(0, MAX_REASON - 1)}…`, truncated: true } : { reason: clean, truncated: false };
}
