import { crc32, deflateRawSync } from "node:zlib";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { MAX_ROSTER_FILE_BYTES, MAX_TABLE_ROWS, readSpreadsheet, type ReadResult, type TableRow, writeCsv, writeXlsx } from "../../src/files/spreadsheet.ts";
import { ROSTER_30_WITH_3_BROKEN, rosterCsv, rosterXlsx } from "../fixtures/roster-files.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

function rowsOf(result: ReadResult): TableRow[] {
  if (!result.ok) throw new Error(`read failed: ${result.reason}`);
  return result.rows;
}

const cellsOf = (result: ReadResult) => rowsOf(result).map((r) => r.cells);

/** Windows-1258 spells Vietnamese as base letter (â, ê, ô, ă, ơ, ư precomposed) + a combining tone mark. */
function toCp1258Form(text: string): string {
  return text.normalize("NFD").replace(/(\P{M})(\p{M}*)/gu, (_, base: string, marks: string) => {
    const shape = [...marks].filter((m) => "\u0302\u0306\u031b".includes(m)).join("");
    const tone = [...marks].filter((m) => !"\u0302\u0306\u031b".includes(m)).join("");
    return (base + shape).normalize("NFC") + tone;
  });
}

/** A zip of stored/deflated entries, with sizes that may lie. */
function zipOf(entries: Array<{ name: string; data: Uint8Array; declaredSize?: number }>): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const packed = deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(entry.data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(entry.data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

describe("readSpreadsheet: CSV", () => {
  it("reads UTF-8 with BOM, comma, CRLF, keeping Vietnamese text and line numbers", async () => {
    const result = await readSpreadsheet(
      rosterCsv([
        ["Họ và tên", "Chức vụ"],
        ["Nguyễn Văn Hùng", "Bí thư"],
        ["Trần Thị Mai", "Phó bí thư"],
      ]),
      "ds.csv",
    );
    expect(result).toEqual({
      ok: true,
      format: "csv",
      rows: [
        { line: 1, cells: ["Họ và tên", "Chức vụ"] },
        { line: 2, cells: ["Nguyễn Văn Hùng", "Bí thư"] },
        { line: 3, cells: ["Trần Thị Mai", "Phó bí thư"] },
      ],
    });
    expect(cellsOf(result)[1]?.[0]?.startsWith("\uFEFF")).toBe(false);
    expect(cellsOf(await readSpreadsheet(rosterCsv([["Tên"], ["Lê Văn Dũng"]], { bom: false }), "ds.csv"))).toEqual([["Tên"], ["Lê Văn Dũng"]]);
  });

  it("detects the ; of a Vietnamese-locale Excel, with commas inside names quoted or not", async () => {
    const text = '\uFEFFHọ và tên;Chức vụ;Ghi chú\r\n"Nguyễn Văn A, con";Đảng viên;\r\nTrần Văn B;Bí thư;Ở xóm 3, thôn 2\r\n';
    expect(cellsOf(await readSpreadsheet(utf8(text), "ds.csv"))).toEqual([
      ["Họ và tên", "Chức vụ", "Ghi chú"],
      ["Nguyễn Văn A, con", "Đảng viên"],
      ["Trần Văn B", "Bí thư", "Ở xóm 3, thôn 2"],
    ]);
    const viaFixture = rosterCsv(
      [
        ["Họ và tên", "Loại"],
        ["Nguyễn Văn A, con", "Dự bị"],
      ],
      { delimiter: ";" },
    );
    expect(cellsOf(await readSpreadsheet(viaFixture, "ds.csv"))).toEqual([
      ["Họ và tên", "Loại"],
      ["Nguyễn Văn A, con", "Dự bị"],
    ]);
  });

  it("detects tabs", async () => {
    expect(cellsOf(await readSpreadsheet(utf8("Họ tên\tSĐT\nLê Thị Hạnh\t0912345678\n"), "ds.txt"))).toEqual([
      ["Họ tên", "SĐT"],
      ["Lê Thị Hạnh", "0912345678"],
    ]);
  });

  it("handles quotes, newlines inside quotes, LF and lone CR, and numbers rows as Excel shows them", async () => {
    const text = 'Tên,Ghi chú\n\n"Võ Thị ""Út""","dòng 1\ndòng 2"\n,,\r  Hà Văn Cường  ,  x  \r\n';
    const result = await readSpreadsheet(utf8(text), "ds.csv");
    expect(rowsOf(result)).toEqual([
      { line: 1, cells: ["Tên", "Ghi chú"] },
      { line: 3, cells: ['Võ Thị "Út"', "dòng 1\ndòng 2"] },
      { line: 5, cells: ["Hà Văn Cường", "x"] },
    ]);
  });

  it('reads UTF-16 with BOM (Excel\'s "Unicode text")', async () => {
    const text = "Họ và tên\tTình trạng\r\nĐặng Quốc Bảo\tMiễn sinh hoạt\r\n";
    const le = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, "utf16le")]);
    expect(cellsOf(await readSpreadsheet(le, "ds.txt"))).toEqual([
      ["Họ và tên", "Tình trạng"],
      ["Đặng Quốc Bảo", "Miễn sinh hoạt"],
    ]);
    const be = Buffer.from(text, "utf16le").swap16();
    expect(cellsOf(await readSpreadsheet(new Uint8Array([0xfe, 0xff, ...be]), "ds.txt"))).toEqual([
      ["Họ và tên", "Tình trạng"],
      ["Đặng Quốc Bảo", "Miễn sinh hoạt"],
    ]);
  });

  it("falls back to Windows-1258 for an old non-UTF-8 file, composing the tone marks", async () => {
    const text = "Họ và tên,Chức vụ\r\nNguyễn Văn Đức,Phó bí thư\r\nTrương Thị Ánh Tuyết,Chi ủy viên\r\n";
    const bytes = new Uint8Array(iconv.encode(toCp1258Form(text), "windows1258"));
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes)).toThrow();
    expect(cellsOf(await readSpreadsheet(bytes, "ds.csv"))).toEqual([
      ["Họ và tên", "Chức vụ"],
      ["Nguyễn Văn Đức", "Phó bí thư"],
      ["Trương Thị Ánh Tuyết", "Chi ủy viên"],
    ]);
  });

  it("gives NFC text for a file written in decomposed form (macOS)", async () => {
    const result = await readSpreadsheet(utf8("Tên\nNguyễn Thị Ánh\n".normalize("NFD")), "ds.csv");
    expect(cellsOf(result)[1]).toEqual(["Nguyễn Thị Ánh"]);
  });

  it("refuses empty, oversized, unclosed and too long files", async () => {
    expect(await readSpreadsheet(utf8(",,\r\n\r\n , \r\n"), "ds.csv")).toEqual({ ok: false, reason: "empty" });
    expect(await readSpreadsheet(new Uint8Array(0), "ds.csv")).toEqual({ ok: false, reason: "empty" });
    expect(await readSpreadsheet(new Uint8Array(10_000_000).fill(0x41), "ds.csv")).toEqual({ ok: false, reason: "too_large" });
    expect(await readSpreadsheet(new Uint8Array(MAX_ROSTER_FILE_BYTES + 1).fill(0x41), "ds.csv")).toEqual({ ok: false, reason: "too_large" });
    expect(await readSpreadsheet(utf8('Tên\n"Nguyễn Văn A\n'), "ds.csv")).toEqual({ ok: false, reason: "unreadable" });
    const many = Array.from({ length: MAX_TABLE_ROWS + 1 }, (_, i) => `Người ${i}`).join("\n");
    expect(await readSpreadsheet(utf8(many), "ds.csv")).toEqual({ ok: false, reason: "too_many_rows" });
    const enough = Array.from({ length: MAX_TABLE_ROWS }, (_, i) => `Người ${i}`).join("\n");
    expect(rowsOf(await readSpreadsheet(utf8(enough), "ds.csv"))).toHaveLength(MAX_TABLE_ROWS);
  });
});

