import { parseRosterDate } from "../roster/import-rules.ts";
import { foldText } from "../text.ts";
import type { Votes } from "./types.ts";

/** Long enough for any branch resolution; channels split it into several messages. */
export const MAX_RESOLUTION_TEXT = 12_000;
export const MAX_TASK_TEXT = 500;
export const MAX_TASKS = 30;
/** A deadline more than a year away is almost always a typo in the year. */
const MAX_DEADLINE_DAYS = 366;

/**
 * Votes as secretaries type them: three numbers for / against / abstain in that order, with
 * any separator ("9 0 0", "9/0/0", "tán thành 9, không tán thành 0, không biểu quyết 0").
 */
export function parseVotes(input: string): { ok: true; votes: Votes } | { ok: false; reason: "votes_format" } {
  const numbers = input.match(/\d+/g);
  // "9-0-0" separates with dashes; a dash before a number that follows no number is a minus sign.
  if (!numbers || numbers.length !== 3 || /(^|[^\d\s])\s*-\s*\d/.test(input)) return { ok: false, reason: "votes_format" };
  const [a, b, c] = numbers.map(Number) as [number, number, number];
  return { ok: true, votes: { for: a, against: b, abstain: c } };
}

/**
 * The resolution's number as Party documents write it: its number of the year, two digits
 * at least, then the document kind (NQ, nghị quyết) and the issuing body (CB, chi bộ).
 */
export const resolutionCode = (number: number) => `${String(number).padStart(2, "0")}-NQ/CB`;

/**
 * An example of the vote to type, that the meeting's counts allow: everyone present who may
 * vote in favour (an example that the checks then refuse would only confuse).
 */
export const voteExample = (votersPresent: number) => `${Math.max(0, votersPresent)} 0 0`;

/** Votes in favour a resolution needs: more than half of the voting base (SPEC §5). */
export const votesNeeded = (votingBase: number) => Math.floor(votingBase / 2) + 1;

export type TaskProblem = "task_empty" | "task_too_long" | "deadline_past" | "deadline_far";

export function checkTaskText(description: string): { ok: true; description: string } | { ok: false; reason: TaskProblem } {
  const clean = description.replace(/\s+/g, " ").trim();
  if (!clean) return { ok: false, reason: "task_empty" };
  if (clean.length > MAX_TASK_TEXT) return { ok: false, reason: "task_too_long" };
  return { ok: true, description: clean };
}

/** A deadline must lie after today (in the branch calendar) and within a year. */
export function checkDeadline(dueOn: string, today: string): { ok: true } | { ok: false; reason: TaskProblem } {
  if (dueOn <= today) return { ok: false, reason: "deadline_past" };
  const days = (Date.parse(`${dueOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  if (days > MAX_DEADLINE_DAYS) return { ok: false, reason: "deadline_far" };
  return { ok: true };
}

/**
 * The roster member a typed owner name means: an exact match ignoring case and diacritics,
 * else the one whose name contains the words typed (e.g. "Lan" for "Nguyễn Thị Lan").
 */
export function matchOwner<T extends { name: string }>(
  typed: string,
  roster: T[],
): { ok: true; owner: T } | { ok: false; reason: "owner_unknown" | "owner_ambiguous"; candidates: T[] } {
  const folded = foldText(typed).replace(/^(d\/c|dc|dong chi)\s+/, "");
  if (!folded) return { ok: false, reason: "owner_unknown", candidates: [] };
  const exact = roster.filter((r) => foldText(r.name) === folded);
  if (exact.length === 1) return { ok: true, owner: exact[0]! };
  const words = folded.split(" ");
  const partial = exact.length > 1 ? exact : roster.filter((r) => words.every((w) => foldText(r.name).split(" ").includes(w)));
  if (partial.length === 1) return { ok: true, owner: partial[0]! };
  return { ok: false, reason: partial.length ? "owner_ambiguous" : "owner_unknown", candidates: partial };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The last day of a month; `month` may run past 12 into the next year. */
function endOfMonth(year: number, month: number): string {
  const last = new Date(Date.UTC(year, month, 0));
  return `${last.getUTCFullYear()}-${pad(last.getUTCMonth() + 1)}-${pad(last.getUTCDate())}`;
}

/**
 * A task's deadline as a secretary types it, with or without diacritics: "15/12/2026";
 * "15/12" (the next 15 December to come); "cuối tháng" (the last day of this month), "cuối
 * tháng sau", "cuối tháng 3", "cuối năm". Undefined when it is none of these or no such day.
 * Whether the day is acceptable (after today, within a year) is checkDeadline's to say.
 */
export function parseDeadline(input: string, today: string): string | undefined {
  const [year, month] = today.split("-").map(Number) as [number, number];
  const folded = foldText(input).replace(/^(ngay|han|truoc ngay|truoc|by|before)\s+/, "");
  if (/^(cuoi thang|cuoi thang nay|end of (the |this )?month)$/.test(folded)) return endOfMonth(year, month);
  if (/^(cuoi thang sau|cuoi thang toi|end of next month)$/.test(folded)) return endOfMonth(year, month + 1);
  if (/^(cuoi nam|cuoi nam nay|end of (the |this )?year)$/.test(folded)) return `${year}-12-31`;
  const namedMonth = /^(?:cuoi thang|end of month) (\d{1,2})$/.exec(folded);
  if (namedMonth) {
    const wanted = Number(namedMonth[1]);
    if (wanted < 1 || wanted > 12) return undefined;
    const thisYear = endOfMonth(year, wanted);
    return thisYear > today ? thisYear : endOfMonth(year + 1, wanted);
  }
  const dayMonth = /^(\d{1,2})[/.-](\d{1,2})$/.exec(folded);
  if (dayMonth) {
    const day = `${pad(Number(dayMonth[1]))}/${pad(Number(dayMonth[2]))}`;
    const thisYear = parseRosterDate(`${day}/${year}`);
    // A day already past this year means next year's; today stays today, for checkDeadline to
    // refuse plainly rather than a deadline a year away nobody meant.
    if (thisYear && thisYear >= today) return thisYear;
    return parseRosterDate(`${day}/${year + 1}`) ?? undefined;
  }
  return parseRosterDate(folded.replace(/[.-]/g, "/")) ?? undefined;
}
