import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import type { BranchRank, BranchReport, MeetingLine, MemberLine, OrgReport } from "../../src/core/reports/types.ts";
import { branchReportCsv, branchReportXlsx, orgReportXlsx } from "../../src/files/attendance-report.ts";
import { readSpreadsheet } from "../../src/files/spreadsheet.ts";
import { createI18n, type I18n } from "../../src/i18n.ts";

// Khu phố 3 in November 2026: five members, one of them exempt (Đỗ Văn Sáu, 82). The regular
// meeting on the 5th missed the threshold; at the thematic one on the 19th one member stayed
// away without an accepted reason and another's reason is not decided yet; the roll call of the
// 26th is still open.
function member(
  membershipId: string,
  name: string,
  marks: MemberLine["marks"],
  counts: Omit<MemberLine, "membershipId" | "name" | "marks" | "rate">,
): MemberLine {
  return { membershipId, name, marks, ...counts, rate: counts.expected === 0 ? null : counts.present / counts.expected };
}

const khuPho3: BranchReport = {
  branchId: "b-kp3",
  branchName: "Chi bộ Khu phố 3",
  timezone: "Asia/Ho_Chi_Minh",
  period: { kind: "month", key: "2026-11", from: "2026-11-01", to: "2026-11-30" },
  threshold: 0.85,
  // Only the fields the files read; the meeting's name stays out of them.
  meetings: [
    {
      meetingId: "m1",
      day: "2026-11-05",
      kind: "regular",
      rollCallClosed: true,
      expected: 4,
      present: 3,
      excused: 1,
      unexcused: 0,
      undecided: 0,
      rate: 3 / 4,
      criteriaMet: false,
      misses: ["rate"],
      absentees: [{ name: "Lê Thị Hồng", outcome: "excused", reason: "Ốm, đang điều trị tại bệnh viện" }],
    },
    {
      meetingId: "m2",
      day: "2026-11-19",
      kind: "thematic",
      rollCallClosed: true,
      expected: 4,
      present: 2,
      excused: 0,
      unexcused: 1,
      undecided: 1,
      rate: 2 / 4,
      criteriaMet: null,
      misses: [],
      absentees: [
        { name: "Phạm Quốc Toản", outcome: "unexcused", reason: "Bận việc nhà" },
        { name: "Lê Thị Hồng", outcome: "undecided", reason: null },
      ],
    },
    {
      meetingId: "m3",
      day: "2026-11-26",
      kind: "regular",
      rollCallClosed: false,
      expected: 0,
      present: 0,
      excused: 0,
      unexcused: 0,
      undecided: 0,
      rate: null,
      criteriaMet: null,
      misses: [],
      absentees: [],
    },
  ] satisfies Array<Omit<MeetingLine, "title" | "topic">> as MeetingLine[],
  members: [
    member("ms1", "Nguyễn Văn Hùng", ["present", "present", null], { expected: 2, present: 2, excused: 0, unexcused: 0, undecided: 0 }),
    member("ms2", "Trần Thị Mai", ["present", "present", null], { expected: 2, present: 2, excused: 0, unexcused: 0, undecided: 0 }),
    member("ms3", "Lê Thị Hồng", ["excused", "undecided", null], { expected: 2, present: 0, excused: 1, unexcused: 0, undecided: 1 }),
    member("ms4", "Phạm Quốc Toản", ["present", "unexcused", null], { expected: 2, present: 1, excused: 0, unexcused: 1, undecided: 0 }),
    member("ms5", "Đỗ Văn Sáu", ["outside", "outside", null], { expected: 0, present: 0, excused: 0, unexcused: 0, undecided: 0 }),
  ],
  months: [{ month: "2026-11", rate: 5 / 8, meetings: 2 }],
  openAlerts: [
    // Raised at 01:30 on the 6th in Hồ Chí Minh City, still the 5th in UTC and in New York.
    { alertId: "a1", rule: "A5", name: null, day: "2026-11-05", raisedAt: new Date("2026-11-05T18:30:00Z") },
    { alertId: "a2", rule: "A1", name: "Phạm Quốc Toản", day: "2026-11-19", raisedAt: new Date("2026-11-19T14:00:00Z") },
    { alertId: "a3", rule: "A6", name: null, day: "2026-11-26", raisedAt: new Date("2026-11-28T13:00:00Z") },
  ],
  totals: { meetings: 3, withoutRollCall: 1, expected: 8, present: 5, rate: 5 / 8, criteriaMissed: 1 },
};

