/**
 * Spreadsheet files ↔ tables of text, for roster import and export.
 *
 * Reading takes whatever a Vietnamese secretary's Excel or Google Sheets produces (CSV in
 * UTF-8 with or without BOM, UTF-16 "Unicode text", old Windows-1258 files, `;` or tab
 * delimiters, XLSX) and turns it into rows of trimmed text, each carrying the row number
 * the user sees in Excel, so later error messages can point at the right line. Nothing here
 * knows what a roster is: the column meaning lives in src/core/roster/import-rules.ts.
 */
import { inflateRawSync } from "node:zlib";
import { parse as parseCsv } from "csv-parse/sync";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { MAX_IMPORT_ROWS } from "../core/roster/import-rules.ts";

/** Rows of cells as trimmed text; a date cell becomes "YYYY-MM-DD". What the writers take. */
export type Table = string[][];

/**
 * One non-empty row read from a file. `line` is the 1-based row number the user sees when
 * opening the file in Excel or Google Sheets: the sheet row number for XLSX, the record
 * number for CSV (empty lines count; a quoted cell spanning several text lines is one row).
 * `cells` are trimmed and NFC-normalised; trailing empty cells are dropped.
 */
export interface TableRow {
  line: number;
  cells: string[];
}

export const MAX_ROSTER_FILE_BYTES = 1_000_000; // 1 MB is plenty for 200 members
/**
 * Non-empty rows, header and titles included: a guard on what is read, twice the import's
 * limit of members (MAX_IMPORT_ROWS), since titles, notes and pre-numbered empty lines count
 * here too. The person is told the import's limit either way.
 */
export const MAX_TABLE_ROWS = 2 * MAX_IMPORT_ROWS;
/** What an XLSX may unpack to (all zip entries together): guards against zip bombs. */
export const MAX_XLSX_UNPACKED_BYTES = 40_000_000;

export type ReadFailure = "too_large" | "not_spreadsheet" | "legacy_xls" | "unreadable" | "empty" | "too_many_rows";

export type ReadResult = { ok: true; format: "csv" | "xlsx"; rows: TableRow[] } | { ok: false; reason: ReadFailure };

/**
 * Reads a CSV or XLSX file. The format is decided by the content; the file name only breaks
 * ties (an OLE file named .doc is not a legacy spreadsheet, an HTML table saved as .xls is).
 */
export async function readSpreadsheet(bytes: Uint8Array, filename: string): Promise<ReadResult> {
  if (bytes.byteLength > MAX_ROSTER_FILE_BYTES) return { ok: false, reason: "too_large" };
  const extension = /\.([a-z0-9]+)$/i.exec(filename.trim())?.[1]?.toLowerCase() ?? "";

  if (startsWith(bytes, ZIP_MAGIC)) return readXlsx(bytes);
  if (startsWith(bytes, OLE_MAGIC)) {
    // Excel 97–2003 workbooks are OLE files; so are password-protected .xlsx and Word/PowerPoint files.
    if (extension === "xlsx" || extension === "xlsm") return { ok: false, reason: "unreadable" };
    if (extension === "" || extension === "xls" || extension === "xlt") return { ok: false, reason: "legacy_xls" };
    return { ok: false, reason: "not_spreadsheet" };
  }
  return readCsv(bytes, extension);
}

// ---------------------------------------------------------------------------------------
// CSV

