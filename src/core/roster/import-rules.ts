/**
 * Roster import rules: from a table read out of a secretary's spreadsheet to validated roster
 * rows plus a per-line error list, shown as a preview before anything is written (how the rows
 * meet the roster already there is import-plan.ts). Pure: no I/O, no clock. Headers and values
 * are compared folded (no diacritics, any case), since files come typed with and without
 * diacritics, in Vietnamese or English.
 *
 * Privacy: only the columns below are ever read. National ID (CCCD/CMND), Party card numbers
 * and every other column are ignored on purpose and never reach the result.
 */
import { type BranchRole, type MemberStatus, type MemberType } from "../roles.ts";
import { cleanNameText, foldText } from "../text.ts";

export interface RosterImportRow {
  /** The row number in the file, as the user sees it in Excel. */
  line: number;
  name: string;
  memberType: MemberType;
  role: BranchRole;
  status: MemberStatus;
  /** "YYYY-MM-DD"; always null for an active member. */
  statusFrom: string | null;
  statusUntil: string | null;
  /** "0xxxxxxxxx". */
  phone: string | null;
  /**
   * Which of type, role and status the file states: an empty cell reads as the default for a
   * new member (full, member, active) but changes nothing for someone already on the roster.
   */
  given: { memberType: boolean; role: boolean; status: boolean };
}

export type RowErrorReason =
  | "empty_name"
  | "name_too_long"
  | "unknown_type"
  | "unknown_role"
  | "unknown_status"
  | "bad_date"
  | "end_before_start"
  | "until_required"
  | "dates_disagree"
  | "duplicate_in_file"
  | "ambiguous_on_roster"
  | "last_officer"
  | "bad_phone";

/** `value` is the offending cell as written (for duplicate_in_file: the earlier line number). */
export interface RowError {
  line: number;
  reason: RowErrorReason;
  value?: string;
}

/** Keys of the columns the import understands; "surname" is "Họ" / "Họ và tên đệm" beside a "Tên" column. */
export type RosterColumn = "name" | "surname" | "type" | "role" | "status" | "from" | "until" | "phone";

export type ParseResult =
  | { ok: true; rows: RosterImportRow[]; errors: RowError[]; columns: RosterColumn[] /* recognised column keys in header order */ }
  | { ok: false; reason: "no_header" | "no_rows" | "too_many_rows" };

/** Member rows in one file; README and the refusal say the same number. */
export const MAX_IMPORT_ROWS = 500;
export const MAX_NAME_LENGTH = 120;
export const MIN_YEAR = 1930;
export const MAX_YEAR = 2100;

/** Statuses that are temporary by nature, so the file must say until when. */
const UNTIL_REQUIRED: readonly MemberStatus[] = ["temporarily_exempt", "transferred_out", "attached"];

// ---------------------------------------------------------------------------------------
// Headers

/** Header text → comparison key: folded, with every space and punctuation mark removed. */
function headerKey(text: string): string {
  return foldText(text).replace(/[^a-z0-9]/g, "");
}

/**
 * Synonyms per column, strongest first within a column: a strong name column ("Họ và tên")
 * beats "Tên", which beats "Đảng viên". English words are matched without folding where
 * folding would clash with a Vietnamese word ("to" vs "Tổ", a common team column).
 */
const HEADER_SYNONYMS: ReadonlyArray<{ column: RosterColumn; strength: number; words: string[]; exact?: boolean }> = [
  { column: "name", strength: 3, words: ["họ và tên", "họ tên", "name", "full name", "họ và tên đảng viên", "họ tên đảng viên"] },
  { column: "name", strength: 2, words: ["tên"] },
  { column: "name", strength: 1, words: ["đảng viên"] },
  { column: "surname", strength: 1, words: ["họ", "họ đệm", "họ và đệm", "họ và tên đệm", "họ và chữ đệm", "họ tên đệm"] },
  { column: "type", strength: 1, words: ["loại", "loại đảng viên", "chính thức/dự bị", "chính thức dự bị", "type", "member type"] },
  { column: "role", strength: 1, words: ["chức vụ", "vai trò", "role", "chức vụ đảng", "chức vụ trong chi bộ"] },
  { column: "status", strength: 1, words: ["tình trạng", "trạng thái", "status", "tình trạng sinh hoạt"] },
  { column: "from", strength: 1, words: ["từ ngày", "ngày bắt đầu", "from", "since"] },
  { column: "until", strength: 1, words: ["đến ngày", "ngày kết thúc", "until"] },
  { column: "until", strength: 1, words: ["to"], exact: true },
  { column: "phone", strength: 1, words: ["điện thoại", "số điện thoại", "sđt", "sdt", "phone", "mobile", "phone number", "di động"] },
];