/** Another branch with the same meetings and members, under its own name. */
function branchNamed(branchId: string, branchName: string): BranchReport {
  return { ...khuPho3, branchId, branchName };
}

const rank = (report: BranchReport, unitName: string, openAlerts: number): BranchRank => ({
  branchId: report.branchId,
  branchName: report.branchName,
  unitName,
  meetings: report.totals.meetings,
  withoutRollCall: report.totals.withoutRollCall,
  expected: report.totals.expected,
  present: report.totals.present,
  rate: report.totals.rate,
  openAlerts,
  criteriaMissed: report.totals.criteriaMissed,
});

const hoaBinhA = branchNamed("b-hba", "Chi bộ Khu dân cư số 12 Tổ dân phố Hòa Bình A");
const hoaBinhB = branchNamed("b-hbb", "Chi bộ Khu dân cư số 12 Tổ dân phố Hòa Bình B");
const apDong: BranchReport = {
  ...branchNamed("b-ad", "Chi bộ Ấp Đông: Tổ 1/2 [cũ]?"),
  meetings: [],
  members: [],
  months: [],
  openAlerts: [],
  totals: { meetings: 0, withoutRollCall: 0, expected: 0, present: 0, rate: null, criteriaMissed: 0 },
};
// Two thirds: a rate that is not a short decimal, to check it comes back exactly.
const truongHoc: BranchReport = {
  ...branchNamed("b-th", "Chi bộ Trường Tiểu học Tân Hòa"),
  totals: { ...khuPho3.totals, expected: 9, present: 6, rate: 6 / 9 },
};

const tanHoa: OrgReport = {
  orgUnitId: "u-th",
  orgUnitName: "Đảng ủy xã Tân Hòa",
  period: khuPho3.period,
  threshold: 0.85,
  ranked: [
    rank(khuPho3, "Đảng ủy xã Tân Hòa", 3),
    rank(hoaBinhA, "Đảng ủy xã Tân Hòa", 3),
    rank(hoaBinhB, "Đảng ủy xã Tân Hòa", 2),
    rank(truongHoc, "Đảng ủy xã Tân Hòa", 0),
    rank(apDong, "Đảng bộ bộ phận Ấp Đông", 0),
  ],
  branches: [khuPho3, hoaBinhA, hoaBinhB, truongHoc, apDong],
  totals: { branches: 5, meetings: 12, withoutRollCall: 4, expected: 33, present: 21, rate: 21 / 33, openAlerts: 8 },
};

let i18n: I18n;
beforeAll(async () => {
  i18n = await createI18n();
});

async function load(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return workbook;
}

/** The row whose first cell is `text`, as plain values (index 0 is column A). */
function rowStarting(sheet: ExcelJS.Worksheet, text: string, from = 1): { number: number; values: unknown[] } {
  for (let r = from; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    if (row.getCell(1).value === text) return { number: r, values: (row.values as unknown[]).slice(1) };
  }
  throw new Error(`no row starts with ${text} in ${sheet.name}`);
}

const values = (sheet: ExcelJS.Worksheet, r: number) => (sheet.getRow(r).values as unknown[]).slice(1);
const utcDay = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : value);

