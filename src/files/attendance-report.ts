/**
 * The attendance reports of SPEC §8 as files to download: the secretary's CSV (the attendance
 * book, a row per member and a column per meeting, like the paper book) and XLSX (the meetings,
 * the book, the open alerts), and the supervisor's XLSX (the ranked branches, then a sheet per
 * branch). They are written from the same report data as the chat and the chart, so the three
 * agree. Every word comes from the "reportfiles" namespace. In the XLSX, counts and rates stay
 * numbers (a rate is a fraction shown as a percentage) so a supervisor can sum and sort them.
 */
import ExcelJS from "exceljs";
import type { CriterionMiss, Outcome } from "../core/alerts/rules.ts";
import type { Locale } from "../core/locale.ts";
import { formatPercent } from "../core/numbers.ts";
import type { BranchReport, MeetingLine, OrgReport, ReportPeriod } from "../core/reports/types.ts";
import { formatDay, localDay } from "../core/time.ts";
import type { Translate } from "../i18n.ts";
import { safeSheetName, writeCsv } from "./spreadsheet.ts";

/** The secretary's CSV: the attendance book — one row per member, a column per meeting (its day), the member's totals and rate; a header row. */
export function branchReportCsv(report: BranchReport, t: Translate, locale: Locale): Uint8Array {
  const book = bookTable(report, t);
  const rows: string[][] = [
    book.columns.map((c) => c.header),
    ...book.rows.map((row) => row.map((value, i) => cellText(value, book.columns[i]!.kind, locale))),
  ];
  // The key to the marks goes under the table, so the header stays the first row for anyone
  // who loads the file as data.
  rows.push([], [legend(t)]);
  return writeCsv(rows, { delimiter: CSV_DELIMITER[locale] });
}

/** The secretary's XLSX: sheets "Các cuộc họp" (the meetings), "Đảng viên" (the attendance book as in the CSV) and "Cảnh báo" (open alerts). */
export async function branchReportXlsx(report: BranchReport, t: Translate, locale: Locale): Promise<Uint8Array> {
  const workbook = newWorkbook();
  const period = periodName(report.period, t);
  const threshold = formatPercent(report.threshold, locale);

  const meetings = new SheetWriter(workbook, t("reportfiles:sheets.meetings"));
  meetings.titles(t("reportfiles:titles.meetings", { branch: report.branchName, period }), t("reportfiles:notes.threshold", { threshold }));
  const meetingsAt = meetings.table(meetingsTable(report, t, locale), report.threshold);
  meetings.finish({ ySplit: meetingsAt.header });

  const members = new SheetWriter(workbook, t("reportfiles:sheets.members"));
  members.titles(t("reportfiles:titles.members", { branch: report.branchName, period }), t("reportfiles:notes.threshold", { threshold }));
  const bookAt = members.table(bookTable(report, t), report.threshold);
  members.blank();
  members.note(legend(t));
  members.finish({ ySplit: bookAt.header, xSplit: 2 });

  const alerts = new SheetWriter(workbook, t("reportfiles:sheets.alerts"));
  alerts.titles(t("reportfiles:titles.alerts", { branch: report.branchName }), t("reportfiles:notes.alerts"));
  const alertsAt = alerts.table(alertsTable(report, t));
  alerts.finish({ ySplit: alertsAt.header });

  return toBytes(workbook);
}

/**
 * The supervisor's XLSX: first a sheet for the org unit (the ranked branches and the totals),
 * then one sheet per branch (its meetings and its attendance book), named by the branch.
 */
