export const LOCALES = ["vi", "en"] as const;
export type Locale = (typeof LOCALES)[number];
/** Vietnamese first: the product's language unless a person chooses otherwise. */
export const DEFAULT_LOCALE: Locale = "vi";

export const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value);
export const toLocale = (value: string | undefined): Locale => (value && isLocale(value) ? value : DEFAULT_LOCALE);
