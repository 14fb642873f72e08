import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createI18n, loadCatalogue, localesDir } from "../src/i18n.ts";

type Tree = Record<string, unknown>;
function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === "object") for (const [k, v] of leaves(value as Tree, path)) out.set(k, v);
    else out.set(path, String(value));
  }
  return out;
}

const catalogue = loadCatalogue();
const flat = (locale: "vi" | "en") => {
  const all = new Map<string, string>();
  for (const [ns, tree] of Object.entries(catalogue[locale])) for (const [k, v] of leaves(tree)) all.set(`${ns}:${k}`, v);
  return all;
};
const vi = flat("vi");
const en = flat("en");
const variables = (s: string) => [...s.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();

describe("locales", () => {
  it("have the same namespaces in vi and en", () => {
    expect(readdirSync(join(localesDir, "en")).sort()).toEqual(readdirSync(join(localesDir, "vi")).sort());
  });

  it("have every key in both languages", () => {
    expect([...vi.keys()].filter((k) => !en.has(k))).toEqual([]);
    expect([...en.keys()].filter((k) => !vi.has(k))).toEqual([]);
  });

  it("have no empty text and the same placeholders in both languages", () => {
    for (const [key, text] of vi) {
      expect(text.trim(), key).not.toBe("");
      expect(en.get(key)!.trim(), key).not.toBe("");
      expect(variables(en.get(key)!), key).toEqual(variables(text));
    }
  });

  it("write Vietnamese with its diacritics", () => {
    // A catalogue typed without diacritics would read as careless to every member.
    const withDiacritics = [...vi.values()].filter((s) => /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i.test(s));
    expect(withDiacritics.length / vi.size).toBeGreaterThan(0.9);
  });

  it("are valid JSON files with camelCase keys", () => {
    for (const locale of ["vi", "en"]) {
      for (const file of readdirSync(join(localesDir, locale))) {
        const tree = JSON.parse(readFileSync(join(localesDir, locale, file), "utf8")) as Tree;
        // Status and type keys mirror stored values (snake_case by the schema's convention);
        // i18next plural forms end in _one / _other.
        for (const key of leaves(tree).keys()) {
          for (const part of key.split("."))
            expect(part, `${locale}/${file}: ${key}`).toMatch(/^[a-z][A-Za-z0-9]*(_(zero|one|two|few|many|other))?$|^[a-z]+(_[a-z]+)+$/);
        }
      }
    }
  });

  it("give each recipient a translator fixed to their language", async () => {
    const i18n = await createI18n();
    const viT = i18n.t("vi");
    const enT = i18n.t("en");
    expect(enT("common:buttons.help")).toBe("❓ Help");
    expect(viT("common:buttons.help")).toBe("❓ Trợ giúp");
    // Using one does not switch the other.
    expect(enT("common:buttons.help")).toBe("❓ Help");
  });
});
