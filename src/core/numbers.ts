/**
 * How a share is written for people: one rounding everywhere (the roll call, its closing
 * summary, the resolution and the minutes), so a rate never reads 55 % on the phone and
 * 54,5 % on paper. One decimal, as minutes are written: "72,7%" in Vietnamese, "72.7%" in English.
 */
import type { Locale } from "./locale.ts";

const INTL_LOCALE: Record<Locale, string> = { vi: "vi-VN", en: "en-GB" };
const percentFormats = new Map<Locale, Intl.NumberFormat>();

/** A fraction (0–1) as a percentage; "–" when there is none (nobody was expected). */
export function formatPercent(fraction: number | null, locale: Locale): string {
  if (fraction === null || !Number.isFinite(fraction)) return "–";
  let format = percentFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(INTL_LOCALE[locale], { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
    percentFormats.set(locale, format);
  }
  return format.format(fraction);
}