describe("readSpreadsheet: what is not a spreadsheet", () => {
  it("says so for images, PDFs and other binary files, whatever their name", async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    expect(await readSpreadsheet(png, "ds.csv")).toEqual({ ok: false, reason: "not_spreadsheet" });
    expect(await readSpreadsheet(utf8("%PDF-1.7\n%âãÏÓ\n1 0 obj\n"), "ds.pdf")).toEqual({ ok: false, reason: "not_spreadsheet" });
    expect(await readSpreadsheet(new Uint8Array([0x41, 0x42, 0, 0x43, 0x0a]), "ds.csv")).toEqual({ ok: false, reason: "not_spreadsheet" });
    const controls = new Uint8Array(400).map((_, i) => (i % 7 === 0 ? 0x03 : 0x41));
    expect(await readSpreadsheet(controls, "ds.csv")).toEqual({ ok: false, reason: "not_spreadsheet" });
    expect(await readSpreadsheet(utf8("<html><body><p>Danh sách</p></body></html>"), "ds.html")).toEqual({ ok: false, reason: "not_spreadsheet" });
  });

  it("asks for .xlsx or .csv instead of a legacy .xls (OLE, or HTML named .xls)", async () => {
    const ole = new Uint8Array(512);
    ole.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    expect(await readSpreadsheet(ole, "Danh sach.xls")).toEqual({ ok: false, reason: "legacy_xls" });
    expect(await readSpreadsheet(ole, "tep")).toEqual({ ok: false, reason: "legacy_xls" });
    expect(await readSpreadsheet(ole, "bao-cao.doc")).toEqual({ ok: false, reason: "not_spreadsheet" });
    expect(await readSpreadsheet(ole, "co-mat-khau.xlsx")).toEqual({ ok: false, reason: "unreadable" }); // password-protected
    const html = utf8('\uFEFF<html xmlns:x="urn:schemas-microsoft-com:office:excel"><table><tr><td>Tên</td></tr></table></html>');
    expect(await readSpreadsheet(html, "export.xls")).toEqual({ ok: false, reason: "legacy_xls" });
  });

  it("tells a zip that is no workbook from a damaged workbook and a zip bomb", async () => {
    const docx = zipOf([{ name: "word/document.xml", data: utf8("<w:document/>") }]);
    expect(await readSpreadsheet(docx, "ds.xlsx")).toEqual({ ok: false, reason: "not_spreadsheet" });
    expect(await readSpreadsheet(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5]), "ds.xlsx")).toEqual({ ok: false, reason: "unreadable" });
    const lying = zipOf([{ name: "xl/workbook.xml", data: new Uint8Array(5_000_000), declaredSize: 1000 }]);
    expect(lying.length).toBeLessThan(MAX_ROSTER_FILE_BYTES);
    expect(await readSpreadsheet(lying, "ds.xlsx")).toEqual({ ok: false, reason: "unreadable" });
    const huge = zipOf([{ name: "xl/workbook.xml", data: new Uint8Array(50_000_000) }]);
    expect(huge.length).toBeLessThan(MAX_ROSTER_FILE_BYTES);
    expect(await readSpreadsheet(huge, "ds.xlsx")).toEqual({ ok: false, reason: "unreadable" });
    const fake = zipOf([{ name: "xl/workbook.xml", data: utf8("not xml at all") }]);
    expect(await readSpreadsheet(fake, "ds.xlsx")).toEqual({ ok: false, reason: "unreadable" });
  });
});