/** Row-number columns: ignored, but they make a row look like a header. */
const ROW_NUMBER_HEADERS = new Set(["stt", "no", "tt", "so tt"].map(headerKey));

/** Identity documents and card numbers: never matched, whatever else the header says. */
const FORBIDDEN_HEADER_PARTS = ["cccd", "cmnd", "cancuoc", "chungminh", "dinhdanh", "thedang", "sothe", "hochieu", "passport", "nationalid"];

const SYNONYM_INDEX = new Map<string, { column: RosterColumn; strength: number }>();
const EXACT_SYNONYMS = new Map<string, { column: RosterColumn; strength: number }>();
for (const entry of HEADER_SYNONYMS) {
  for (const word of entry.words) {
    const target = entry.exact ? EXACT_SYNONYMS : SYNONYM_INDEX;
    target.set(entry.exact ? exactKey(word) : headerKey(word), { column: entry.column, strength: entry.strength });
  }
}

function exactKey(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\s.:*()[\]#'"_-]+/gu, "");
}

function recogniseHeader(cell: string): { column: RosterColumn; strength: number } | "row_number" | null {
  const key = headerKey(cell);
  if (key === "" || FORBIDDEN_HEADER_PARTS.some((part) => key.includes(part))) return null;
  if (ROW_NUMBER_HEADERS.has(key)) return "row_number";
  return EXACT_SYNONYMS.get(exactKey(cell)) ?? SYNONYM_INDEX.get(key) ?? null;
}

interface ColumnMap {
  /** Column key → cell index. */
  index: Partial<Record<RosterColumn, number>>;
  order: RosterColumn[];
}

/** The header this row would be, or null when it is not one. */
function headerOf(cells: string[]): ColumnMap | null {
  const best: Partial<Record<RosterColumn, { at: number; strength: number }>> = {};
  let recognised = 0;
  cells.forEach((cell, at) => {
    const match = recogniseHeader(cell);
    if (match === null) return;
    recognised++;
    if (match === "row_number") return;
    const current = best[match.column];
    if (current === undefined || match.strength > current.strength) best[match.column] = { at, strength: match.strength };
  });
  const name = best.name;
  if (name === undefined) return null;
  // "Đảng viên" alone could be a member's role in a data row: a header needs a second known column.
  if (name.strength === 1 && recognised < 2) return null;
  // "Họ" + "Tên" spell the full name together; beside a full-name column "Họ" means nothing more.
  if (best.surname !== undefined && name.strength !== 2) delete best.surname;

  const entries = (Object.entries(best) as Array<[RosterColumn, { at: number }]>).sort((a, b) => a[1].at - b[1].at);
  const index: Partial<Record<RosterColumn, number>> = {};
  for (const [column, { at }] of entries) index[column] = at;
  return { index, order: entries.map(([column]) => column) };
}

// ---------------------------------------------------------------------------------------
// Values