export async function orgReportXlsx(report: OrgReport, t: Translate, locale: Locale): Promise<Uint8Array> {
  const workbook = newWorkbook();
  const period = periodName(report.period, t);
  const threshold = formatPercent(report.threshold, locale);
  const taken = new Set<string>();
  const unitSheetName = uniqueSheetName(report.orgUnitName, taken);
  // Names are settled before anything is written, so the ranked list can say where each branch's sheet is.
  const sheetNames = new Map(report.branches.map((b) => [b.branchId, uniqueSheetName(b.branchName, taken)]));

  const unit = new SheetWriter(workbook, unitSheetName);
  unit.titles(t("reportfiles:titles.org", { unit: report.orgUnitName, period }), t("reportfiles:notes.ranking", { threshold }));
  const rankingAt = unit.table(rankingTable(report, t, sheetNames), report.threshold);
  if (report.ranked.length > 0)
    unit.sheet.autoFilter = { from: { row: rankingAt.header, column: 1 }, to: { row: rankingAt.header + report.ranked.length, column: RANKING_COLUMNS } };
  unit.finish({ ySplit: rankingAt.header, xSplit: 2 });

  const unitNames = new Map(report.ranked.map((r) => [r.branchId, r.unitName]));
  for (const branch of report.branches) {
    const writer = new SheetWriter(workbook, sheetNames.get(branch.branchId)!);
    const unitName = unitNames.get(branch.branchId) ?? report.orgUnitName;
    writer.titles(
      t("reportfiles:titles.branch", { branch: branch.branchName, period }),
      t("reportfiles:notes.branchOf", { unit: unitName, threshold: formatPercent(branch.threshold, locale) }),
    );
    const meetingsAt = writer.table(meetingsTable(branch, t, locale), branch.threshold);
    writer.blank();
    writer.heading(t("reportfiles:titles.book"));
    writer.table(bookTable(branch, t), branch.threshold);
    writer.blank();
    writer.note(legend(t));
    writer.finish({ ySplit: meetingsAt.header });
  }
  return toBytes(workbook);
}

// ---------------------------------------------------------------------------------------
// The tables, as plain values: the CSV and the XLSX write the same ones.

/** How a column's values are written: text as is, counts and rates as numbers, days as dates. */
type Kind = "text" | "count" | "rate" | "day" | "lines";
/** A day is "YYYY-MM-DD"; a rate a fraction; null an empty cell. */
type Value = string | number | null;

interface Column {
  header: string;
  kind: Kind;
}

interface Table {
  columns: Column[];
  rows: Value[][];
  /** A bold last row. */
  totals?: Value[];
  /** Said instead of the rows when there are none. */
  empty: string;
}

const column = (t: Translate, key: string, kind: Kind): Column => ({ header: t(`reportfiles:columns.${key}`), kind });

function meetingsTable(report: BranchReport, t: Translate, locale: Locale): Table {
  const columns = [
    column(t, "day", "day"),
    column(t, "kind", "text"),
    column(t, "expected", "count"),
    column(t, "present", "count"),
    column(t, "excused", "count"),
    column(t, "unexcused", "count"),
    column(t, "undecided", "count"),
    column(t, "rate", "rate"),
    column(t, "criteria", "lines"),
    column(t, "absentees", "lines"),
  ];
  const threshold = formatPercent(report.threshold, locale);
  const rows = report.meetings.map((m): Value[] => {
    // An open roll call has no counts yet (the model gives zeros): blank, not a false 0.
    const count = (n: number) => (m.rollCallClosed ? n : null);
    return [
      m.day,
      t(`reportfiles:kinds.${m.kind}`),
      count(m.expected),
      count(m.present),
      count(m.excused),
      count(m.unexcused),
      count(m.undecided),
      m.rollCallClosed ? m.rate : null,
      criteriaText(m, t, threshold),
      m.absentees.map((a) => absenteeText(a, t)).join("\n"),
    ];
  });
  const closed = report.meetings.filter((m) => m.rollCallClosed);
  const sum = (pick: (m: MeetingLine) => number) => closed.reduce((total, m) => total + pick(m), 0);
  const { totals } = report;
  return {
    columns,
    rows,
    totals:
      rows.length === 0
        ? undefined
        : [
            t("reportfiles:totals.label"),
            t("reportfiles:totals.meetings", { count: totals.meetings }),
            totals.expected,
            totals.present,
            sum((m) => m.excused),
            sum((m) => m.unexcused),
            sum((m) => m.undecided),
            totals.rate,
            t("reportfiles:totals.criteria", { count: totals.criteriaMissed, open: totals.withoutRollCall }),
            null,
          ],
    empty: t("reportfiles:notes.noMeetings"),
  };
}