describe("readSpreadsheet: XLSX", () => {
  it("reads the fixture roster with sheet row numbers", async () => {
    const result = await readSpreadsheet(await rosterXlsx(ROSTER_30_WITH_3_BROKEN), "whatever.bin");
    expect(result.ok && result.format).toBe("xlsx");
    const rows = rowsOf(result);
    expect(rows).toHaveLength(31);
    expect(rows[0]).toEqual({ line: 1, cells: ROSTER_30_WITH_3_BROKEN[0] });
    expect(rows[5]?.line).toBe(6);
    expect(rows[5]?.cells[1]).toBe("");
    expect(rows[30]?.cells.slice(0, 2)).toEqual(["30", "La Văn Sơn"]);
  });

  it("turns every kind of cell into plain text", async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet("Đảng viên");
    sheet.getCell("A1").value = "Họ và tên";
    sheet.getCell("B1").value = "SĐT";
    sheet.getCell("C1").value = "Từ ngày";
    sheet.getCell("D1").value = "Số";
    sheet.getCell("A3").value = { richText: [{ text: "Nguyễn " }, { text: "Văn Hùng", font: { bold: true } }] };
    sheet.getCell("B3").value = "0912345678";
    sheet.getCell("C3").value = new Date(Date.UTC(2026, 1, 3));
    sheet.getCell("C3").numFmt = "dd/mm/yyyy";
    sheet.getCell("D3").value = 0.1 + 0.2;
    sheet.getCell("A4").value = { text: "Trần Thị Mai", hyperlink: "https://example.org" };
    sheet.getCell("B4").value = 912345678;
    sheet.getCell("C4").value = { formula: "DATE(2026,12,31)", result: new Date(Date.UTC(2026, 11, 31)) };
    sheet.getCell("D4").value = { formula: "1+2", result: 3 };
    sheet.getCell("E4").value = true;
    sheet.mergeCells("A5:C5");
    sheet.getCell("A5").value = "Gộp ô";
    sheet.getCell("D5").value = { error: "#N/A" };
    sheet.getCell("A7").value = "   ";
    sheet.getCell("A8").value = 1234.5;
    sheet.getCell("B8").value = null;
    sheet.getCell("C8").value = "";
    workbook.addWorksheet("Sheet2").getCell("A1").value = "không đọc";

    const result = await readSpreadsheet(new Uint8Array(await workbook.xlsx.writeBuffer()), "ds.xlsx");
    expect(rowsOf(result)).toEqual([
      { line: 1, cells: ["Họ và tên", "SĐT", "Từ ngày", "Số"] },
      { line: 3, cells: ["Nguyễn Văn Hùng", "0912345678", "2026-02-03", "0.3"] },
      { line: 4, cells: ["Trần Thị Mai", "912345678", "2026-12-31", "3", "TRUE"] },
      { line: 5, cells: ["Gộp ô"] },
      { line: 8, cells: ["1234.5"] },
    ]);
  });

  it("reads the first visible worksheet", async () => {
    const workbook = new ExcelJS.Workbook();
    const hidden = workbook.addWorksheet("Cũ");
    hidden.state = "hidden";
    hidden.getCell("A1").value = "cũ";
    workbook.addWorksheet("Mới").getCell("A2").value = "mới";
    expect(rowsOf(await readSpreadsheet(new Uint8Array(await workbook.xlsx.writeBuffer()), "ds.xlsx"))).toEqual([{ line: 2, cells: ["mới"] }]);
  });

  it("refuses an empty workbook and one with too many rows", async () => {
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet("Trống");
    expect(await readSpreadsheet(new Uint8Array(await empty.xlsx.writeBuffer()), "ds.xlsx")).toEqual({ ok: false, reason: "empty" });
    const rows = Array.from({ length: MAX_TABLE_ROWS + 1 }, (_, i) => [`Người ${i}`]);
    expect(await readSpreadsheet(await rosterXlsx(rows), "ds.xlsx")).toEqual({ ok: false, reason: "too_many_rows" });
  });
});

