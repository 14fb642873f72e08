import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { createStore } from "../../src/store/index.ts";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

/** Replies to a notice: buttons, typed words, the reason dialog, the tally and the nudge. */
let h: Harness;
let notice: (who: string) => OutgoingMessage;

beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  h.clock.set("2026-11-25T00:00:00Z");
  await h.core.planner.ensureOccurrences();
  // The notice of the 3 December meeting goes out three days before.
  h.clock.set("2026-11-30T12:30:00Z");
  await h.core.planner.planDueReminders();
  const store = createStore(h.database.db);
  const claimed = await store.outbox.claim(h.clock.now(), 100, 60_000);
  const { createNoticeRenderer } = await import("../../handlers/framework/notices.ts");
  const { features } = await import("../../handlers/index.ts");
  const render = createNoticeRenderer(features);
  notice = (who) => {
    const row = claimed.find((c) => c.address === `sandbox:${who}` && c.kind === "meeting.notice")!;
    return render(row.notice, h.i18n.t("vi"), "vi");
  };
});
afterAll(async () => h.close());

const secretary: Speaker = { id: "secretary" };
const hoa: Speaker = { id: "hoa" };
const nam: Speaker = { id: "nam" };
const mai: Speaker = { id: "mai" };
const tam: Speaker = { id: "tam" };

describe("answering a notice", () => {
  it("puts the three answers under the notice, but not under the supervisor's copy", () => {
    expect(buttons([notice("hoa")]).map((b) => b.label)).toEqual(["✅ Có mặt", "📝 Vắng (có lý do)", "❔ Chưa chắc", "📅 Thêm vào lịch"]);
    expect(buttons([notice("supervisor")]).map((b) => b.label)).toEqual(["📅 Thêm vào lịch"]);
  });

  it("records “có mặt” from the button", async () => {
    const replies = await h.pressLabel(hoa, [notice("hoa")], "Có mặt");
    expect(plain(replies)).toContain("Đã ghi: đồng chí Phạm Thị Hoa có mặt ở buổi họp 19:30 Thứ Năm, 03/12/2026");
  });

  it("asks the reason after “Vắng”, and bounds a very long one", async () => {
    const asked = await h.pressLabel(nam, [notice("nam")], "Vắng");
    expect(plain(asked)).toContain("Xin đồng chí cho biết lý do vắng");
    const replies = await h.say(nam, `Đi công tác ${"rất xa ".repeat(1000)}`);
    expect(plain(replies)).toContain("Đã ghi: đồng chí Hoàng Văn Nam vắng buổi họp");
    expect(plain(replies)).toContain("Chibo chỉ giữ 500 ký tự đầu");
  });

  it("understands typed answers, as on Zalo", async () => {
    expect(plain(await h.say(mai, "chua chac"))).toContain("chưa chắc dự buổi họp");
    expect(plain(await h.say(mai, "Vắng vì ốm"))).toContain("Lý do: ốm");
  });

  it("lets an answer change until the meeting starts, then says it has started", async () => {
    expect(plain(await h.pressLabel(hoa, [notice("hoa")], "Chưa chắc"))).toContain("chưa chắc");
    h.clock.set("2026-12-03T12:31:00Z");
    expect(plain(await h.pressLabel(hoa, [notice("hoa")], "Có mặt"))).toContain("Buổi họp đã bắt đầu");
    h.clock.set("2026-12-01T00:00:00Z");
  });

  it("tells an exempt member no answer is needed, and a stranger's button does nothing", async () => {
    expect(plain(await h.pressLabel(tam, [notice("hoa")], "Có mặt"))).toContain("được miễn hoặc tạm miễn");
    expect(plain(await h.pressLabel({ id: "x" }, [notice("hoa")], "Có mặt"))).toContain("không thuộc chi bộ");
    expect(plain(await h.press(hoa, "rs:y:00000000-0000-0000-0000-000000000000"))).toContain("Không tìm thấy buổi họp");
  });

  it("in the group, records the presser and keeps the reason out of the group", async () => {
    const group = { kind: "group" as const, address: "telegram:-500" };
    const replies = await h.pressLabel({ id: "thu", chat: group }, [notice("hoa")], "Vắng");
    expect(plain(replies)).toContain("Đã ghi: đồng chí Bùi Thị Thu vắng");
    expect(plain(replies)).toContain("nhắn riêng cho Chibo");
    expect(plain(await h.pressLabel({ id: "outsider", name: "Khách", chat: group }, [notice("hoa")], "Có mặt"))).toContain("Chibo chỉ ghi câu trả lời của đảng viên");
  });
});

describe("the secretary's view", () => {
  it("shows the tally with reasons and who has not answered, and nudges them once an hour", async () => {
    const list = await h.command(secretary, "/lichhop");
    const tally = await h.pressLabel(secretary, list, "Ai đã trả lời");
    const text = plain(tally);
    expect(text).toContain("Có mặt 0 · Vắng 3 · Chưa chắc 1 · Chưa trả lời 7");
    expect(text).toContain("Vũ Thị Mai: ốm");
    expect(text).toContain("Cao Thị Yến (chưa dùng Chibo, cần gọi điện)");
    expect(plain(await h.pressLabel(secretary, tally, "Nhắc người chưa trả lời"))).toContain("Đã gửi lời nhắc cho 6 người");
    expect(plain(await h.pressLabel(secretary, tally, "Nhắc người chưa trả lời"))).toContain("Đã nhắc trong vòng một giờ qua");
  });

  it("is not for a plain member", async () => {
    const tally = buttons(await h.command(secretary, "/lichhop")).find((b) => b.label.includes("Ai đã trả lời"))!;
    expect(plain(await h.press(hoa, tally.payload))).toContain("không có quyền");
  });
});