function readCsv(bytes: Uint8Array, extension: string): ReadResult {
  if (BINARY_MAGICS.some((magic) => startsWith(bytes, magic))) return { ok: false, reason: "not_spreadsheet" };
  const text = decodeText(bytes);
  if (text === null) return { ok: false, reason: "not_spreadsheet" };
  if (looksBinary(text)) return { ok: false, reason: "not_spreadsheet" };
  if (/^\s*</.test(text)) {
    // An HTML table or "XML Spreadsheet 2003" dressed as .xls: Excel opens it and can save it as .xlsx.
    return { ok: false, reason: extension === "xls" ? "legacy_xls" : "not_spreadsheet" };
  }
  if (/^\s*\{\\rtf/.test(text)) return { ok: false, reason: "not_spreadsheet" };

  const normalised = text.replace(/\r\n?/g, "\n");
  let records: string[][];
  try {
    records = parseCsv(normalised, {
      delimiter: detectDelimiter(normalised),
      record_delimiter: "\n",
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: false,
      bom: false,
    }) as string[][];
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  const rows: TableRow[] = [];
  records.forEach((record, index) => {
    const cells = tidyCells(record.map(unguardCell));
    if (cells.length > 0) rows.push({ line: index + 1, cells });
  });
  return finish("csv", rows);
}

/** Text from bytes: BOM first, then strict UTF-8, then Windows-1258. Null when it is binary. */
function decodeText(bytes: Uint8Array): string | null {
  let text: string;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    text = new TextDecoder("utf-8").decode(bytes.subarray(3));
  } else if (startsWith(bytes, [0xff, 0xfe])) {
    text = new TextDecoder("utf-16le").decode(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
  } else if (startsWith(bytes, [0xfe, 0xff])) {
    const swapped = new Uint8Array((bytes.length - 2) & ~1);
    for (let i = 0; i < swapped.length; i += 2) {
      swapped[i] = bytes[i + 3] ?? 0;
      swapped[i + 1] = bytes[i + 2] ?? 0;
    }
    text = new TextDecoder("utf-16le").decode(swapped);
  } else {
    if (bytes.includes(0)) return null;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      // Not UTF-8: an old "CSV (Comma delimited)" saved by a Vietnamese Windows. Windows-1258
      // reads plain Western (Windows-1252) text the same, except for the few letters it
      // swaps for Vietnamese ones (ă, đ, ơ, ư and the tone marks), which is what we want here.
      text = iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), "windows1258");
    }
  }
  if (text.includes("\u0000")) return null;
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0x1a) end--; // DOS end-of-file marks
  return text.slice(0, end).normalize("NFC");
}

/** Control characters do not occur in a spreadsheet saved as text. */
function looksBinary(text: string): boolean {
  let controls = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f) controls++;
  }
  return controls > Math.max(2, text.length / 200);
}

const DELIMITERS = [",", ";", "\t"] as const;

/**
 * Picks among `,` `;` and tab the delimiter that splits the first records most consistently
 * (Vietnamese-locale Excel saves with `;`, "Unicode text" with tabs). Quotes are honoured so
 * "Nguyễn Văn A, con" in a `;` file does not vote for the comma.
 */
function detectDelimiter(text: string): string {
  const counts = DELIMITERS.map(() => [] as number[]);
  let current = DELIMITERS.map(() => 0);
  let inQuotes = false;
  let records = 0;
  let recordHasContent = false;
  for (let i = 0; i < text.length && records < 30; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && ch === "\n") {
      if (recordHasContent) {
        current.forEach((n, d) => counts[d]?.push(n));
        records++;
      }
      current = DELIMITERS.map(() => 0);
      recordHasContent = false;
      continue;
    } else if (!inQuotes) {
      const d = DELIMITERS.indexOf(ch as (typeof DELIMITERS)[number]);
      if (d >= 0) current[d] = (current[d] ?? 0) + 1;
    }
    if (ch !== undefined && !/\s/.test(ch)) recordHasContent = true;
  }
  if (recordHasContent) current.forEach((n, d) => counts[d]?.push(n));

  let best: string = ",";
  let bestScore = 0;
  DELIMITERS.forEach((delimiter, d) => {
    const perRecord = counts[d] ?? [];
    const mode = modeOf(perRecord.filter((n) => n > 0));
    if (mode === 0) return;
    // Records split the same way as most, then the number of columns that gives.
    const score = perRecord.filter((n) => n === mode).length * 1000 + perRecord.filter((n) => n > 0).length * 10 + Math.min(mode, 9);
    if (score > bestScore) {
      best = delimiter;
      bestScore = score;
    }
  });
  return best;
}