describe("writeCsv", () => {
  const table = [
    ["Họ và tên", "Chức vụ", "Ghi chú"],
    ["Nguyễn Văn A, con", "Phó bí thư", 'Gọi là "Út"'],
    ["Trần Thị Ánh Tuyết", "Chi ủy viên", "dòng 1\ndòng 2"],
    ["Đặng Quốc Bảo", "Đảng viên", ""],
  ];

  it("writes UTF-8 with BOM, CRLF and RFC 4180 quoting", () => {
    const bytes = writeCsv(table);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.subarray(3));
    expect(text).toBe(
      'Họ và tên,Chức vụ,Ghi chú\r\n"Nguyễn Văn A, con",Phó bí thư,"Gọi là ""Út"""\r\nTrần Thị Ánh Tuyết,Chi ủy viên,"dòng 1\ndòng 2"\r\nĐặng Quốc Bảo,Đảng viên,\r\n',
    );
  });

  it("round-trips through readSpreadsheet keeping the Vietnamese text exactly", async () => {
    expect(cellsOf(await readSpreadsheet(writeCsv(table), "ds.csv"))).toEqual(table.map((r) => (r[2] === "" ? r.slice(0, 2) : r)));
    expect(cellsOf(await readSpreadsheet(writeCsv(table, { delimiter: ";" }), "ds.csv"))).toEqual(table.map((r) => (r[2] === "" ? r.slice(0, 2) : r)));
  });

  it("keeps Excel from running a cell as a formula", async () => {
    const dangerous = [['=HYPERLINK("http://x","bấm")', "+84912345678", "-1", "@SUM(A1)", " =1+1", "an toàn"]];
    const text = new TextDecoder().decode(writeCsv(dangerous).subarray(3));
    expect(text).toBe(`"'=HYPERLINK(""http://x"",""bấm"")",'+84912345678,'-1,'@SUM(A1),' =1+1,an toàn\r\n`);
    for (const cell of text.trim().split(",")) expect(cell.replace(/^"/, "")).not.toMatch(/^[=+\-@]/);
    expect(cellsOf(await readSpreadsheet(writeCsv(dangerous), "ds.csv"))).toEqual([
      ['=HYPERLINK("http://x","bấm")', "+84912345678", "-1", "@SUM(A1)", "=1+1", "an toàn"],
    ]);
  });
});

describe("writeXlsx", () => {
  const table = [
    ["Họ và tên", "Loại", "Tình trạng", "Đến ngày", "Số điện thoại"],
    ["Nguyễn Thị Thanh Hương", "Chính thức", "Sinh hoạt tạm thời", "2026-12-31", "0868999000"],
    ["Đỗ Minh Tuấn", "Dự bị", "Tạm miễn sinh hoạt", "2026-07-31", "=1+1"],
  ];

  it("round-trips through readSpreadsheet", async () => {
    const result = await readSpreadsheet(await writeXlsx("Danh sách đảng viên", table), "ds.xlsx");
    expect(result.ok && result.format).toBe("xlsx");
    expect(rowsOf(result)).toEqual(table.map((cells, i) => ({ line: i + 1, cells })));
  });

  it("makes the header bold and frozen, sizes the columns and keeps text as text", async () => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(
      Buffer.from(await writeXlsx("Chi bộ: Khu phố 3 / 2026 [bản chính] dài hơn ba mươi mốt ký tự", table)) as unknown as ExcelJS.Buffer,
    );
    const sheet = workbook.worksheets[0];
    expect(sheet?.name.length).toBeLessThanOrEqual(31);
    expect(sheet?.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(sheet?.getRow(2).getCell(1).font?.bold).not.toBe(true);
    expect(sheet?.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(sheet?.getColumn(1).width).toBeGreaterThan(sheet?.getColumn(2).width ?? Infinity);
    expect(sheet?.getColumn(2).width).toBeGreaterThanOrEqual(8);
    expect(sheet?.getCell("E2").type).toBe(ExcelJS.ValueType.String);
    expect(sheet?.getCell("E3").type).toBe(ExcelJS.ValueType.String);
  });
});