function criteriaText(m: MeetingLine, t: Translate, threshold: string): string {
  if (!m.rollCallClosed) return t("reportfiles:criteria.open");
  if (m.criteriaMet === null) return t("reportfiles:criteria.notApplicable");
  if (m.criteriaMet) return t("reportfiles:criteria.met");
  if (m.misses.length === 0) return t("reportfiles:criteria.notMet");
  return t("reportfiles:criteria.missed", { misses: m.misses.map((miss) => t(`reportfiles:misses.${MISS_KEYS[miss]}`, { threshold })).join("; ") });
}

const MISS_KEYS: Record<CriterionMiss, string> = { rate: "rate", unexcused: "unexcused", excused_run: "excusedRun" };

function absenteeText(a: MeetingLine["absentees"][number], t: Translate): string {
  const reason = a.reason?.trim();
  return reason ? t(`reportfiles:absentee.${a.outcome}WithReason`, { name: a.name, reason }) : t(`reportfiles:absentee.${a.outcome}`, { name: a.name });
}

/** The attendance book: a row per member, a column per meeting. */
function bookTable(report: BranchReport, t: Translate): Table {
  // Two meetings on one day (a committee meeting after the regular one) get the kind in their heading.
  const perDay = new Map<string, number>();
  for (const m of report.meetings) perDay.set(m.day, (perDay.get(m.day) ?? 0) + 1);
  const meetingColumns = report.meetings.map((m): Column => ({
    header: perDay.get(m.day)! > 1 ? `${formatDay(m.day)} (${t(`reportfiles:kinds.${m.kind}`)})` : formatDay(m.day),
    kind: "text",
  }));
  const marks = markLetters(t);
  return {
    columns: [
      column(t, "number", "count"),
      column(t, "name", "text"),
      ...meetingColumns,
      column(t, "meetingsExpected", "count"),
      column(t, "present", "count"),
      column(t, "excused", "count"),
      column(t, "unexcused", "count"),
      column(t, "undecided", "count"),
      column(t, "rate", "rate"),
    ],
    rows: report.members.map((member, i): Value[] => [
      i + 1,
      member.name,
      ...report.meetings.map((_, j) => {
        const mark = member.marks[j];
        return mark === null || mark === undefined ? null : marks[mark];
      }),
      member.expected,
      member.present,
      member.excused,
      member.unexcused,
      member.undecided,
      member.rate,
    ]),
    empty: t("reportfiles:notes.noMembers"),
  };
}

const OUTCOMES: Outcome[] = ["present", "excused", "unexcused", "undecided", "outside"];

function markLetters(t: Translate): Record<Outcome, string> {
  return Object.fromEntries(OUTCOMES.map((o) => [o, t(`reportfiles:marks.${o}`)])) as Record<Outcome, string>;
}

function legend(t: Translate): string {
  return t("reportfiles:legend", markLetters(t));
}

function alertsTable(report: BranchReport, t: Translate): Table {
  return {
    columns: [column(t, "number", "count"), column(t, "rule", "text"), column(t, "member", "text"), column(t, "alertDay", "day"), column(t, "raisedOn", "day")],
    rows: report.openAlerts.map((a, i) => [i + 1, ruleName(a.rule, t), a.name, a.day, localDay(a.raisedAt, report.timezone)]),
    empty: t("reportfiles:notes.noAlerts"),
  };
}

/** "A1 · Vắng không lý do"; a rule this file does not know yet shows as its code. */
function ruleName(rule: string, t: Translate): string {
  return t(`reportfiles:rules.${rule.toLowerCase()}`, { defaultValue: rule });
}

const RANKING_COLUMNS = 11;