/** Value text → comparison key: folded, inner punctuation and spacing loosened. */
function valueKey(text: string): string {
  return foldText(text)
    .replace(/[.,;:!?()"'*]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

function lookup<T extends string>(pairs: Array<[T, string[]]>): Map<string, T> {
  const map = new Map<string, T>();
  for (const [value, words] of pairs) for (const word of words) map.set(valueKey(word), value);
  return map;
}

const TYPE_VALUES = lookup<MemberType>([
  ["full", ["", "chính thức", "ct", "full", "đảng viên chính thức", "đvct"]],
  ["probationary", ["dự bị", "db", "probationary", "đảng viên dự bị", "đvdb"]],
]);

const ROLE_VALUES = lookup<BranchRole>([
  ["member", ["", "đảng viên", "member", "đv"]],
  ["secretary", ["bí thư", "secretary", "bí thư chi bộ"]],
  ["deputy", ["phó bí thư", "deputy", "phó bí thư chi bộ", "deputy secretary"]],
  ["committee", ["chi ủy viên", "cấp ủy viên", "committee", "ủy viên", "chi ủy", "cấp ủy", "committee member"]],
]);

const STATUS_VALUES = lookup<MemberStatus>([
  ["active", ["", "đang sinh hoạt", "bình thường", "active", "sinh hoạt"]],
  ["exempt", ["miễn", "miễn sinh hoạt", "miễn công tác và sinh hoạt đảng", "exempt", "miễn sinh hoạt đảng", "miễn công tác và sinh hoạt"]],
  ["temporarily_exempt", ["tạm miễn", "tạm miễn sinh hoạt", "temporarily exempt", "tạm miễn sinh hoạt đảng", "tạm miễn công tác và sinh hoạt đảng"]],
  ["transferred_out", ["chuyển đi", "chuyển sinh hoạt tạm thời đi", "transferred out", "chuyển sinh hoạt đi"]],
  ["attached", ["sinh hoạt tạm thời", "sht", "chuyển đến", "attached", "sinh hoạt tạm thời đến"]],
  ["special_duty", ["nhiệm vụ đặc biệt", "special duty"]],
]);

const DATE = String.raw`(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{1,2}-\d{1,2})`;
const FROM_WORDS = String.raw`(?:tu|from|since|ke tu)`;
const UNTIL_WORDS = String.raw`(?:den|toi|until|to|het|-|–)`;
// Read on folded text, so "đến" and "den", "từ" and "tu" are the same word.
const STATUS_WITH_RANGE = new RegExp(String.raw`^(.*?)[\s,(]*(?:${FROM_WORDS}\s*)?(?:ngay\s*)?${DATE}\s*${UNTIL_WORDS}\s*(?:ngay\s*)?${DATE}\)?$`);
const STATUS_WITH_UNTIL = new RegExp(String.raw`^(.*?)[\s,(]*${UNTIL_WORDS}\s*(?:ngay\s*)?${DATE}\)?$`);
const STATUS_WITH_FROM = new RegExp(String.raw`^(.*?)[\s,(]*${FROM_WORDS}\s*(?:ngay\s*)?${DATE}\)?$`);

/**
 * A status cell as secretaries write it, often with its dates: "Tạm miễn đến 30/06/2027",
 * "Chuyển sinh hoạt tạm thời đi đến 31/03/2027", "Miễn sinh hoạt từ 01/01/2024", "tam mien tu
 * 01/02/2026 den 31/07/2026". Gives the status words and the dates as written (not checked).
 */
export function splitStatusCell(cell: string): { words: string; from: string | null; until: string | null } {
  const folded = foldText(cell);
  const range = STATUS_WITH_RANGE.exec(folded);
  if (range) return { words: range[1]!, from: range[2]!, until: range[3]! };
  const until = STATUS_WITH_UNTIL.exec(folded);
  if (until) return { words: until[1]!, from: null, until: until[2]! };
  const from = STATUS_WITH_FROM.exec(folded);
  if (from) return { words: from[1]!, from: from[2]!, until: null };
  return { words: folded, from: null, until: null };
}

/** "dd/mm/yyyy", "d/m/yyyy", "dd-mm-yyyy", "dd.mm.yyyy" or "yyyy-mm-dd" → "YYYY-MM-DD"; null when not a real date. */
export function parseRosterDate(text: string): string | null {
  const value = text.trim();
  let day: number;
  let month: number;
  let year: number;
  const dmy = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$/.exec(value);
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  if (dmy) {
    day = Number(dmy[1]);
    month = Number(dmy[3]);
    year = Number(dmy[4]);
  } else if (ymd) {
    year = Number(ymd[1]);
    month = Number(ymd[2]);
    day = Number(ymd[3]);
  } else {
    return null;
  }
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * A Vietnamese mobile number in any usual spelling → "0xxxxxxxxx"; null when it is not one.
 * "912345678" (Excel dropped the leading zero of a number cell) gets its zero back.
 */
export function normalisePhone(text: string): string | null {
  const digits = text
    .trim()
    .replace(/^'/, "")
    .replace(/[\s.\-()]/g, "");
  if (/^0[1-9]\d{8}$/.test(digits)) return digits;
  const international = /^\+?84([1-9]\d{8})$/.exec(digits);
  if (international) return `0${international[1]}`;
  if (/^[35789]\d{8}$/.test(digits)) return `0${digits}`;
  return null;
}

// ---------------------------------------------------------------------------------------
// Table

/**
 * Finds the header row, then validates every data row below it. Rows above the header
 * (titles such as "DANH SÁCH ĐẢNG VIÊN") and rows with nothing in any recognised column (a
 * pre-numbered STT, a note) are skipped. A row with any error is left out of `rows`; each of
 * its errors is listed. A name written twice in the file is an error; a name already on the
 * roster is not (the plan merges that row into the member's record).
 */
export function parseRosterTable(table: ReadonlyArray<{ line: number; cells: string[] }>): ParseResult {
  const headerAt = table.findIndex((row) => headerOf(row.cells) !== null);
  const header = headerAt < 0 ? null : headerOf(table[headerAt]?.cells ?? []);
  if (header === null) return { ok: false, reason: "no_header" };
  const columns = header.index;

  const cell = (cells: string[], column: RosterColumn): string => {
    const at = columns[column];
    return at === undefined ? "" : cleanNameText(cells[at] ?? "");
  };

  const dataRows = table.slice(headerAt + 1).filter((row) => header.order.some((column) => cell(row.cells, column) !== ""));
  if (dataRows.length === 0) return { ok: false, reason: "no_rows" };
  if (dataRows.length > MAX_IMPORT_ROWS) return { ok: false, reason: "too_many_rows" };

  const firstLineOfName = new Map<string, number>();
  const rows: RosterImportRow[] = [];
  const errors: RowError[] = [];

  for (const { line, cells } of dataRows) {
    const rowErrors: RowError[] = [];
    const fail = (reason: RowErrorReason, value?: string) => rowErrors.push(value === undefined ? { line, reason } : { line, reason, value });

    const name = cleanNameText([cell(cells, "surname"), cell(cells, "name")].join(" "));
    if (name === "") fail("empty_name");
    else if ([...name].length > MAX_NAME_LENGTH) fail("name_too_long", name);
    if (name !== "") {
      const folded = foldText(name);
      const earlier = firstLineOfName.get(folded);
      if (earlier !== undefined) fail("duplicate_in_file", String(earlier));
      else firstLineOfName.set(folded, line);
    }

    const typeText = cell(cells, "type");
    const memberType = TYPE_VALUES.get(valueKey(typeText));
    if (memberType === undefined) fail("unknown_type", typeText);

    const roleText = cell(cells, "role");
    const role = ROLE_VALUES.get(valueKey(roleText));
    if (role === undefined) fail("unknown_role", roleText);

    const statusText = cell(cells, "status");
    const inCell = splitStatusCell(statusText);
    const status = STATUS_VALUES.get(valueKey(inCell.words));
    if (status === undefined) fail("unknown_status", statusText);

    // Dates describe a status period: an active member has none, whatever the file says.
    let statusFrom: string | null = null;
    let statusUntil: string | null = null;
    if (status !== "active") {
      const fromText = dateColumn(cell(cells, "from"), inCell.from, () => fail("dates_disagree", statusText));
      const untilText = dateColumn(cell(cells, "until"), inCell.until, () => fail("dates_disagree", statusText));
      statusFrom = fromText === "" ? null : parseRosterDate(fromText);
      statusUntil = untilText === "" ? null : parseRosterDate(untilText);
      if (fromText !== "" && statusFrom === null) fail("bad_date", fromText);
      if (untilText !== "" && statusUntil === null) fail("bad_date", untilText);
      if (statusFrom !== null && statusUntil !== null && statusUntil <= statusFrom) fail("end_before_start", untilText);
      if (status !== undefined && UNTIL_REQUIRED.includes(status) && untilText === "") fail("until_required", statusText);
    }

    const phoneText = cell(cells, "phone");
    const phone = phoneText === "" ? null : normalisePhone(phoneText);
    // 12 digits are a CCCD typed into the wrong column, not a phone: do not echo it.
    if (phoneText !== "" && phone === null) fail("bad_phone", /^\d{12}$/.test(phoneText.replace(/[\s.-]/g, "")) ? undefined : phoneText);

    if (rowErrors.length > 0 || memberType === undefined || role === undefined || status === undefined) {
      errors.push(...rowErrors);
      continue;
    }
    const given = { memberType: typeText !== "", role: roleText !== "", status: statusText !== "" };
    rows.push({ line, name, memberType, role, status, statusFrom, statusUntil, phone, given });
  }
  return { ok: true, rows, errors, columns: header.order };
}

/**
 * A date of the status period, from its column or from the status cell: either may hold it.
 * Both holding different days is a mistake the secretary should see, not one Chibo picks from.
 */
function dateColumn(column: string, inCell: string | null, disagree: () => void): string {
  if (inCell === null) return column;
  if (column === "") return inCell;
  const day = parseRosterDate(column);
  // A column that is no date at all is reported as such (bad_date), not as a disagreement.
  if (day !== null && day !== parseRosterDate(inCell)) disagree();
  return column;
}
