import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  h.clock.set("2026-12-07T03:00:00Z");
});
afterAll(async () => h.close());

const supervisor: Speaker = { id: "supervisor" };
const secretary: Speaker = { id: "secretary" };

async function openSettings() {
  return h.pressLabel(supervisor, await h.command(supervisor, "/canhbao"), "Cài đặt cảnh báo");
}

describe("an org unit's alert settings in the chat", () => {
  it("are shown to the unit's supervisor from /canhbao, with the defaults", async () => {
    const text = plain(await openSettings());
    expect(text).toContain("Cài đặt cảnh báo — Đảng ủy phường Sài Gòn");
    expect(text).toContain("Tính theo năm dương lịch");
    expect(text).toContain("Ngưỡng tỷ lệ dự họp: 85%");
    expect(text).toContain("A1 Vắng không lý do: chi ủy (bí thư, phó bí thư, chi ủy viên), cấp ủy viên phụ trách");
    expect(text).toContain("A5 Tỷ lệ dưới ngưỡng: cấp ủy viên phụ trách");
  });

  it("change with a press, and the new values are what the rules use", async () => {
    let shown = await h.pressLabel(supervisor, await openSettings(), "90%");
    expect(plain(shown)).toContain("Ngưỡng tỷ lệ dự họp: 90%");
    shown = await h.pressLabel(supervisor, shown, "Đổi sang 12 tháng gần nhất");
    expect(plain(shown)).toContain("Tính theo 12 tháng gần nhất");
    shown = await h.pressLabel(supervisor, shown, "A1: thôi báo cấp ủy viên phụ trách");
    expect(plain(shown)).toContain("A1 Vắng không lý do: chi ủy (bí thư, phó bí thư, chi ủy viên)\n");
    shown = await h.pressLabel(supervisor, shown, "A3: đổi người trong chi bộ");
    expect(plain(shown)).toContain("A3 Cảnh báo sớm: bí thư, phó bí thư");
    shown = await h.pressLabel(supervisor, shown, "4 tháng");
    expect(plain(shown)).toContain("4 tháng vắng không lý do trong năm (cảnh báo sớm ở 3 tháng)");
    const branchId = (await h.actor("secretary")).memberships[0]!.branchId;
    const report = await h.core.reports.branchReport(await h.actor("secretary"), branchId, "2026");
    expect(report.ok && report.report.threshold).toBe(0.9);
  });

  it("are not offered to a secretary, and a forged press is refused", async () => {
    expect(
      buttons(await h.command(secretary, "/canhbao"))
        .map((b) => b.label)
        .join(" "),
    ).not.toContain("Cài đặt");
    const payload = buttons(await openSettings()).find((b) => b.label === "80%")!.payload;
    expect(plain(await h.press(secretary, payload))).toContain("không có quyền");
    expect(plain(await openSettings())).toContain("Ngưỡng tỷ lệ dự họp: 90%");
  });
});

describe("the branch's own threshold under its unit's", () => {
  it("is shown on the branch card as raised to what the unit asks", async () => {
    // The unit asks 90 % (set above); the branch keeps its 85 %.
    expect(plain(await h.command(secretary, "/chibo"))).toContain("dưới 90% (chi bộ đặt 85%, nhưng đơn vị yêu cầu tối thiểu 90%)");
  });
});