function rankingTable(report: OrgReport, t: Translate, sheetNames: Map<string, string>): Table {
  const { totals } = report;
  return {
    columns: [
      column(t, "number", "count"),
      column(t, "branch", "text"),
      column(t, "unit", "text"),
      column(t, "meetings", "count"),
      column(t, "withoutRollCall", "count"),
      column(t, "attendancesExpected", "count"),
      column(t, "attendancesPresent", "count"),
      column(t, "rate", "rate"),
      column(t, "openAlerts", "count"),
      column(t, "criteriaMissed", "count"),
      column(t, "sheet", "text"),
    ],
    rows: report.ranked.map((b, i) => [
      i + 1,
      b.branchName,
      b.unitName,
      b.meetings,
      b.withoutRollCall,
      b.expected,
      b.present,
      b.rate,
      b.openAlerts,
      b.criteriaMissed,
      sheetNames.get(b.branchId) ?? null,
    ]),
    totals:
      report.ranked.length === 0
        ? undefined
        : [
            null,
            t("reportfiles:totals.branches", { count: totals.branches }),
            null,
            totals.meetings,
            totals.withoutRollCall,
            totals.expected,
            totals.present,
            totals.rate,
            totals.openAlerts,
            report.ranked.reduce((sum, b) => sum + b.criteriaMissed, 0),
            null,
          ],
    empty: t("reportfiles:notes.noBranches"),
  };
}

export function periodName(period: ReportPeriod, t: Translate): string {
  const year = period.key.slice(0, 4);
  if (period.kind === "month") return t(`reportfiles:period.month.m${Number(period.key.slice(5, 7))}`, { year });
  if (period.kind === "quarter") return t("reportfiles:period.quarter", { quarter: period.key });
  return t("reportfiles:period.year", { year });
}

/** A value as CSV text: rates the way people write them, days as dd/mm/yyyy. */
function cellText(value: Value, kind: Kind, locale: Locale): string {
  if (kind === "rate") return formatPercent(typeof value === "number" ? value : null, locale);
  if (value === null) return "";
  if (kind === "day" && typeof value === "string") return formatDay(value);
  return String(value);
}

/**
 * A Vietnamese-locale Excel splits a double-clicked CSV on ";" (its decimal mark is the comma),
 * an English one on ",": the file follows the reader's language.
 */
const CSV_DELIMITER: Record<Locale, ";" | ","> = { vi: ";", en: "," };

// ---------------------------------------------------------------------------------------
// Writing sheets

const PERCENT_FORMAT = "0.0%";
const DATE_FORMAT = "dd/mm/yyyy";
const MIN_WIDTH = 6;
const MAX_WIDTH = 50;
const LOW_RATE_FONT = { color: { argb: "FFC00000" } };

function newWorkbook(): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "Chibo";
  return workbook;
}

async function toBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** Writes titles and tables down one sheet, keeping each column's widest content for the widths. */
class SheetWriter {
  readonly sheet: ExcelJS.Worksheet;
  private readonly widths: number[] = [];
  /** Excel wants each conditional format of a sheet to have its own priority. */
  private rules = 0;

  constructor(workbook: ExcelJS.Workbook, name: string) {
    this.sheet = workbook.addWorksheet(name);
  }

  titles(title: string, subtitle: string): void {
    this.heading(title, 13);
    this.note(subtitle);
    this.blank();
  }

  heading(text: string, size?: number): void {
    this.sheet.addRow([text]).font = size ? { bold: true, size } : { bold: true };
  }

  note(text: string): void {
    this.sheet.addRow([text]).font = { italic: true };
  }

  blank(): void {
    this.sheet.addRow([]);
  }

