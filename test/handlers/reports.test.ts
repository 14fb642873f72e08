import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { holdDemoMonth } from "../helpers/demo-roll-call.ts";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

/** Three months of the demo branch (Mai unexcused each time, Nam excused each time), read on 7 December. */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  await holdDemoMonth(h, "2026-10", { unexcused: ["Vũ Thị Mai"], excused: { "Hoàng Văn Nam": "đi viện" } });
  await holdDemoMonth(h, "2026-11", { unexcused: ["Vũ Thị Mai"], excused: { "Hoàng Văn Nam": "đi viện" } });
  await holdDemoMonth(h, "2026-12", { unexcused: ["Vũ Thị Mai"], excused: { "Hoàng Văn Nam": "vẫn nằm viện" } });
  h.clock.set("2026-12-07T03:00:00Z");
});
afterAll(async () => h.close());

const secretary: Speaker = { id: "secretary" };
const supervisor: Speaker = { id: "supervisor" };
const attachmentOf = (replies: OutgoingMessage[]) => replies.find((m) => m.attachment)?.attachment;

function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe("/baocao for the secretary", () => {
  it("offers this and the last month, quarter and year", async () => {
    const asked = await h.command(secretary, "/baocao");
    expect(plain(asked)).toContain("Báo cáo dự sinh hoạt — Chi bộ Khu phố 10");
    expect(buttons(asked).map((b) => b.label)).toEqual(["Tháng 12/2026", "Tháng 11/2026", "Quý IV/2026", "Quý III/2026", "Năm 2026", "Năm 2025"]);
  });

  it("shows the quarter's meetings, who needs looking after, and the chart with its alt text", async () => {
    const shown = await h.pressLabel(secretary, await h.command(secretary, "/baocao"), "Quý IV/2026");
    const text = plain(shown);
    expect(text).toContain("Chi bộ Khu phố 10 — Quý IV/2026");
    expect(text).toContain("3 cuộc họp; có mặt 27/33 lượt đảng viên (81,8%); ngưỡng 85,0%.");
    expect(text).toMatch(/\(Thường kỳ\): có mặt 9\/11 \(81,8%\) — chưa đạt: tỷ lệ chưa trên 85,0%; có người vắng không lý do/);
    expect(text).toContain("Vũ Thị Mai: có mặt 0/3, vắng có lý do 0, vắng không lý do 3");
    expect(text).toContain("Đang có");
    const chart = attachmentOf(shown)!;
    expect(chart.mimeType).toBe("image/png");
    expect(pngSize(chart.bytes).width).toBeGreaterThanOrEqual(1000);
    expect(chart.caption).toContain("T10: 81,8%; T11: 81,8%; T12: 81,8%");
  });

  it("exports the same numbers as XLSX and CSV", async () => {
    const shown = await h.pressLabel(secretary, await h.command(secretary, "/baocao"), "Quý IV/2026");
    const xlsx = attachmentOf(await h.pressLabel(secretary, shown, "Tải Excel"))!;
    expect(xlsx.filename).toBe("bao-cao-du-hop-2026-Q4.xlsx");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Các cuộc họp")!;
    const values: unknown[][] = [];
    sheet.eachRow((row) => values.push((row.values as unknown[]).slice(1)));
    const meetings = values.filter((r) => r[2] === 11);
    expect(meetings.map((r) => [r[3], r[4], r[5]])).toEqual([
      [9, 1, 1],
      [9, 1, 1],
      [9, 1, 1],
    ]);
    const csv = attachmentOf(await h.pressLabel(secretary, shown, "Tải CSV"))!;
    expect(new TextDecoder().decode(csv.bytes)).toContain("Vũ Thị Mai");
  });

  it("is not for a member, who is pointed to /toi", async () => {
    expect(plain(await h.command({ id: "hoa" }, "/baocao"))).toContain("/toi");
  });
});

describe("/baocao for the supervisor", () => {
  it("ranks the branches of the ward, with the chart and the workbook", async () => {
    const shown = await h.pressLabel(supervisor, await h.command(supervisor, "/baocao"), "Quý IV/2026");
    const text = plain(shown);
    expect(text).toContain("Các chi bộ thuộc Đảng ủy phường Sài Gòn — Quý IV/2026");
    expect(text).toContain("1. Chi bộ Khu phố 10: 81,8%");
    expect(attachmentOf(shown)?.caption).toContain("Chi bộ Khu phố 10: 81,8%");
    const xlsx = attachmentOf(await h.pressLabel(supervisor, shown, "Tải Excel"))!;
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(["Đảng ủy phường Sài Gòn", "Chi bộ Khu phố 10"]);
    // A branch of the ranking opens its own report.
    expect(plain(await h.pressLabel(supervisor, shown, "1. Chi bộ Khu phố 10"))).toContain("Chi bộ Khu phố 10 — Quý IV/2026");
  });

  it("refuses a forged button for a unit the person does not supervise", async () => {
    const shown = await h.pressLabel(supervisor, await h.command(supervisor, "/baocao"), "Quý IV/2026");
    const payload = buttons(shown).find((b) => b.label.includes("Tải Excel"))!.payload;
    expect(plain(await h.press(secretary, payload))).toContain("không có quyền");
  });
});

describe("/toi for a member", () => {
  it("shows her own year: each meeting, what was recorded, and what the branch is looking out for", async () => {
    const mai: Speaker = { id: "mai" };
    const year = plain(await h.pressLabel(mai, await h.command(mai, "/toi"), "Việc dự họp của tôi"));
    expect(year).toContain("Việc dự sinh hoạt của đồng chí — Chi bộ Khu phố 10, năm 2026");
    expect(year).toContain("Đồng chí có mặt 0/3 buổi; vắng có lý do 0, vắng không lý do 3.");
    expect(year.match(/\(Thường kỳ\): vắng không lý do/g)).toHaveLength(3);
    expect(year).toContain("3 tháng vắng họp không lý do trong năm");
    // Only her own record: nobody else's name, absence or alert.
    for (const other of ["Hoàng Văn Nam", "Phạm Thị Hoa", "đi viện"]) expect(year).not.toContain(other);
  });

  it("shows an excused absence with its reason and that the branch accepted it", async () => {
    const nam: Speaker = { id: "nam" };
    const year = plain(await h.pressLabel(nam, await h.command(nam, "/toi"), "Việc dự họp của tôi"));
    expect(year).toContain("vắng có lý do — lý do: “vẫn nằm viện” (chi bộ chấp nhận)");
    expect(year).toContain("vắng có lý do nhiều buổi liền");
  });
});

describe("/diemdanh for the supervisor", () => {
  it("shows each meeting's result, read-only: counts, absentees with reasons, HD 12", async () => {
    const shown = await h.command(supervisor, "/diemdanh");
    const text = plain(shown);
    expect(text).toContain("Kết quả điểm danh — Chi bộ Khu phố 10");
    expect(text).toContain("Vắng có lý do: Hoàng Văn Nam (vẫn nằm viện)");
    expect(text).toContain("Vắng không lý do: Vũ Thị Mai");
    expect(text).toContain("chưa đạt: tỷ lệ chưa trên 85,0%; có người vắng không lý do");
    // The latest meeting first, and nothing to press but the full report.
    expect(text.indexOf("/12/2026 (")).toBeLessThan(text.indexOf("/10/2026 ("));
    expect(buttons(shown).map((b) => b.label)).toEqual(["📊 Báo cáo đầy đủ"]);
  });
});
