/**
 * Folds typed words so "Giúp", "giup" and "GIÚP!" compare equal: elderly members type
 * without diacritics or with autocorrect, and Zalo has no command menu.
 */
export function foldWords(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/[.!?,;:…]+$/u, "")
    .replace(/\s+/g, " ")
    .trim();
}