function modeOf(values: number[]): number {
  const tally = new Map<number, number>();
  let mode = 0;
  let modeCount = 0;
  for (const v of values) {
    const n = (tally.get(v) ?? 0) + 1;
    tally.set(v, n);
    if (n > modeCount || (n === modeCount && v > mode)) {
      mode = v;
      modeCount = n;
    }
  }
  return mode;
}

// ---------------------------------------------------------------------------------------
// XLSX

async function readXlsx(bytes: Uint8Array): Promise<ReadResult> {
  const zip = inspectZip(bytes);
  if (zip === "unreadable") return { ok: false, reason: "unreadable" };
  if (!zip.includes("xl/workbook.xml")) return { ok: false, reason: "not_spreadsheet" }; // .docx, .ods, any zip

  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    return { ok: false, reason: "unreadable" };
  }
  const sheets = workbook.worksheets;
  const sheet = sheets.find((s) => s.state === "visible" || s.state === undefined) ?? sheets[0];
  if (sheet === undefined) return { ok: false, reason: "empty" };

  const rows: TableRow[] = [];
  let tooMany = false;
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (tooMany) return;
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      // A merged range keeps its value in its first (top-left) cell only.
      const text = cell.type === ExcelJS.ValueType.Merge ? "" : cellText(cell.value);
      cells[column - 1] = text;
    });
    const tidy = tidyCells(Array.from(cells, (c) => c ?? ""));
    if (tidy.length > 0) rows.push({ line: rowNumber, cells: tidy });
    if (rows.length > MAX_TABLE_ROWS) tooMany = true;
  });
  return finish("xlsx", rows);
}

/** Plain text of an exceljs cell value, whatever its kind. */
function cellText(value: unknown, depth = 0): string {
  if (value === null || value === undefined || depth > 3) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return dateText(value);
  if (typeof value === "object") {
    const v = value as Record<string, unknown>;
    if (Array.isArray(v.richText)) return v.richText.map((run: { text?: unknown }) => (typeof run.text === "string" ? run.text : "")).join("");
    if ("formula" in v || "sharedFormula" in v || "result" in v) return cellText(v.result, depth + 1);
    if ("error" in v) return "";
    if ("text" in v) return cellText(v.text, depth + 1);
  }
  return "";
}

/** 912345678 → "912345678", 0.1 + 0.2 → "0.3": no binary float noise. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return "";
  if (Number.isInteger(n)) return String(n);
  return String(Number(n.toPrecision(15)));
}

/** exceljs gives Excel dates as UTC instants; the calendar day is in the UTC fields. */
function dateText(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) return "";
  const rounded = new Date(Math.round(time / 1000) * 1000); // 45000.99999999 is the next day
  const y = rounded.getUTCFullYear();
  const m = rounded.getUTCMonth() + 1;
  const d = rounded.getUTCDate();
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/**
 * Lists a zip's entry names after checking that every entry really unpacks to the size its
 * directory declares and that all of them together stay under MAX_XLSX_UNPACKED_BYTES, so
 * a 1 MB zip bomb never reaches exceljs (which unpacks everything in memory).
 */