describe("branchReportCsv", () => {
  it("writes the attendance book: a header, a row per member with marks and totals, and the key to the marks", async () => {
    const bytes = branchReportCsv(khuPho3, i18n.t("vi"), "vi");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const read = await readSpreadsheet(bytes, "so-theo-doi-thang-11.csv");
    if (!read.ok) throw new Error(read.reason);
    const rows = read.rows.map((r) => r.cells);
    expect(rows[0]).toEqual([
      "STT",
      "Họ và tên",
      "05/11/2026",
      "19/11/2026",
      "26/11/2026",
      "Số buổi phải dự",
      "Có mặt",
      "Vắng có lý do",
      "Vắng không lý do",
      "Vắng chưa xét lý do",
      "Tỷ lệ dự họp",
    ]);
    expect(rows.slice(1, 6)).toEqual([
      ["1", "Nguyễn Văn Hùng", "x", "x", "", "2", "2", "0", "0", "0", "100,0%"],
      ["2", "Trần Thị Mai", "x", "x", "", "2", "2", "0", "0", "0", "100,0%"],
      ["3", "Lê Thị Hồng", "P", "?", "", "2", "0", "1", "0", "1", "0,0%"],
      ["4", "Phạm Quốc Toản", "x", "K", "", "2", "1", "0", "1", "0", "50,0%"],
      ["5", "Đỗ Văn Sáu", "–", "–", "", "0", "0", "0", "0", "0", "–"],
    ]);
    expect(rows).toHaveLength(7);
    expect(rows[6]![0]).toMatch(/^Ký hiệu: “x” có mặt; “P” vắng có lý do; “K” vắng không lý do; “\?” vắng, chưa xét lý do; “–” không tính/);
    // Semicolons, so a Vietnamese-locale Excel opens it in columns.
    expect(new TextDecoder().decode(bytes).split("\r\n")[1]).toBe('1;Nguyễn Văn Hùng;x;x;;2;2;0;0;0;"100,0%"');
  });

  it("writes English headers, marks and rates for an English reader", async () => {
    const bytes = branchReportCsv(khuPho3, i18n.t("en"), "en");
    const read = await readSpreadsheet(bytes, "book.csv");
    if (!read.ok) throw new Error(read.reason);
    const rows = read.rows.map((r) => r.cells);
    expect(rows[0]?.slice(0, 2)).toEqual(["No.", "Full name"]);
    expect(rows[0]?.at(-1)).toBe("Attendance");
    expect(rows[3]).toEqual(["3", "Lê Thị Hồng", "E", "?", "", "2", "0", "1", "0", "1", "0.0%"]);
    expect(rows[4]).toEqual(["4", "Phạm Quốc Toản", "x", "U", "", "2", "1", "0", "1", "0", "50.0%"]);
    expect(rows.at(-1)?.[0]).toMatch(/^Key: “x” present; “E” absent with reason; “U” absent without reason/);
    expect(new TextDecoder().decode(bytes).split("\r\n")[1]).toBe("1,Nguyễn Văn Hùng,x,x,,2,2,0,0,0,100.0%");
  });
});

