import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import i18next, { type i18n, type TFunction } from "i18next";
import { LOCALES, toLocale, type Locale } from "./core/locale.ts";
import { formatQuarter } from "./core/time.ts";

export type Translate = TFunction;

export const localesDir = fileURLToPath(new URL("../locales", import.meta.url));

/** Reads locales/<lang>/<namespace>.json for every supported language. */
export function loadCatalogue(dir = localesDir): Record<Locale, Record<string, Record<string, unknown>>> {
  const catalogue = {} as Record<Locale, Record<string, Record<string, unknown>>>;
  for (const locale of LOCALES) {
    const namespaces: Record<string, Record<string, unknown>> = {};
    for (const file of readdirSync(join(dir, locale)).filter((f) => f.endsWith(".json"))) {
      namespaces[file.slice(0, -".json".length)] = JSON.parse(readFileSync(join(dir, locale, file), "utf8"));
    }
    catalogue[locale] = namespaces;
  }
  return catalogue;
}

export interface I18n {
  /** A translator fixed to one recipient's language; the global language is never switched. */
  t(locale: Locale): Translate;
  namespaces: string[];
}

export async function createI18n(dir = localesDir): Promise<I18n> {
  const catalogue = loadCatalogue(dir);
  const namespaces = Object.keys(catalogue.vi);
  const instance: i18n = i18next.createInstance();
  await instance.init({
    resources: catalogue,
    lng: "vi",
    fallbackLng: "vi",
    supportedLngs: [...LOCALES],
    ns: namespaces,
    defaultNS: "common",
    nsSeparator: ":",
    keySeparator: ".",
    // Renderers escape for their own markup; escaping here would double-escape.
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  } as Parameters<i18n["init"]>[0]);
  // "{{quarter, quarter}}" in a catalogue: a quarter key ("2026-Q4") named the reader's way.
  instance.services.formatter?.add("quarter", (value: unknown, lng: string | undefined) => formatQuarter(String(value), toLocale(lng)));
  const fixed = new Map(LOCALES.map((locale) => [locale, instance.getFixedT(locale)]));
  return { t: (locale) => fixed.get(locale)!, namespaces };
}
