import { describe, expect, it } from "vitest";
import {
  MAX_IMPORT_ROWS,
  normalisePhone,
  parseRosterDate,
  parseRosterTable,
  splitStatusCell,
  type ParseResult,
  type RosterImportRow,
  type RowError,
} from "../../../src/core/roster/import-rules.ts";
import { foldText } from "../../../src/core/text.ts";
import { readSpreadsheet } from "../../../src/files/spreadsheet.ts";
import { ROSTER_30_BROKEN_LINES, ROSTER_30_WITH_3_BROKEN, rosterCsv, rosterXlsx } from "../../fixtures/roster-files.ts";

/** Rows as readSpreadsheet gives them: line = position in the file. */
const table = (rows: string[][]) => rows.map((cells, i) => ({ line: i + 1, cells }));
const parse = (rows: string[][]) => parseRosterTable(table(rows));

function ok(result: ParseResult): { rows: RosterImportRow[]; errors: RowError[]; columns: string[] } {
  if (!result.ok) throw new Error(`parse failed: ${result.reason}`);
  return result;
}

/** Parses one data row under a full header and gives its row or its errors. */
function one(values: { name?: string; type?: string; role?: string; status?: string; from?: string; until?: string; phone?: string }) {
  const header = ["Họ và tên", "Loại", "Chức vụ", "Tình trạng", "Từ ngày", "Đến ngày", "SĐT"];
  const row = [
    values.name ?? "Nguyễn Văn Hùng",
    values.type ?? "",
    values.role ?? "",
    values.status ?? "",
    values.from ?? "",
    values.until ?? "",
    values.phone ?? "",
  ];
  const result = ok(parse([header, row]));
  return { row: result.rows[0], errors: result.errors };
}

describe("foldText", () => {
  it("folds diacritics, đ, case and spacing like the handlers' foldWords", () => {
    expect(foldText("  Họ  và TÊN ")).toBe("ho va ten");
    expect(foldText("ĐẢNG viên")).toBe("dang vien");
    expect(foldText("GIÚP!")).toBe("giup");
    expect(foldText("giúp ! ")).toBe("giup");
    expect(foldText("19:30")).toBe("19:30");
    expect(foldText("Nguyễn Văn Đức".normalize("NFD"))).toBe("nguyen van duc");
    expect(foldText("Chi uỷ viên")).toBe(foldText("Chi ủy viên"));
  });
});

describe("parseRosterTable: the realistic roster", () => {
  it("gives 27 rows and 3 errors on the right lines", () => {
    const result = ok(parseRosterTable(table(ROSTER_30_WITH_3_BROKEN)));
    expect(result.rows).toHaveLength(27);
    expect(result.errors).toEqual([
      { line: ROSTER_30_BROKEN_LINES.emptyName, reason: "empty_name" },
      { line: ROSTER_30_BROKEN_LINES.unknownStatus, reason: "unknown_status", value: "Nghỉ phép" },
      { line: ROSTER_30_BROKEN_LINES.endBeforeStart, reason: "end_before_start", value: "01/03/2026" },
    ]);
    expect(ROSTER_30_BROKEN_LINES).toEqual({ emptyName: 6, unknownStatus: 13, endBeforeStart: 21 });
    expect(result.columns).toEqual(["name", "type", "role", "status", "from", "until", "phone"]);

    const byName = new Map(result.rows.map((r) => [r.name, r]));
    expect(byName.get("Nguyễn Văn Hùng")).toEqual({
      line: 2,
      name: "Nguyễn Văn Hùng",
      memberType: "full",
      role: "secretary",
      status: "active",
      statusFrom: null,
      statusUntil: null,
      phone: "0912345678",
      given: { memberType: true, role: true, status: true },
    });
    expect(byName.get("Trần Thị Mai")?.role).toBe("deputy");
    expect(byName.get("Phạm Thị Hồng")).toMatchObject({ role: "committee", status: "active", phone: "0903111222" });
    expect(byName.get("Vũ Thị Lan")).toMatchObject({ memberType: "probationary", phone: "0354222333" });
    expect(byName.get("Đặng Quốc Bảo")).toMatchObject({ role: "member", status: "exempt", statusFrom: "2024-01-01", statusUntil: null });
    expect(byName.get("Đỗ Minh Tuấn")).toMatchObject({ status: "temporarily_exempt", statusFrom: "2026-02-01", statusUntil: "2026-07-31" });
    expect(byName.get("Lý Văn Phúc")).toMatchObject({ status: "transferred_out", statusUntil: "2026-09-15" });
    expect(byName.get("Nguyễn Thị Thanh Hương")).toMatchObject({
      status: "attached",
      statusFrom: "2026-01-01",
      statusUntil: "2026-12-31",
      phone: "0868999000",
    });
    expect(byName.get("Lê Thị Kim Oanh")?.status).toBe("special_duty");
    expect(byName.get("Hồ Thị Ngọc")?.phone).toBe("0707123456");
    expect(result.rows.map((r) => r.line)).not.toContain(6);
  });

  it("gives the same from a CSV and an XLSX file", async () => {
    for (const [bytes, name] of [
      [rosterCsv(ROSTER_30_WITH_3_BROKEN, { delimiter: ";" }), "ds.csv"],
      [await rosterXlsx(ROSTER_30_WITH_3_BROKEN), "ds.xlsx"],
    ] as const) {
      const read = await readSpreadsheet(bytes, name);
      if (!read.ok) throw new Error(read.reason);
      const result = ok(parseRosterTable(read.rows));
      expect(result.rows).toHaveLength(27);
      expect(result.errors.map((e) => [e.line, e.reason])).toEqual([
        [6, "empty_name"],
        [13, "unknown_status"],
        [21, "end_before_start"],
      ]);
    }
  });
});