describe("branchReportXlsx", () => {
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    workbook = await load(await branchReportXlsx(khuPho3, i18n.t("vi"), "vi"));
  });

  it("has the meetings, the members and the alerts, in that order", () => {
    expect(workbook.worksheets.map((s) => s.name)).toEqual(["Các cuộc họp", "Đảng viên", "Cảnh báo"]);
  });

  it("lists the meetings with their counts as numbers, the criteria and the absentees", () => {
    const sheet = workbook.getWorksheet("Các cuộc họp")!;
    expect(sheet.getCell("A1").value).toBe("Các cuộc họp của Chi bộ Khu phố 3 — Tháng 11/2026");
    expect(sheet.getCell("A1").font?.bold).toBe(true);
    const header = rowStarting(sheet, "Ngày họp");
    expect(header.values).toEqual([
      "Ngày họp",
      "Loại cuộc họp",
      "Phải dự",
      "Có mặt",
      "Vắng có lý do",
      "Vắng không lý do",
      "Vắng chưa xét lý do",
      "Tỷ lệ dự họp",
      "Tiêu chí dự họp (HD 12)",
      "Đảng viên vắng mặt",
    ]);
    expect(sheet.getRow(header.number).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: header.number });

    const [first, second, open, totals] = [1, 2, 3, 4].map((i) => values(sheet, header.number + i));
    expect(utcDay(first![0])).toBe("2026-11-05");
    expect(first!.slice(1, 7)).toEqual(["Thường kỳ", 4, 3, 1, 0, 0]);
    expect(first![7]).toBeCloseTo(0.75, 9);
    expect(sheet.getRow(header.number + 1).getCell(8).numFmt).toBe("0.0%");
    expect(first![8]).toBe("Chưa đạt: tỷ lệ đảng viên dự họp chưa trên 85,0%");
    expect(first![9]).toBe("Lê Thị Hồng (có lý do: Ốm, đang điều trị tại bệnh viện)");

    expect(second!.slice(1, 7)).toEqual(["Chuyên đề", 4, 2, 0, 1, 1]);
    expect(second![7]).toBeCloseTo(0.5, 9);
    expect(second![8]).toBe("Không xét (chỉ xét họp thường kỳ)");
    expect(second![9]).toBe("Phạm Quốc Toản (không lý do; đã báo “Bận việc nhà” nhưng không được chấp nhận)\nLê Thị Hồng (chưa xét lý do)");

    // The open roll call has no counts yet: empty cells, not zeros.
    expect(utcDay(open![0])).toBe("2026-11-26");
    expect(open!.slice(2, 8).every((v) => v === undefined || v === null)).toBe(true);
    expect(open![8]).toBe("Chưa chốt điểm danh");

    expect(totals!.slice(0, 7)).toEqual(["Cộng", "3 cuộc họp", 8, 5, 1, 1, 1]);
    expect(totals![7]).toBeCloseTo(5 / 8, 9);
    expect(totals![8]).toBe("1 cuộc họp chưa đạt; 1 cuộc họp chưa chốt điểm danh");
    expect(sheet.getRow(header.number + 4).font?.bold).toBe(true);
  });

  it("keeps the attendance book with numbers, marks and the key", () => {
    const sheet = workbook.getWorksheet("Đảng viên")!;
    expect(sheet.getCell("A1").value).toBe("Sổ theo dõi đảng viên dự sinh hoạt — Chi bộ Khu phố 3 — Tháng 11/2026");
    const header = rowStarting(sheet, "STT");
    expect(header.values.slice(1, 5)).toEqual(["Họ và tên", "05/11/2026", "19/11/2026", "26/11/2026"]);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: header.number, xSplit: 2 });

    const rows = [1, 2, 3, 4, 5].map((i) => values(sheet, header.number + i));
    expect(rows.map((r) => r.slice(0, 4))).toEqual([
      [1, "Nguyễn Văn Hùng", "x", "x"],
      [2, "Trần Thị Mai", "x", "x"],
      [3, "Lê Thị Hồng", "P", "?"],
      [4, "Phạm Quốc Toản", "x", "K"],
      [5, "Đỗ Văn Sáu", "–", "–"],
    ]);
    expect(rows.map((r) => r[4] ?? null)).toEqual([null, null, null, null, null]);
    expect(rows.map((r) => r.slice(5, 10))).toEqual(khuPho3.members.map((m) => [m.expected, m.present, m.excused, m.unexcused, m.undecided]));
    khuPho3.members.forEach((m, i) => {
      const rate = rows[i]![10];
      if (m.rate === null) expect(rate ?? null).toBeNull();
      else expect(rate as number).toBeCloseTo(m.rate, 9);
    });
    expect(sheet.getRow(header.number + 1).getCell(11).numFmt).toBe("0.0%");

    const legendRow = values(sheet, header.number + 7);
    expect(legendRow[0]).toMatch(/^Ký hiệu: “x” có mặt/);
  });

  it("lists the open alerts with the rule's name, the member and the days in the branch's zone", () => {
    const sheet = workbook.getWorksheet("Cảnh báo")!;
    const header = rowStarting(sheet, "STT");
    expect(header.values).toEqual(["STT", "Cảnh báo", "Đảng viên", "Ngày", "Ngày phát sinh"]);
    const rows = [1, 2, 3].map((i) => values(sheet, header.number + i).map(utcDay));
    expect(rows).toEqual([
      [1, "A5 · Tỷ lệ dự họp dưới ngưỡng", undefined, "2026-11-05", "2026-11-06"],
      [2, "A1 · Vắng không lý do", "Phạm Quốc Toản", "2026-11-19", "2026-11-19"],
      [3, "A6 · Chưa điểm danh", undefined, "2026-11-26", "2026-11-28"],
    ]);
    expect(sheet.getRow(header.number + 1).getCell(4).numFmt).toBe("dd/mm/yyyy");
  });

  it("sizes the columns to their content, within bounds", () => {
    const sheet = workbook.getWorksheet("Các cuộc họp")!;
    // exceljs leaves out a width of 9, its default.
    const widths = sheet.columns.map((c) => c.width ?? 9);
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(6);
    expect(Math.max(...widths)).toBeLessThanOrEqual(50);
    // Phạm Quốc Toản's absence with its refused reason is longer than the cap.
    expect(sheet.getColumn(10).width).toBe(50);
    expect(sheet.getColumn(2).width).toBe("Loại cuộc họp".length + 2);
  });

  it("says so when there are no meetings, members or alerts", async () => {
    const empty = await load(await branchReportXlsx(apDong, i18n.t("vi"), "vi"));
    const meetings = empty.getWorksheet("Các cuộc họp")!;
    const header = rowStarting(meetings, "Ngày họp");
    expect(values(meetings, header.number + 1)[0]).toBe("Trong kỳ chi bộ không có cuộc họp nào.");
    const alerts = empty.getWorksheet("Cảnh báo")!;
    expect(values(alerts, rowStarting(alerts, "STT").number + 1)[0]).toBe("Không có cảnh báo nào đang mở.");
  });

  it("is written in English for an English reader, quarters and years named the reader's way", async () => {
    const quarter = { ...khuPho3, period: { kind: "quarter" as const, key: "2026-Q4", from: "2026-10-01", to: "2026-12-31" } };
    const english = await load(await branchReportXlsx(quarter, i18n.t("en"), "en"));
    expect(english.worksheets.map((s) => s.name)).toEqual(["Meetings", "Members", "Alerts"]);
    const meetings = english.getWorksheet("Meetings")!;
    expect(meetings.getCell("A1").value).toBe("Meetings of Chi bộ Khu phố 3 — Q4 2026");
    const header = rowStarting(meetings, "Date");
    expect(values(meetings, header.number + 1)[1]).toBe("Regular");
    expect(values(meetings, header.number + 1)[8]).toBe("Not met: attendance not above 85.0%");
    const alerts = english.getWorksheet("Alerts")!;
    expect(values(alerts, rowStarting(alerts, "No.").number + 2)[1]).toBe("A1 · Absent without reason");

    const vietnameseQuarter = await load(await branchReportXlsx(quarter, i18n.t("vi"), "vi"));
    expect(vietnameseQuarter.getWorksheet("Các cuộc họp")!.getCell("A1").value).toBe("Các cuộc họp của Chi bộ Khu phố 3 — Quý IV/2026");
    const year = { ...khuPho3, period: { kind: "year" as const, key: "2026", from: "2026-01-01", to: "2026-12-31" } };
    const english2026 = await load(await branchReportXlsx(year, i18n.t("en"), "en"));
    expect(english2026.getWorksheet("Members")!.getCell("A1").value).toBe("Attendance book — Chi bộ Khu phố 3 — Year 2026");
  });
});