function inspectZip(bytes: Uint8Array): string[] | "unreadable" {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => (at + 2 <= bytes.length ? view.getUint16(at, true) : -1);
  const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : -1);

  let eocd = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (u32(at) === 0x06054b50) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) return "unreadable";
  const entries = u16(eocd + 10);
  let at = u32(eocd + 16);
  if (entries <= 0 || entries > 10_000 || at < 0) return "unreadable";

  const names: string[] = [];
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (u32(at) !== 0x02014b50) return "unreadable";
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const compressedSize = u32(at + 20);
    const size = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    const localHeader = u32(at + 42);
    if ([flags, method, compressedSize, size, nameLength, extraLength, commentLength, localHeader].some((n) => n < 0)) return "unreadable";
    if (size === 0xffffffff || compressedSize === 0xffffffff || (flags & 1) !== 0) return "unreadable"; // zip64, encrypted
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    names.push(name);
    total += size;
    if (total > MAX_XLSX_UNPACKED_BYTES) return "unreadable";

    if (u32(localHeader) !== 0x04034b50) return "unreadable";
    const dataStart = localHeader + 30 + u16(localHeader + 26) + u16(localHeader + 28);
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    if (data.length !== compressedSize) return "unreadable";
    if (method === 8) {
      try {
        const unpacked = inflateRawSync(data, { maxOutputLength: Math.max(1, size) });
        if (unpacked.length !== size) return "unreadable";
      } catch {
        return "unreadable";
      }
    } else if (method !== 0 || compressedSize !== size) {
      return "unreadable";
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

// ---------------------------------------------------------------------------------------
// Shared

function finish(format: "csv" | "xlsx", rows: TableRow[]): ReadResult {
  if (rows.length === 0) return { ok: false, reason: "empty" };
  if (rows.length > MAX_TABLE_ROWS) return { ok: false, reason: "too_many_rows" };
  return { ok: true, format, rows };
}

/** Trims and NFC-normalises every cell and drops trailing empty ones; [] for an empty row. */
function tidyCells(cells: string[]): string[] {
  const tidy = cells.map((c) => c.normalize("NFC").trim());
  while (tidy.length > 0 && tidy[tidy.length - 1] === "") tidy.pop();
  return tidy;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const BINARY_MAGICS = [
  [0x25, 0x50, 0x44, 0x46, 0x2d], // %PDF-
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0x1f, 0x8b], // gzip
  [0x52, 0x61, 0x72, 0x21], // Rar!
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
];

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

// ---------------------------------------------------------------------------------------
// Writing

/** A cell Excel would run as a formula (CSV injection): = + - @, also behind spaces, or tab/CR first. */
const FORMULA_START = /^(?:[\t\r]|\s*[=+\-@])/;

/** Undoes writeCsv's guard so an exported file reads back to the same text. */
function unguardCell(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/**
 * CSV for Excel: UTF-8 with BOM (so Excel shows Vietnamese right), CRLF, RFC 4180 quoting.
 * A cell Excel would take as a formula gets a leading apostrophe. The delimiter is a comma
 * unless told otherwise (";" opens in columns by double-click on a Vietnamese-locale Excel).
 */
export function writeCsv(rows: Table, options: { delimiter?: "," | ";" | "\t" } = {}): Uint8Array {
  const delimiter = options.delimiter ?? ",";
  const lines = rows.map((row) =>
    row
      .map((raw) => {
        const cell = FORMULA_START.test(raw) ? `'${raw}` : raw;
        return /[",;\t\r\n]/.test(cell) || cell !== cell.trim() ? `"${cell.replace(/"/g, '""')}"` : cell;
      })
      .join(delimiter),
  );
  const text = lines.map((line) => `${line}\r\n`).join("");
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf], 0);
  out.set(body, 3);
  return out;
}

/** XLSX with one sheet: bold, frozen header row and columns sized to their content. */
export async function writeXlsx(sheetName: string, rows: Table): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Chibo";
  const sheet = workbook.addWorksheet(safeSheetName(sheetName), { views: [{ state: "frozen", ySplit: rows.length > 0 ? 1 : 0 }] });
  for (const row of rows) sheet.addRow(row);
  if (rows.length > 0) sheet.getRow(1).font = { bold: true };

  const columns = Math.max(0, ...rows.map((r) => r.length));
  for (let c = 0; c < columns; c++) {
    const longest = Math.max(0, ...rows.map((r) => Math.max(0, ...(r[c] ?? "").split("\n").map((part) => [...part].length))));
    sheet.getColumn(c + 1).width = Math.min(60, Math.max(8, longest + 2));
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer);
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ], not blank. */
export function safeSheetName(name: string): string {
  const cleaned = [
    ...name
      .replace(/[:\\/?*[\]]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .replace(/^'+|'+$/g, ""),
  ]
    .slice(0, 31)
    .join("")
    .trim();
  return cleaned === "" ? "Sheet1" : cleaned;
}