describe("parseRosterTable: the header", () => {
  it("skips title rows above the header and keeps file line numbers", () => {
    const result = ok(
      parseRosterTable([
        { line: 1, cells: ["ĐẢNG BỘ PHƯỜNG 3"] },
        { line: 2, cells: ["DANH SÁCH ĐẢNG VIÊN CHI BỘ KHU PHỐ 5"] },
        { line: 4, cells: ["STT", "Họ và tên", "Chức vụ"] },
        { line: 5, cells: ["1", "Nguyễn Văn Hùng", "Bí thư"] },
        { line: 7, cells: ["2", "Trần Thị Mai"] },
      ]),
    );
    expect(result.rows.map((r) => [r.line, r.name, r.role])).toEqual([
      [5, "Nguyễn Văn Hùng", "secretary"],
      [7, "Trần Thị Mai", "member"],
    ]);
    expect(result.columns).toEqual(["name", "role"]);
  });

  it("knows the columns in Vietnamese and English, with or without diacritics and punctuation", () => {
    const headers: Array<[string[], string[]]> = [
      [
        ["Họ và tên", "Loại đảng viên", "Chức vụ", "Tình trạng sinh hoạt", "Từ ngày", "Đến ngày", "Số điện thoại"],
        ["name", "type", "role", "status", "from", "until", "phone"],
      ],
      [
        ["HO VA TEN", "LOAI DANG VIEN", "CHUC VU DANG", "TRANG THAI", "NGAY BAT DAU", "NGAY KET THUC", "SDT"],
        ["name", "type", "role", "status", "from", "until", "phone"],
      ],
      [
        ["Họ tên (*)", "Chính thức/Dự bị", "Vai trò:", "Tình trạng", "Từ ngày", "Đến ngày", "SĐT."],
        ["name", "type", "role", "status", "from", "until", "phone"],
      ],
      [
        ["No.", "Full name", "Member type", "Role", "Status", "Since", "Until", "Mobile"],
        ["name", "type", "role", "status", "from", "until", "phone"],
      ],
      [
        ["Name", "Type", "Role", "Status", "From", "To", "Phone"],
        ["name", "type", "role", "status", "from", "until", "phone"],
      ],
      [
        ["Tên", "Loại", "Điện thoại"],
        ["name", "type", "phone"],
      ],
      [
        ["ten", "dien thoai"],
        ["name", "phone"],
      ],
    ];
    for (const [header, columns] of headers) {
      const row = header[0] === "No." ? ["1", "Nguyễn Văn Hùng"] : ["Nguyễn Văn Hùng"];
      expect(ok(parse([header, row])).columns, header.join("|")).toEqual(columns);
    }
  });

  it("does not take a team column (Tổ) for the end date", () => {
    const result = ok(
      parse([
        ["Họ và tên", "Tổ", "Tình trạng"],
        ["Nguyễn Văn Hùng", "Tổ 3", "Tạm miễn"],
      ]),
    );
    expect(result.columns).toEqual(["name", "status"]);
    expect(result.errors).toEqual([{ line: 2, reason: "until_required", value: "Tạm miễn" }]);
  });

  it('prefers a real name column to "Đảng viên" and "Tên", and joins "Họ" + "Tên"', () => {
    expect(
      ok(
        parse([
          ["Đảng viên", "Họ và tên"],
          ["x", "Nguyễn Văn Hùng"],
        ]),
      ).rows[0]?.name,
    ).toBe("Nguyễn Văn Hùng");
    expect(
      ok(
        parse([
          ["Tên", "Họ và tên"],
          ["Hùng", "Nguyễn Văn Hùng"],
        ]),
      ).rows[0]?.name,
    ).toBe("Nguyễn Văn Hùng");
    expect(
      ok(
        parse([
          ["STT", "Đảng viên", "Ghi chú"],
          ["1", "Nguyễn Văn Hùng", ""],
        ]),
      ).rows[0]?.name,
    ).toBe("Nguyễn Văn Hùng");
    const split = ok(
      parse([
        ["Họ và tên đệm", "Tên", "Chức vụ"],
        ["Nguyễn Văn", "Hùng", "Bí thư"],
      ]),
    );
    expect(split.rows[0]).toMatchObject({ name: "Nguyễn Văn Hùng", role: "secretary" });
    expect(split.columns).toEqual(["surname", "name", "role"]);
    expect(
      ok(
        parse([
          ["Họ và tên", "Họ"],
          ["Nguyễn Văn Hùng", "Nguyễn"],
        ]),
      ).rows[0]?.name,
    ).toBe("Nguyễn Văn Hùng");
  });

  it('does not take a data row whose role is "Đảng viên" for a header', () => {
    expect(parse([["Nguyễn Văn Hùng", "Chính thức", "Đảng viên"]])).toEqual({ ok: false, reason: "no_header" });
  });

  it("says no_header, no_rows and too_many_rows", () => {
    expect(
      parse([
        ["Ngày sinh", "Ghi chú"],
        ["01/01/1970", "x"],
      ]),
    ).toEqual({ ok: false, reason: "no_header" });
    expect(parse([])).toEqual({ ok: false, reason: "no_header" });
    expect(
      parse([
        ["Chức vụ", "Tình trạng"],
        ["Bí thư", ""],
      ]),
    ).toEqual({ ok: false, reason: "no_header" });
    expect(parse([["Họ và tên", "Chức vụ"]])).toEqual({ ok: false, reason: "no_rows" });
    expect(parse([["STT", "Họ và tên"], ["1"], ["2"], ["3"]])).toEqual({ ok: false, reason: "no_rows" });
    const many = Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => [`Đảng viên số ${i}`]);
    expect(parse([["Họ và tên"], ...many])).toEqual({ ok: false, reason: "too_many_rows" });
    expect(ok(parse([["Họ và tên"], ...many.slice(1)])).rows).toHaveLength(MAX_IMPORT_ROWS);
  });

  it("never reads national ID or Party card columns", () => {
    const secret = ["001085012345", "079190000123", "123456789", "HN-0012345", "48.012.345"];
    const result = parse([
      ["STT", "Họ và tên", "Số CCCD", "CMND", "Số thẻ đảng", "Thẻ đảng viên", "Căn cước công dân", "Ngày sinh", "Ghi chú"],
      ["1", "Nguyễn Văn Hùng", ...secret.slice(0, 4), "079190000123", "12/03/1968", ""],
      ["2", "Trần Thị Mai", "", "", "", "", "", "", ""],
    ]);
    const { rows, errors, columns } = ok(result);
    expect(rows.map((r) => r.name)).toEqual(["Nguyễn Văn Hùng", "Trần Thị Mai"]);
    expect(errors).toEqual([]);
    expect(columns).toEqual(["name"]);
    const everything = JSON.stringify(result);
    for (const value of secret) expect(everything).not.toContain(value);
    expect(everything).not.toMatch(/cccd|cmnd|the dang|thẻ/i);
  });

  it("does not echo a CCCD typed into the phone column", () => {
    expect(one({ phone: "001085012345" }).errors).toEqual([{ line: 2, reason: "bad_phone" }]);
  });
});

