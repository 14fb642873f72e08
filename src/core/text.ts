/**
 * Folds typed text so "Giúp", "giup" and "GIÚP!" compare equal: elderly members type
 * without diacritics or with autocorrect, and spreadsheets mix "Họ và tên", "HO VA TEN"
 * and "Ho va ten". Decomposes (NFD), drops every combining mark, maps đ/Đ to d, lowercases,
 * collapses whitespace, trims and drops trailing sentence punctuation ("giúp !" → "giup"):
 * what the handlers' foldWords did, except that punctuation after a space goes too.
 */
export function foldText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.!?,;:…]+$/u, "")
    .trimEnd();
}

/**
 * A name as it may be shown to others: control characters become spaces, and format
 * characters — bidirectional overrides (a “‮” would reverse the rest of the secretary's
 * line), zero-width spaces and joiners, soft hyphens, byte-order marks — are dropped.
 * Whitespace is collapsed and the ends trimmed.
 */
export function cleanNameText(name: string): string {
  return name
    .normalize("NFC")
    .replace(/\p{Cc}/gu, " ")
    .replace(/\p{Cf}/gu, "")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * What people are called on a button where the full name does not fit: the given name, the
 * last word of a Vietnamese name ("Nguyễn Văn Hùng" → "Hùng"); where two of `names` share
 * it, the last two words ("Thị Hoa", "Văn Hoa"), and the full name where even those do.
 */
export function shortNames(names: string[]): string[] {
  const tail = (name: string, words: number) => name.trim().split(/\s+/).slice(-words).join(" ");
  const unique = (words: number) => {
    const seen = new Map<string, number>();
    for (const name of names) seen.set(tail(name, words), (seen.get(tail(name, words)) ?? 0) + 1);
    return (name: string) => seen.get(tail(name, words)) === 1;
  };
  const one = unique(1);
  const two = unique(2);
  return names.map((name) => (one(name) ? tail(name, 1) : two(name) ? tail(name, 2) : name.trim()));
}
