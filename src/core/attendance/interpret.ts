import { foldText } from "../text.ts";
import type { Answer } from "./rules.ts";

/**
 * What a member meant by a message typed while a meeting awaits their answer, as members of
 * a residential branch write on Zalo or Telegram: with or without diacritics, with polite
 * particles ("dạ", "ạ", "em", "bác"), short forms ("ko", "k", "dc"), and a reason in the
 * same sentence ("không đi được vì con ốm").
 *
 * - `answer`: present, absent (the reason kept in the member's own words) or unsure.
 * - `ambiguous`: the words fit more than one answer once diacritics are missing ("vang" is
 *   "vâng", yes, or "vắng", absent): the member is asked, never guessed for, because a
 *   wrong recording is worse than a question.
 * - `question`: when or where the meeting is.
 * - `unknown`: none of the above.
 */
export type Interpretation =
  | { kind: "answer"; answer: Answer; reason?: string }
  | { kind: "ambiguous"; answers: Answer[] }
  | { kind: "question"; about: "when" | "where" }
  | { kind: "unknown" };

/**
 * How a phrase takes the rest of the sentence:
 * - `alone`: the phrase must be the whole answer ("có", "vâng ạ"): "có việc bận" is not "có".
 * - `reasonAfter`: an absence whose reason follows ("vắng vì ốm", "không đi được, con ốm").
 * - `isReason`: the phrase is itself the reason and starts it ("bận việc nhà", "ốm").
 * - `rest`: anything may follow and is not kept ("chưa chắc, để em xem").
 */
type Mode = "alone" | "reasonAfter" | "isReason" | "rest";
interface Phrase {
  words: string[];
  answer: Answer;
  mode: Mode;
  /** A reason must be joined to it by a word or a sign: "vắng vì ốm", "vắng: ốm", not "vắng người quá". */
  linked?: boolean;
}

const phrases = (answer: Answer, mode: Mode, list: string[]): Phrase[] => list.map((p) => ({ words: p.split(" "), answer, mode }));

/** Written with their diacritics: a typed word that carries diacritics must match them exactly. */
const PHRASES: Phrase[] = [
  ...phrases("yes", "alone", [
    "1",
    "có",
    "có mặt",
    "sẽ có mặt",
    "có đi",
    "vâng",
    "dạ",
    "dạ có",
    "ừ",
    "được",
    "đi",
    "đi được",
    "sẽ đi",
    "đến",
    "sẽ đến",
    "đến được",
    "dự",
    "sẽ dự",
    "dự được",
    "tham dự",
    "sẽ tham dự",
    "tham gia",
    "sẽ tham gia",
    "đồng ý",
    "nhất trí",
    "chắc chắn",
    "có mặt đúng giờ",
    "sẽ có mặt đúng giờ",
    "không vắng",
    "ok",
    "oke",
    "okê",
    "okay",
    "yes",
    "y",
    "👍",
    "👌",
    "✅",
    "🙋",
  ]),
  // "không" alone is an absence, but "không biết", "không sao" are not: it takes a reason
  // only through a connector ("không, vì ốm" reads "không vì ốm").
  ...phrases("no", "alone", ["không", "nghỉ", "no", "👎", "❌"]),
  ...phrases("no", "reasonAfter", ["vắng", "vắng mặt"]).map((p) => ({ ...p, linked: true })),
  ...phrases("no", "reasonAfter", [
    "2",
    "xin vắng",
    "xin vắng mặt",
    "xin phép vắng",
    "xin phép vắng mặt",
    "báo vắng",
    "phải vắng",
    "không vì",
    "không do",
    "không tại",
    "không được",
    "không đi",
    "không đi được",
    "không đến",
    "không đến được",
    "không dự",
    "không dự được",
    "không tham dự",
    "không tham dự được",
    "không tham gia được",
    "không có mặt",
    "không có mặt được",
    "không thể đi",
    "không thể đến",
    "không thể dự",
    "không thể tham dự",
    "không thể có mặt",
    "chưa đi được",
    "xin nghỉ",
    "xin phép nghỉ",
    "absent",
  ]),
  ...phrases("no", "isReason", [
    "bận",
    "đang bận",
    "ốm",
    "bị ốm",
    "đang ốm",
    "bị đau",
    "đau ốm",
    "mệt",
    "bị mệt",
    "có việc",
    "có việc bận",
    "nhà có việc",
    "gia đình có việc",
    "đi công tác",
    "đang công tác",
    "công tác",
    "đi viện",
    "nằm viện",
    "đang nằm viện",
    "đi khám bệnh",
    "về quê",
    "đi xa",
    "đang ở xa",
    "đi làm",
    "trực",
    "đang trực",
    "con ốm",
    "vợ ốm",
    "chồng ốm",
    "cháu ốm",
    "có khách",
  ]),
  ...phrases("maybe", "rest", [
    "3",
    "chưa chắc",
    "chưa biết",
    "chưa rõ",
    "không biết",
    "không chắc",
    "có thể",
    "có lẽ",
    "để xem",
    "để em xem",
    "sẽ cố gắng",
    "cố gắng",
    "maybe",
    "not sure",
    "🤔",
  ]),
];

