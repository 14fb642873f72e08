import type { ReminderStep } from "../branch-defaults.ts";
import { foldText } from "../text.ts";
import { isValidTimeZone } from "../time.ts";
import { HOLIDAY_POLICIES, type HolidayPolicy } from "./types.ts";

/** A parsed field, or the reason it was refused (an i18n key suffix under branch:invalid). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (reason: string): Parsed<never> => ({ ok: false, reason });

export const MAX_BRANCH_NAME = 120;
export const MAX_PLACE = 200;
export const MAX_LOCALITY = 60;

export function parseBranchName(input: string): Parsed<string> {
  const name = input.replace(/\s+/g, " ").trim();
  if (name.length < 3) return bad("nameTooShort");
  if (name.length > MAX_BRANCH_NAME) return bad("nameTooLong");
  return ok(name);
}

/** "3", "ngày 3", "cuối tháng", "last" → 3 / -1. Days after the 28th exist in some months only. */
export function parseMeetingDay(input: string): Parsed<number> {
  const folded = foldText(input).replace(/^ngay\s+/, "");
  if (["cuoi thang", "cuoi", "last", "last day", "-1"].includes(folded)) return ok(-1);
  if (!/^\d{1,2}$/.test(folded)) return bad("day");
  const day = Number(folded);
  if (day >= 29 && day <= 31) return bad("dayAfter28");
  if (day < 1 || day > 31) return bad("day");
  return ok(day);
}

/** "19:30", "19h30", "19h", "7:30" → "HH:mm". */
export function parseTime(input: string): Parsed<string> {
  const match = /^(\d{1,2})\s*(?:[:h.g]\s*(\d{2})?)?$/.exec(foldText(input).replace(/\s*(gio|h)\s*$/, "h"));
  if (!match) return bad("time");
  const hours = Number(match[1]);
  const minutes = Number(match[2] ?? 0);
  if (hours > 23 || minutes > 59) return bad("time");
  return ok(`${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`);
}

export function parseTimeZone(input: string): Parsed<string> {
  const zone = input.trim();
  return zone && isValidTimeZone(zone) ? ok(zone) : bad("timezone");
}

// What people type instead of pressing a button (Zalo has none).
const HOLIDAY_WORDS: Record<string, HolidayPolicy> = {
  giu: "keep",
  "giu nguyen": "keep",
  "van hop": "keep",
  "van hop dung ngay": "keep",
  keep: "keep",
  "ke tiep": "next_working_day",
  sau: "next_working_day",
  "doi sau": "next_working_day",
  "ngay lam viec ke tiep": "next_working_day",
  next: "next_working_day",
  truoc: "previous_working_day",
  "lien truoc": "previous_working_day",
  "hop som": "previous_working_day",
  "ngay lam viec lien truoc": "previous_working_day",
  previous: "previous_working_day",
};

export function parseHolidayPolicy(input: string): Parsed<HolidayPolicy> {
  if ((HOLIDAY_POLICIES as readonly string[]).includes(input)) return ok(input as HolidayPolicy);
  const word = HOLIDAY_WORDS[foldText(input)];
  return word ? ok(word) : bad("holidayPolicy");
}

export function parseThreshold(input: string): Parsed<number> {
  const folded = foldText(input).replace(/%$/, "").trim();
  if (!/^\d{1,3}$/.test(folded) || Number(folded) > 100) return bad("threshold");
  return ok(Number(folded));
}

export function parseCommitteeDays(input: string): Parsed<number> {
  const folded = foldText(input)
    .replace(/\s*ngay$/, "")
    .trim();
  if (!/^\d{1,2}$/.test(folded) || Number(folded) > 27) return bad("committeeDays");
  return ok(Number(folded));
}

// "-" is how a person says "none" when a form asks for text; some write the words.
const isNone = (text: string) => text === "" || text === "-" || ["bo qua", "bo trong", "khong", "skip", "none"].includes(foldText(text));

export function parsePlace(input: string): Parsed<string | null> {
  const place = input.replace(/\s+/g, " ").trim();
  if (isNone(place)) return ok(null);
  if (place.length > MAX_PLACE) return bad("placeTooLong");
  return ok(place);
}

/**
 * The place name of the documents' date line: a commune, ward or village ("Ngọc Trạo",
 * "Phường 12"), not an address, so it is short and has no house number or comma.
 */
export function parseLocality(input: string): Parsed<string | null> {
  const locality = input.normalize("NFC").replace(/\s+/g, " ").trim();
  if (isNone(locality)) return ok(null);
  if ([...locality].length < 2) return bad("localityTooShort");
  if ([...locality].length > MAX_LOCALITY) return bad("localityTooLong");
  if (/[,;\n]|\bsố\s*\d/iu.test(locality)) return bad("localityAddress");
  return ok(locality);
}

const UNIT_MINUTES: Record<string, number> = {
  ngay: 1440,
  d: 1440,
  day: 1440,
  days: 1440,
  gio: 60,
  h: 60,
  hour: 60,
  hours: 60,
  phut: 1,
  m: 1,
  min: 1,
  minutes: 1,
};

/**
 * "3 ngày, 1 ngày, 2 giờ" / "3d 1d 2h" → a plan. The earliest step is the notice (to
 * everyone); the last step, if it is within 6 hours of the meeting, goes to everyone too;
 * the steps between go only to those who have not answered or said "maybe" — the spec's
 * default plan is exactly this shape.
 */
export function parseReminderPlan(input: string): Parsed<ReminderStep[]> {
  const parts = [...foldText(input).matchAll(/(\d+)\s*([a-z]+)/g)];
  const rest = foldText(input)
    .replace(/(\d+)\s*([a-z]+)/g, "")
    .replace(/[\s,;va+]+/g, "");
  if (parts.length === 0 || rest !== "") return bad("plan");
  const minutes: number[] = [];
  for (const [, amount, unit] of parts) {
    const factor = UNIT_MINUTES[unit!];
    if (!factor) return bad("plan");
    minutes.push(Number(amount) * factor);
  }
  const sorted = [...new Set(minutes)].sort((a, b) => b - a);
  if (sorted.length > 5) return bad("planTooMany");
  if (sorted.some((m) => m < 15 || m > 14 * 1440)) return bad("planRange");
  return ok(
    sorted.map((minutesBefore, index): ReminderStep => {
      if (index === 0) return { kind: "notice", minutesBefore, audience: "all" };
      const last = index === sorted.length - 1 && minutesBefore <= 6 * 60;
      return { kind: "reminder", minutesBefore, audience: last ? "all" : "unanswered" };
    }),
  );
}