describe("parseRosterTable: values", () => {
  it("reads member types", () => {
    for (const text of ["", "Chính thức", "chinh thuc", "CT", "full", "Đảng viên chính thức"]) expect(one({ type: text }).row?.memberType, text).toBe("full");
    for (const text of ["Dự bị", "du bi", "DB", "probationary"]) expect(one({ type: text }).row?.memberType, text).toBe("probationary");
    expect(one({ type: "Cảm tình" }).errors).toEqual([{ line: 2, reason: "unknown_type", value: "Cảm tình" }]);
  });

  it("reads roles", () => {
    const cases: Array<[string, string]> = [
      ["", "member"],
      ["Đảng viên", "member"],
      ["member", "member"],
      ["Bí thư", "secretary"],
      ["BI THU", "secretary"],
      ["secretary", "secretary"],
      ["Phó bí thư", "deputy"],
      ["pho bi thu", "deputy"],
      ["deputy", "deputy"],
      ["Chi ủy viên", "committee"],
      ["Chi uỷ viên", "committee"],
      ["Cấp ủy viên", "committee"],
      ["committee", "committee"],
    ];
    for (const [text, role] of cases) expect(one({ role: text }).row?.role, text).toBe(role);
    expect(one({ role: "Trưởng ban" }).errors).toEqual([{ line: 2, reason: "unknown_role", value: "Trưởng ban" }]);
  });

  it("reads statuses", () => {
    const until = "31/12/2026";
    const cases: Array<[string, string]> = [
      ["", "active"],
      ["Đang sinh hoạt", "active"],
      ["binh thuong", "active"],
      ["Active", "active"],
      ["Miễn", "exempt"],
      ["Miễn sinh hoạt", "exempt"],
      ["Miễn công tác và sinh hoạt Đảng", "exempt"],
      ["exempt", "exempt"],
      ["Tạm miễn", "temporarily_exempt"],
      ["tam mien sinh hoat", "temporarily_exempt"],
      ["Temporarily exempt", "temporarily_exempt"],
      ["Chuyển đi", "transferred_out"],
      ["Chuyển sinh hoạt tạm thời đi", "transferred_out"],
      ["transferred out", "transferred_out"],
      ["Sinh hoạt tạm thời", "attached"],
      ["SHT", "attached"],
      ["Chuyển đến", "attached"],
      ["attached", "attached"],
      ["Nhiệm vụ đặc biệt", "special_duty"],
      ["special duty", "special_duty"],
    ];
    for (const [text, status] of cases) expect(one({ status: text, until }).row?.status, text).toBe(status);
    expect(one({ status: "Nghỉ hưu" }).errors).toEqual([{ line: 2, reason: "unknown_status", value: "Nghỉ hưu" }]);
  });

  it("reads dates in the usual spellings", () => {
    expect(parseRosterDate("05/01/2026")).toBe("2026-01-05");
    expect(parseRosterDate("5/1/2026")).toBe("2026-01-05");
    expect(parseRosterDate("05-01-2026")).toBe("2026-01-05");
    expect(parseRosterDate("05.01.2026")).toBe("2026-01-05");
    expect(parseRosterDate("2026-01-05")).toBe("2026-01-05");
    expect(parseRosterDate("29/02/2028")).toBe("2028-02-29");
    for (const bad of [
      "31/02/2026",
      "29/02/2026",
      "00/01/2026",
      "01/13/2026",
      "01/00/2026",
      "01/01/1929",
      "01/01/2101",
      "05/01/26",
      "05/01-2026",
      "2026/01/05",
      "ngày 5",
      "45000",
    ]) {
      expect(parseRosterDate(bad), bad).toBeNull();
    }
    expect(parseRosterDate("01/01/1930")).toBe("1930-01-01");
    expect(parseRosterDate("31/12/2100")).toBe("2100-12-31");
  });

  it("checks the status period", () => {
    expect(one({ status: "Tạm miễn", from: "01/02/2026", until: "31/07/2026" }).row).toMatchObject({ statusFrom: "2026-02-01", statusUntil: "2026-07-31" });
    expect(one({ status: "Tạm miễn", from: "31/02/2026", until: "31/07/2026" }).errors).toEqual([{ line: 2, reason: "bad_date", value: "31/02/2026" }]);
    expect(one({ status: "Tạm miễn", until: "00/01/2026" }).errors).toEqual([{ line: 2, reason: "bad_date", value: "00/01/2026" }]);
    expect(one({ status: "Tạm miễn", from: "01/06/2026", until: "01/03/2026" }).errors).toEqual([{ line: 2, reason: "end_before_start", value: "01/03/2026" }]);
    expect(one({ status: "Tạm miễn", from: "01/06/2026", until: "2026-06-01" }).errors).toEqual([{ line: 2, reason: "end_before_start", value: "2026-06-01" }]);
    for (const status of ["Tạm miễn", "Chuyển đi", "Sinh hoạt tạm thời"]) {
      expect(one({ status, from: "01/01/2026" }).errors, status).toEqual([{ line: 2, reason: "until_required", value: status }]);
    }
    expect(one({ status: "Miễn sinh hoạt" }).row).toMatchObject({ status: "exempt", statusFrom: null, statusUntil: null });
    expect(one({ status: "Nhiệm vụ đặc biệt", from: "01/01/2026" }).row).toMatchObject({ status: "special_duty", statusFrom: "2026-01-01", statusUntil: null });
    // An active member has no status period: the dates are dropped, even wrong ones.
    expect(one({ status: "Đang sinh hoạt", from: "01/01/2026", until: "31/02/2026" })).toEqual({
      row: {
        line: 2,
        name: "Nguyễn Văn Hùng",
        memberType: "full",
        role: "member",
        status: "active",
        statusFrom: null,
        statusUntil: null,
        phone: null,
        given: { memberType: false, role: false, status: true },
      },
      errors: [],
    });
  });

  it("keeps names as written, tidying only the spacing", () => {
    expect(one({ name: "  nguyễn   văn   hùng " }).row?.name).toBe("nguyễn văn hùng");
    expect(one({ name: "NGUYỄN VĂN HÙNG" }).row?.name).toBe("NGUYỄN VĂN HÙNG");
    expect(one({ name: "A".repeat(120) }).row?.name).toHaveLength(120);
    expect(one({ name: "A".repeat(121) }).errors).toEqual([{ line: 2, reason: "name_too_long", value: "A".repeat(121) }]);
    expect(one({ name: "", role: "Bí thư" }).errors).toEqual([{ line: 2, reason: "empty_name" }]);
  });

  it("skips rows with nothing in a known column, such as a pre-numbered STT", () => {
    const result = ok(parse([["STT", "Họ và tên", "Ghi chú"], ["1", "Nguyễn Văn Hùng"], ["2", "", "còn trống"], ["3"], []]));
    expect(result.rows.map((r) => r.name)).toEqual(["Nguyễn Văn Hùng"]);
    expect(result.errors).toEqual([]);
  });

  it("normalises phone numbers", () => {
    const good: Array<[string, string]> = [
      ["0912345678", "0912345678"],
      ["0912 345 678", "0912345678"],
      ["0912.345.678", "0912345678"],
      ["0912-345-678", "0912345678"],
      ["(091) 234 5678", "0912345678"],
      ["+84912345678", "0912345678"],
      ["+84 912 345 678", "0912345678"],
      ["84912345678", "0912345678"],
      ["912345678", "0912345678"],
      ["356789012", "0356789012"],
    ];
    for (const [text, phone] of good) {
      expect(normalisePhone(text), text).toBe(phone);
      expect(one({ phone: text }).row?.phone, text).toBe(phone);
    }
    for (const bad of ["12345", "091234567", "09123456789", "+8491234567", "112345678", "0912abc678", "0912345678 / 0987654321"]) {
      expect(normalisePhone(bad), bad).toBeNull();
      expect(one({ phone: bad }).errors, bad).toEqual([{ line: 2, reason: "bad_phone", value: bad }]);
    }
  });

  it("finds duplicates in the file, folded; a name already on the roster is a valid row (the plan merges it)", () => {
    const result = ok(parse([["Họ và tên"], ["Nguyễn Văn Hùng"], ["Trần Thị Mai"], ["nguyen van hung"], ["NGUYỄN  VĂN HÙNG"], ["Lê Văn Dũng"]]));
    expect(result.rows.map((r) => r.name)).toEqual(["Nguyễn Văn Hùng", "Trần Thị Mai", "Lê Văn Dũng"]);
    expect(result.errors).toEqual([
      { line: 4, reason: "duplicate_in_file", value: "2" },
      { line: 5, reason: "duplicate_in_file", value: "2" },
    ]);
  });

  it("lists every error of a row and leaves the row out", () => {
    const result = ok(
      parse([
        ["Họ và tên", "Loại", "Chức vụ", "Tình trạng", "Từ ngày", "Đến ngày", "SĐT"],
        ["Trần Thị Mai", "Chính thức", "", "", "", "", ""],
        ["Trần Thị Mai", "Cảm tình", "Trưởng ban", "Tạm miễn", "32/01/2026", "", "123"],
      ]),
    );
    expect(result.rows.map((r) => r.line)).toEqual([2]);
    expect(result.errors).toEqual([
      { line: 3, reason: "duplicate_in_file", value: "2" },
      { line: 3, reason: "unknown_type", value: "Cảm tình" },
      { line: 3, reason: "unknown_role", value: "Trưởng ban" },
      { line: 3, reason: "bad_date", value: "32/01/2026" },
      { line: 3, reason: "until_required", value: "Tạm miễn" },
      { line: 3, reason: "bad_phone", value: "123" },
    ]);
  });
});