/** Short forms members type, read as the word they stand for. */
const SHORT_FORMS: Record<string, string> = {
  ko: "không",
  k: "không",
  kg: "không",
  khg: "không",
  hok: "không",
  hông: "không",
  hong: "không",
  dc: "được",
  đc: "được",
  dk: "được",
  đk: "được",
  đươc: "được",
  e: "em",
  a: "ạ",
  vs: "với",
  j: "gì",
  oki: "ok",
  okie: "ok",
  uh: "ừ",
  uk: "ừ",
  ừm: "ừ",
  um: "ừ",
};

/** Words said before the answer out of courtesy: "dạ em", "thưa bí thư", "báo cáo chi bộ". */
const LEADING = new Set(
  [
    "dạ",
    "thưa",
    "báo cáo",
    "xin báo",
    "xin lỗi",
    "em",
    "bác",
    "anh",
    "chị",
    "cháu",
    "tôi",
    "con",
    "chú",
    "cô",
    "ông",
    "bà",
    "mình",
    "tớ",
    "đồng chí",
    "bí thư",
    "chi bộ",
    "ơi",
    "hôm đó",
    "hôm ấy",
    "lần này",
    "kỳ này",
    "buổi họp",
    "số",
    "thì",
    "là",
  ].map((w) => w.split(" ")),
);
/** Words said after it: "có ạ", "vắng nhé". */
const TRAILING_WORDS = ["ạ", "à", "nhé", "nha", "nhe", "nhá", "ha", "ơi", "luôn", "đó", "đấy", "đâu", "rồi", "với", "chi bộ", "bí thư"].map((w) =>
  w.split(" "),
);
/** What joins an absence to its reason: "vắng vì ốm", "vắng: ốm", "vắng, lý do là ốm". */
const CONNECTORS = ["vì", "do", "tại", "tại vì", "bởi", "bởi vì", "là", "lý do", "lý do là", "because", "since", "ạ", "nhé", "vì lý do"].map((w) =>
  w.split(" "),
);

const WHEN = ["khi nao", "may gio", "luc nao", "bao gio", "ngay nao", "hom nao", "may h", "thoi gian", "when"];
const WHERE = ["o dau", "cho nao", "dia diem", "tai dau", "noi nao", "where"];

interface Token {
  /** As typed, for the reason. */
  original: string;
  /** Lower case, punctuation around it removed, short forms expanded. */
  exact: string;
  folded: string;
  /** True when the member typed no diacritics in this word: it may match by its letters alone. */
  bare: boolean;
}

