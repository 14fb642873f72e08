/**
 * The one place that turns instants into local calendar values and text. Storage is UTC;
 * every conversion names its IANA timezone, so the process timezone never matters.
 */
import type { Locale } from "./locale.ts";

const INTL_LOCALE: Record<Locale, string> = { vi: "vi-VN", en: "en-GB" };

// Building a formatter is far costlier than using one, and a fan-out formats thousands of
// times with the same few zones and languages: keep them.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) formatters.set(key, (found = new Intl.DateTimeFormat(locale, options)));
  return found;
}

function parts(instant: Date, timeZone: string): Record<string, string> {
  const parts = formatter("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return Object.fromEntries(parts.formatToParts(instant).map((p) => [p.type, p.value]));
}

/** The calendar day (YYYY-MM-DD) of an instant in a timezone. */
export function localDay(instant: Date, timeZone: string): string {
  const p = parts(instant, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The instant at which the wall clock in `timeZone` shows the given local date and time. */
export function zonedInstant(day: string, time: string, timeZone: string): Date {
  const [y, mo, d] = day.split("-").map(Number) as [number, number, number];
  const [h, mi] = time.split(":").map(Number) as [number, number];
  const wanted = Date.UTC(y, mo - 1, d, h, mi);
  // Two passes settle the offset even across a DST change (Vietnam has none, but branches may set any zone).
  let guess = wanted;
  for (let i = 0; i < 2; i++) {
    const p = parts(new Date(guess), timeZone);
    const shown = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
    guess += wanted - shown;
  }
  return new Date(guess);
}

/** "19:30 thứ Năm, 03/12/2026" / "19:30 Thursday, 03/12/2026" — how a secretary writes a meeting time. */
export function formatDateTime(instant: Date, timeZone: string, locale: Locale): string {
  const time = formatter(INTL_LOCALE[locale], { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant);
  return `${time} ${formatDate(instant, timeZone, locale, { weekday: true })}`;
}

export function formatDate(instant: Date, timeZone: string, locale: Locale, options: { weekday?: boolean } = {}): string {
  const p = parts(instant, timeZone);
  const date = `${p.day}/${p.month}/${p.year}`;
  if (!options.weekday) return date;
  const weekday = formatter(INTL_LOCALE[locale], { timeZone, weekday: "long" }).format(instant);
  return `${weekday}, ${date}`;
}

/** A calendar day "YYYY-MM-DD" as "dd/mm/yyyy", the way Vietnamese documents write it. */
export function formatDay(day: string): string {
  const [year, month, date] = day.split("-");
  return `${date}/${month}/${year}`;
}

/** "12/2026": the month of an instant in a timezone, as summaries and reports name it. */
export function formatMonth(instant: Date, timeZone: string): string {
  const p = parts(instant, timeZone);
  return `${p.month}/${p.year}`;
}

const ROMAN_QUARTERS = ["I", "II", "III", "IV"];

/** "2026-Q4" → "IV/2026" in Vietnamese, "Q4 2026" in English: how people name a quarter. */
export function formatQuarter(quarter: string, locale: Locale): string {
  const match = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!match) return quarter;
  const [, year, number] = match;
  return locale === "vi" ? `${ROMAN_QUARTERS[Number(number) - 1]}/${year}` : `Q${number} ${year}`;
}

/** Whole days from one calendar day (YYYY-MM-DD) to another; negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Calendar arithmetic on "YYYY-MM-DD", done in UTC so no local offset creeps in. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
