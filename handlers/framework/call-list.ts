import type { Translate } from "../../src/i18n.ts";

/** "0912345678" as people read a mobile number aloud: "0912 345 678". */
export const formatPhone = (phone: string) => (/^0\d{9}$/.test(phone) ? `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}` : phone);

/**
 * The people Chibo cannot reach, as lines to phone down (already in roster order): the number
 * from the roster beside each name, or a word that there is none.
 */
export function callList(t: Translate, people: Array<{ name: string; phone: string | null }>): string[] {
  return people.map(({ name, phone }) => (phone ? t("common:call.line", { name, phone: formatPhone(phone) }) : t("common:call.noPhone", { name })));
}