const PUNCTUATION = /^[\s.,!?;:…"'“”‘’()\-–—*~]+|[\s.,!?;:…"'“”‘’()\-–—*~]+$/gu;
/** Skin tones and variation selectors: "👍🏻" is "👍". */
const EMOJI_MODIFIERS = /[\u{1F3FB}-\u{1F3FF}]|\uFE0E|\uFE0F/gu;

function tokenize(input: string): Token[] {
  const spaced = input
    .normalize("NFC")
    .replace(EMOJI_MODIFIERS, "")
    // "vắng:ốm", "có,em đi" and emoji run together are separate words.
    .replace(/([,;:!?…])(?=\S)/gu, "$1 ")
    .replace(/(\p{Extended_Pictographic})/gu, " $1 ");
  const tokens: Token[] = [];
  for (const original of spaced.split(/\s+/u)) {
    const stripped = original.toLowerCase().replace(PUNCTUATION, "");
    if (!stripped) continue;
    const exact = SHORT_FORMS[stripped] ?? stripped;
    const folded = foldText(exact);
    tokens.push({ original, exact, folded, bare: SHORT_FORMS[stripped] !== undefined || foldText(stripped) === stripped });
  }
  return tokens;
}

const wordMatches = (token: Token, word: string) => token.exact === word || (token.bare && token.folded === foldText(word));

function startsWith(tokens: Token[], from: number, words: string[]): boolean {
  if (from + words.length > tokens.length) return false;
  return words.every((word, i) => wordMatches(tokens[from + i]!, word));
}

/** The longest of `lists` that `tokens` start with at `from`, as its length (0: none). */
function longestAt(tokens: Token[], from: number, lists: Iterable<string[]>): number {
  let best = 0;
  for (const words of lists) if (words.length > best && startsWith(tokens, from, words)) best = words.length;
  return best;
}

/** Whether an answer phrase starts at `from` (an `alone` one only if it runs to `end`). */
const phraseAt = (tokens: Token[], from: number, end: number) =>
  PHRASES.some((p) => startsWith(tokens, from, p.words) && (p.mode !== "alone" || from + p.words.length === end));

/**
 * The tokens without courtesy words before and after the answer. A leading word is kept
 * when an answer starts with it: "co" may be "cô" (a courtesy word) or "có" (yes), "con ốm"
 * is a reason, not "con" + "ốm".
 */
function core(tokens: Token[]): Token[] {
  let start = 0;
  let end = tokens.length;
  for (let changed = true; changed && end > 1;) {
    changed = false;
    for (const words of TRAILING_WORDS) {
      if (end - words.length > 0 && startsWith(tokens, end - words.length, words)) {
        end -= words.length;
        changed = true;
        break;
      }
    }
  }
  while (start < end && !phraseAt(tokens, start, end)) {
    const n = longestAt(tokens, start, LEADING);
    if (n === 0 || start + n >= end) break;
    start += n;
  }
  return tokens.slice(start, end);
}

function reasonFrom(tokens: Token[], from: number): string | undefined {
  let start = from;
  for (let n = longestAt(tokens, start, CONNECTORS); n > 0; n = longestAt(tokens, start, CONNECTORS)) start += n;
  const text = tokens
    .slice(start)
    .map((t) => t.original)
    .join(" ")
    .replace(PUNCTUATION, "")
    .trim();
  return text || undefined;
}

export function interpretReply(input: string): Interpretation {
  const all = tokenize(input);
  const tokens = core(all);
  if (tokens.length === 0) return { kind: "unknown" };
  const offset = all.indexOf(tokens[0]!);

  // Of the phrases the message starts with, the longest decides ("có việc" over "có");
  // phrases of the same length that disagree leave the meaning to the member.
  let length = 0;
  let found: Phrase[] = [];
  for (const phrase of PHRASES) {
    if (!startsWith(tokens, 0, phrase.words)) continue;
    if (phrase.mode === "alone" && phrase.words.length !== tokens.length) continue;
    if (phrase.words.length > length) {
      length = phrase.words.length;
      found = [phrase];
    } else if (phrase.words.length === length) found.push(phrase);
  }
  // "vang vi om": a reason makes it an absence, since "vâng" (yes) takes none.
  if (found.length > 1 && tokens.length > length) found = found.filter((p) => p.mode !== "alone");
  const answers = [...new Set(found.map((p) => p.answer))];
  if (answers.length > 1) return { kind: "ambiguous", answers };
  const phrase = found[0];
  if (phrase) {
    if (phrase.answer !== "no") return { kind: "answer", answer: phrase.answer };
    if (phrase.linked && tokens.length > length && !/[,:;.\-–]$/u.test(tokens[length - 1]!.original) && !longestAt(tokens, length, CONNECTORS)) {
      return { kind: "unknown" };
    }
    // The reason runs to the end of the answer, without the courtesy words after it.
    const reason = reasonFrom(all.slice(0, offset + tokens.length), offset + (phrase.mode === "isReason" ? 0 : length));
    return reason ? { kind: "answer", answer: "no", reason } : { kind: "answer", answer: "no" };
  }

  const folded = ` ${foldText(input)
    .replace(/[?!.,]/g, " ")
    .replace(/\s+/g, " ")} `;
  if (WHERE.some((w) => folded.includes(` ${w} `))) return { kind: "question", about: "where" };
  if (WHEN.some((w) => folded.includes(` ${w} `))) return { kind: "question", about: "when" };
  return { kind: "unknown" };
}
