import { sql } from "drizzle-orm";
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
    expect(plain(await h.pressLabel(tam, [notice("hoa")], "Có mặt"))).toContain("Đồng chí Ngô Văn Tám đang được miễn hoặc tạm miễn");
    expect(plain(await h.pressLabel({ id: "x" }, [notice("hoa")], "Có mặt"))).toContain("không thuộc chi bộ");
    expect(plain(await h.press(hoa, "rs:y:00000000-0000-0000-0000-000000000000"))).toContain("Không tìm thấy buổi họp");
  });

  it("in the group, answers a press with its toast only, and asks the reason in private", async () => {
    const group = { kind: "group" as const, address: "telegram:-500" };
    const thu: Speaker = { id: "thu", chat: group };
    expect(await h.pressLabel(thu, [notice("hoa")], "Vắng")).toEqual([]);
    expect(h.lastToast).toBe("Đã ghi: đồng chí Bùi Thị Thu vắng. Chibo hỏi lý do trong chat riêng.");
    expect(plain(h.lastPrivate)).toContain("Xin đồng chí cho biết lý do vắng");
    // The reason is typed in the private chat and kept there.
    expect(plain(await h.say({ id: "thu" }, "đi viện thăm mẹ"))).toContain("Lý do: đi viện thăm mẹ");
    expect(await h.pressLabel({ id: "hoa", chat: group }, [notice("hoa")], "Có mặt")).toEqual([]);
    expect(h.lastToast).toBe("Đã ghi: đồng chí Phạm Thị Hoa có mặt.");
    expect(h.lastPrivate).toEqual([]);
  });

  it("in the group, a stranger's or an exempt member's press is refused in the toast, by name, not in the group", async () => {
    const group = { kind: "group" as const, address: "telegram:-500" };
    expect(await h.pressLabel({ id: "outsider", name: "Khách", chat: group }, [notice("hoa")], "Có mặt")).toEqual([]);
    expect(h.lastToast).toBe(
      "Cảm ơn đồng chí Khách. Chibo chỉ ghi câu trả lời của đảng viên chi bộ đã dùng Chibo; nếu đồng chí là đảng viên, xin hỏi bí thư mã mời.",
    );
    expect(await h.pressLabel({ id: "tam", chat: group }, [notice("hoa")], "Có mặt")).toEqual([]);
    expect(h.lastToast).toContain("Đồng chí Ngô Văn Tám đang được miễn");
    expect(await h.pressLabel({ id: "son", chat: group }, [notice("hoa")], "Có mặt")).toEqual([]);
    expect(h.lastToast).toContain("Đồng chí Trịnh Văn Sơn đang chuyển sinh hoạt tạm thời đi nơi khác");
    expect(h.lastPrivate).toEqual([]);
  });
});

describe("typed answers", () => {
  it("a typed absence asks for the reason, as the button does, and keeps the reason typed next", async () => {
    const thu: Speaker = { id: "thu" };
    for (const word of ["vắng", "2"]) {
      const asked = plain(await h.say(thu, word));
      expect(asked).toContain("Đã ghi: đồng chí Bùi Thị Thu vắng buổi họp");
      expect(asked).toContain("Xin đồng chí cho biết lý do vắng");
      expect(plain(await h.say(thu, "bận trông cháu"))).toContain("Lý do: bận trông cháu");
    }
    // A reason given in the same sentence needs no question.
    expect(plain(await h.say(thu, "vắng vì ốm"))).not.toContain("cho biết lý do");
  });

  it("after the meeting has started, says so, and how to check in while the code is open", async () => {
    const secretaryActor = await h.actor("secretary");
    const hoaSpeaker: Speaker = { id: "hoa" };
    h.clock.set("2026-12-03T12:40:00Z");
    const late = plain(await h.say(hoaSpeaker, "có"));
    expect(late).toContain("Buổi họp 19:30 Thứ Năm, 03/12/2026 đã bắt đầu");
    expect(late).not.toContain("mã điểm danh");
    const meeting = await h.core.rollCall.currentMeeting(secretaryActor, secretaryActor.memberships[0]!.branchId);
    if (!meeting.ok) throw new Error("no meeting");
    expect((await h.core.rollCall.startCheckIn(secretaryActor, meeting.meetingId)).ok).toBe(true);
    expect(plain(await h.say(hoaSpeaker, "co mat"))).toContain("gõ mã điểm danh 6 chữ số");
    h.clock.set("2026-12-01T00:00:00Z");
  });
});

describe("the secretary's view", () => {
  it("shows the tally with reasons and who has not answered, with the numbers to call, and nudges them once an hour", async () => {
    await h.database.db.execute(sql`update memberships set phone = '0987654321' where roster_name = 'Cao Thị Yến'`);
    const list = await h.command(secretary, "/lichhop");
    // The 3 December meeting is the first listed; 📊 is its tally.
    const tally = await h.pressLabel(secretary, list, "1 📊");
    const text = plain(tally);
    expect(text).toContain("Có mặt 1 · Vắng 3 · Chưa chắc 0 · Chưa trả lời 7");
    expect(text).toContain("Vũ Thị Mai: ốm");
    expect(text).toContain("📞 Chưa trả lời, chưa dùng Chibo — cần gọi điện:\n• Cao Thị Yến — 0987 654 321");
    expect(plain(await h.pressLabel(secretary, tally, "Nhắc người chưa trả lời"))).toContain("Đã gửi lời nhắc cho 6 người");
    expect(plain(await h.pressLabel(secretary, tally, "Nhắc người chưa trả lời"))).toContain("Đã nhắc trong vòng một giờ qua");
  });

  it("is not for a plain member", async () => {
    const tally = buttons(await h.command(secretary, "/lichhop")).find((b) => b.label === "1 📊")!;
    expect(plain(await h.press(hoa, tally.payload))).toContain("không có quyền");
  });
});