  /**
   * A bold header, the rows and the totals. Number formats are set on the few cells that need
   * one: a sheet per branch holds two tables whose columns do not line up, so whole-column
   * styles would not fit. Returns the header's row number and the last row's.
   */
  table(table: Table, threshold?: number): { header: number; last: number } {
    const kinds = table.columns.map((c) => c.kind);
    const header = this.sheet.addRow(table.columns.map((c) => c.header));
    header.font = { bold: true };
    table.columns.forEach((c, i) => this.measure(i, c.header));
    if (table.rows.length === 0) this.note(table.empty);
    for (const values of table.rows) this.row(values, kinds);
    if (table.totals) this.row(table.totals, kinds).font = { bold: true };

    const last = this.sheet.rowCount;
    const rateColumn = kinds.indexOf("rate");
    if (threshold !== undefined && rateColumn >= 0 && table.rows.length > 0) {
      const letter = this.sheet.getColumn(rateColumn + 1).letter;
      // One rule for the whole column: a rate under the threshold (A5) reads red.
      this.sheet.addConditionalFormatting({
        ref: `${letter}${header.number + 1}:${letter}${last}`,
        rules: [
          {
            type: "expression",
            priority: ++this.rules,
            formulae: [`AND(ISNUMBER(${letter}${header.number + 1}),${letter}${header.number + 1}<${threshold})`],
            style: { font: LOW_RATE_FONT },
          },
        ],
      });
    }
    return { header: header.number, last };
  }

  private row(values: Value[], kinds: Kind[]): ExcelJS.Row {
    const row = this.sheet.addRow(values.map((value, i) => (kinds[i] === "day" && isDay(value) ? dayAsDate(value) : value)));
    values.forEach((value, i) => {
      // A day column's totals cell holds its label.
      const kind = kinds[i] === "day" && !isDay(value) ? "text" : kinds[i]!;
      if (value === null) return;
      this.measure(i, kind === "rate" ? "100.0%" : kind === "day" ? "00/00/0000" : String(value));
      if (kind === "rate") row.getCell(i + 1).numFmt = PERCENT_FORMAT;
      else if (kind === "day") row.getCell(i + 1).numFmt = DATE_FORMAT;
      else if (kind === "lines" && typeof value === "string" && value.includes("\n")) row.getCell(i + 1).alignment = { wrapText: true, vertical: "top" };
    });
    return row;
  }

  private measure(column: number, text: string): void {
    const longest = Math.max(...text.split("\n").map((line) => [...line].length));
    if (longest > (this.widths[column] ?? 0)) this.widths[column] = longest;
  }

  /** Column widths, and the header (with the titles above it) frozen in place. */
  finish(freeze: { ySplit: number; xSplit?: number }): void {
    this.widths.forEach((width, i) => {
      this.sheet.getColumn(i + 1).width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, width + 2));
    });
    this.sheet.views = [{ state: "frozen", xSplit: freeze.xSplit ?? 0, ySplit: freeze.ySplit }];
  }
}

const isDay = (value: Value): value is string => typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** Excel stores a day as a serial number; midnight UTC gives exactly the day, wherever it is opened. */
const dayAsDate = (day: string) => new Date(`${day}T00:00:00Z`);

const SHEET_NAME_MAX = 31;

/**
 * An Excel sheet name for `name` not yet in `taken` (compared as Excel does, ignoring case):
 * cleaned by safeSheetName, at most 31 UTF-16 units, no apostrophe at either end, and " (2)",
 * " (3)" … where two branches share a long prefix. Adds it to `taken`.
 */
function uniqueSheetName(name: string, taken: Set<string>): string {
  const base = fitSheetName(safeSheetName(name.normalize("NFC")), SHEET_NAME_MAX);
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? "" : `(${n})`;
    const stem = fitSheetName(base, SHEET_NAME_MAX - suffix.length - 1);
    const candidate = n === 1 ? base : stem === "" ? suffix : `${stem} ${suffix}`;
    const key = candidate.toLowerCase();
    // "History" is reserved by Excel.
    if (candidate !== "" && key !== "history" && !taken.has(key)) {
      taken.add(key);
      return candidate;
    }
  }
}

function fitSheetName(name: string, max: number): string {
  let cut = name;
  if (cut.length > max) {
    cut = cut.slice(0, max);
    // Never split a surrogate pair (an emoji in a branch name).
    if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  }
  return cut
    .trim()
    .replace(/^'+|'+$/g, "")
    .trim();
}