describe("parseRosterTable: dates written in the status cell", () => {
  it("reads the end date, with or without diacritics, as the district's files write it", () => {
    const cases: Array<[string, string, string]> = [
      ["Tạm miễn đến 30/06/2027", "temporarily_exempt", "2027-06-30"],
      ["tam mien den 30/06/2027", "temporarily_exempt", "2027-06-30"],
      ["Tạm miễn sinh hoạt đến ngày 30/6/2027", "temporarily_exempt", "2027-06-30"],
      ["Chuyển sinh hoạt tạm thời đi đến 31/03/2027", "transferred_out", "2027-03-31"],
      ["CHUYEN SINH HOAT TAM THOI DI DEN 31.03.2027", "transferred_out", "2027-03-31"],
      ["Sinh hoạt tạm thời đến 31/12/2026", "attached", "2026-12-31"],
      ["Chuyển đi (đến 15/09/2026)", "transferred_out", "2026-09-15"],
      ["Tạm miễn, hết 30/06/2027", "temporarily_exempt", "2027-06-30"],
    ];
    for (const [status, expected, until] of cases) {
      const { row, errors } = one({ status });
      expect(errors, status).toEqual([]);
      expect(row, status).toMatchObject({ status: expected, statusUntil: until });
    }
  });

  it("reads a whole period, and a start alone", () => {
    expect(one({ status: "Tạm miễn từ 01/02/2026 đến 31/07/2026" }).row).toMatchObject({
      status: "temporarily_exempt",
      statusFrom: "2026-02-01",
      statusUntil: "2026-07-31",
    });
    expect(one({ status: "tam mien 01/02/2026 - 31/07/2026" }).row).toMatchObject({
      status: "temporarily_exempt",
      statusFrom: "2026-02-01",
      statusUntil: "2026-07-31",
    });
    expect(one({ status: "Miễn sinh hoạt từ 01/01/2024" }).row).toMatchObject({ status: "exempt", statusFrom: "2024-01-01", statusUntil: null });
    // "đến" alone is part of a status's name, not a date.
    expect(one({ status: "Sinh hoạt tạm thời đến", until: "31/12/2026" }).row).toMatchObject({ status: "attached", statusUntil: "2026-12-31" });
    expect(splitStatusCell("Tạm miễn")).toEqual({ words: "tam mien", from: null, until: null });
  });

  it("refuses an impossible date, a period that ends before it starts, and a cell that disagrees with its column", () => {
    expect(one({ status: "Tạm miễn đến 31/02/2027" }).errors).toEqual([{ line: 2, reason: "bad_date", value: "31/02/2027" }]);
    expect(one({ status: "Tạm miễn từ 01/06/2026 đến 01/03/2026" }).errors).toEqual([{ line: 2, reason: "end_before_start", value: "01/03/2026" }]);
    expect(one({ status: "Tạm miễn đến 30/06/2027", until: "31/07/2026" }).errors).toEqual([
      { line: 2, reason: "dates_disagree", value: "Tạm miễn đến 30/06/2027" },
    ]);
    // The same day in both places is no disagreement.
    expect(one({ status: "Tạm miễn đến 30/06/2027", until: "30/6/2027" }).row).toMatchObject({ statusUntil: "2027-06-30" });
    // An active member has no period, whatever the cell says after the status.
    expect(one({ status: "Đang sinh hoạt từ 01/01/2020" }).row).toMatchObject({ status: "active", statusFrom: null, statusUntil: null });
  });
});
