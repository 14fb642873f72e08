import type { CoreDeps } from "../deps.ts";
import { foldText } from "../text.ts";

/**
 * How long a numbered list stays good for: long enough to answer a notice days later, short
 * enough that a number typed weeks on is not taken for a choice nobody remembers.
 */
const CHOICES_LAST_MS = 14 * 24 * 3600_000;

/**
 * A message that is only a number, as one picks from a list: "2", "2.", "số 2", "2 ạ". Never 0:
 * on a channel without buttons "0" is the way back to the menu.
 */
export function typedNumber(text: string): number | undefined {
  const match = /^(?:so\s*)?([1-9]\d?)\s*[.)]?(?:\s+a)?$/.exec(foldText(text));
  return match ? Number(match[1]) : undefined;
}

/**
 * Several numbers typed at once, as one marks lines of a list: "1 3 5", "1,3,5", "số 1, 3 và 5",
 * "1 & 2", in the order typed. Undefined for anything else (a single number is one too).
 */
export function typedNumbers(text: string): number[] | undefined {
  const rest = foldText(text)
    .replace(/\s+a$/, "")
    .replace(/^so\s*/, "")
    .replace(/\b(?:va|and)\b/g, ",")
    .trim();
  return /^\d{1,3}(?:[\s,;&]+\d{1,3})*$/.test(rest) ? rest.split(/[\s,;&]+/).map(Number) : undefined;
}

/** Remembers what a chat without buttons was offered, numbered from 1, replacing the last list. */
export async function offer(deps: CoreDeps, address: string, payloads: string[]): Promise<void> {
  const now = deps.clock.now();
  await deps.store.choices.offer(address, payloads, now, new Date(now.getTime() + CHOICES_LAST_MS));
}

/**
 * The payloads a chat was last offered as numbered text and still good for, in their numbered
 * order ("" where no action has that number); empty when it was offered nothing. For a feature
 * that reads a typed message against the list the person is looking at ("1 3 5" on a roll call).
 */
export async function offered(deps: CoreDeps, address: string): Promise<string[]> {
  return (await deps.store.choices.offered(address, deps.clock.now())) ?? [];
}

/**
 * How long after a list was offered the person is taken to be still reading it: a message
 * arriving meanwhile (an alert right after the roll call closed) numbers its own choices
 * after that list instead of taking the numbers away from it.
 */
const STILL_READING_MS = 10 * 60_000;

/** The list a chat was offered in the last minutes, which a new proactive message continues; empty when none. */
export async function recent(deps: CoreDeps, address: string): Promise<string[]> {
  const now = deps.clock.now();
  return (await deps.store.choices.offeredSince(address, new Date(now.getTime() - STILL_READING_MS), now)) ?? [];
}

export type Picked = { kind: "choice"; payload: string } | { kind: "out_of_range"; count: number };

/**
 * What a number typed in a chat means there: the action offered under it, or — when the chat
 * has a list but not that number — the size of the list, so the person can be told. Undefined
 * when the text is not a number or the chat was offered nothing.
 */
export async function pick(deps: CoreDeps, address: string, text: string): Promise<Picked | undefined> {
  const n = typedNumber(text);
  if (n === undefined) return undefined;
  const payloads = await deps.store.choices.offered(address, deps.clock.now());
  if (!payloads) return undefined;
  const payload = payloads[n - 1];
  return payload ? { kind: "choice", payload } : { kind: "out_of_range", count: payloads.length };
}