describe("orgReportXlsx", () => {
  let workbook: ExcelJS.Workbook;
  beforeAll(async () => {
    workbook = await load(await orgReportXlsx(tanHoa, i18n.t("vi"), "vi"));
  });

  it("has the unit first, then one sheet per branch in the ranked order, each with a unique, valid name", () => {
    const names = workbook.worksheets.map((s) => s.name);
    expect(names).toEqual([
      "Đảng ủy xã Tân Hòa",
      "Chi bộ Khu phố 3",
      "Chi bộ Khu dân cư số 12 Tổ dân",
      "Chi bộ Khu dân cư số 12 Tổ (2)",
      "Chi bộ Trường Tiểu học Tân Hòa",
      "Chi bộ Ấp Đông Tổ 1 2 cũ",
    ]);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(31);
      expect(name).not.toMatch(/[:\\/?*[\]]/);
    }
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
  });

  it("ranks the branches with their numbers, the totals and where to find each branch", () => {
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getCell("A1").value).toBe("Tình hình dự sinh hoạt của các chi bộ thuộc Đảng ủy xã Tân Hòa — Tháng 11/2026");
    const header = rowStarting(sheet, "STT");
    expect(header.values).toEqual([
      "STT",
      "Chi bộ",
      "Trực thuộc",
      "Số cuộc họp",
      "Chưa chốt điểm danh",
      "Lượt phải dự",
      "Lượt có mặt",
      "Tỷ lệ dự họp",
      "Cảnh báo đang mở",
      "Cuộc họp chưa đạt tiêu chí HD 12",
      "Xem ở trang tính",
    ]);
    expect(sheet.getRow(header.number).font?.bold).toBe(true);
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: header.number });

    tanHoa.ranked.forEach((b, i) => {
      const row = values(sheet, header.number + 1 + i);
      expect(row.slice(0, 7)).toEqual([i + 1, b.branchName, b.unitName, b.meetings, b.withoutRollCall, b.expected, b.present]);
      if (b.rate === null) expect(row[7] ?? null).toBeNull();
      else expect(row[7] as number).toBeCloseTo(b.rate, 9);
      expect(row.slice(8, 11)).toEqual([b.openAlerts, b.criteriaMissed, workbook.worksheets[i + 1]!.name]);
    });
    expect(sheet.getRow(header.number + 1).getCell(8).numFmt).toBe("0.0%");

    const totals = values(sheet, header.number + 1 + tanHoa.ranked.length);
    expect(totals.slice(1, 7)).toEqual(["Cộng (5 chi bộ)", undefined, 12, 4, 33, 21]);
    expect(totals[7] as number).toBeCloseTo(21 / 33, 9);
    expect(totals.slice(8, 10)).toEqual([8, 4]);
  });

  it("gives each branch its meetings and its attendance book", () => {
    const sheet = workbook.getWorksheet("Chi bộ Khu dân cư số 12 Tổ (2)")!;
    expect(sheet.getCell("A1").value).toBe("Chi bộ Khu dân cư số 12 Tổ dân phố Hòa Bình B — Tháng 11/2026");
    expect(sheet.getCell("A2").value).toBe("Trực thuộc Đảng ủy xã Tân Hòa. Ngưỡng tỷ lệ dự họp: 85,0%.");
    const meetings = rowStarting(sheet, "Ngày họp");
    expect(values(sheet, meetings.number + 1).slice(2, 7)).toEqual([4, 3, 1, 0, 0]);
    const book = rowStarting(sheet, "STT", meetings.number);
    expect(values(sheet, book.number - 1)[0]).toBe("Sổ theo dõi đảng viên dự sinh hoạt");
    expect(values(sheet, book.number + 4).slice(0, 10)).toEqual([4, "Phạm Quốc Toản", "x", "K", undefined, 2, 1, 0, 1, 0]);
    expect(values(sheet, book.number + 4)[10] as number).toBeCloseTo(0.5, 9);
    expect(sheet.getRow(book.number).font?.bold).toBe(true);

    const empty = workbook.getWorksheet("Chi bộ Ấp Đông Tổ 1 2 cũ")!;
    expect(empty.getCell("A2").value).toBe("Trực thuộc Đảng bộ bộ phận Ấp Đông. Ngưỡng tỷ lệ dự họp: 85,0%.");
    expect(values(empty, rowStarting(empty, "Ngày họp").number + 1)[0]).toBe("Trong kỳ chi bộ không có cuộc họp nào.");
  });

  it("keeps sheet names unique even when Excel's case-blind comparison or its reserved name would clash", async () => {
    const clash = (id: string, name: string) => branchNamed(id, name);
    const branches = [clash("x1", "History"), clash("x2", "CHI BỘ A"), clash("x3", "Chi bộ A"), clash("x4", "Đảng ủy xã Tân Hòa"), clash("x5", "'Chi bộ ' B'")];
    const report: OrgReport = { ...tanHoa, ranked: branches.map((b) => rank(b, "Đảng ủy xã Tân Hòa", 0)), branches };
    const names = (await load(await orgReportXlsx(report, i18n.t("vi"), "vi"))).worksheets.map((s) => s.name);
    expect(names).toEqual(["Đảng ủy xã Tân Hòa", "History (2)", "CHI BỘ A", "Chi bộ A (2)", "Đảng ủy xã Tân Hòa (2)", "Chi bộ ' B"]);
  });

  it("is written in English for an English supervisor", async () => {
    const english = await load(await orgReportXlsx(tanHoa, i18n.t("en"), "en"));
    const sheet = english.worksheets[0]!;
    expect(sheet.getCell("A1").value).toBe("Meeting attendance of the branches under Đảng ủy xã Tân Hòa — November 2026");
    const header = rowStarting(sheet, "No.");
    expect(values(sheet, header.number + tanHoa.ranked.length + 1)[1]).toBe("Total (5 branches)");
    expect(english.worksheets).toHaveLength(tanHoa.branches.length + 1);
  });

  it("writes a district of 168 branches of 40 members", async () => {
    const names = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Võ Thị Giang", "Đặng Văn Hải", "Bùi Thị Khánh"];
    const members = Array.from({ length: 40 }, (_, i) =>
      member(`m${i}`, `${names[i % names.length]} ${i + 1}`, ["present", "excused", null], { expected: 2, present: 1, excused: 1, unexcused: 0, undecided: 0 }),
    );
    const branches = Array.from({ length: 168 }, (_, i) => ({ ...branchNamed(`d${i}`, `Chi bộ Khu dân cư số ${i + 1} phường Tân Định`), members }));
    const district: OrgReport = { ...tanHoa, orgUnitName: "Quận ủy Quận 1", ranked: branches.map((b) => rank(b, "Đảng ủy phường Tân Định", 1)), branches };
    const bytes = await orgReportXlsx(district, i18n.t("vi"), "vi");
    const read = await load(bytes);
    expect(read.worksheets).toHaveLength(169);
    expect(new Set(read.worksheets.map((s) => s.name)).size).toBe(169);
  });
});
