import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  h.clock.set("2026-11-25T00:00:00Z");
  await h.core.planner.ensureOccurrences();
  // Replies before the meeting of 3 December, 19:30 (12:30Z).
  h.clock.set("2026-12-02T00:00:00Z");
  const meetingId = (await h.core.attendance.meetingToAnswer(await actor("hoa")))!.meeting.id;
  await h.core.attendance.reply(await actor("hoa"), meetingId, "yes");
  await h.core.attendance.reply(await actor("nam"), meetingId, "no", "ốm");
  await h.core.attendance.reply(await actor("thu"), meetingId, "no");
});
afterAll(async () => h.close());

const actor = (id: string) => h.actor(id);
const secretary: Speaker = { id: "secretary" };
const press = (who: Speaker, replies: OutgoingMessage[], label: string | RegExp) => h.pressLabel(who, replies, label);
/** Presses the number of a person on the roll call, paging forward to find them. */
const toggle = (name: string, who = secretary) => h.pressNumberOf(who, "/diemdanh", name);
/** The secretary opens a member's card from /thanhvien. */
const memberCard = (name: string) => h.pressNumberOf(secretary, "/thanhvien", name);

describe("/diemdanh", () => {
  it("is not open before the hour before the meeting", async () => {
    expect(plain(await h.command(secretary, "/diemdanh"))).toContain("Chưa có buổi họp nào để điểm danh");
  });

  it("opens pre-filled from the replies, with the exempt outside the count", async () => {
    h.clock.set("2026-12-03T12:40:00Z");
    const first = await h.command(secretary, "/diemdanh");
    const text = `${plain(first)}\n${plain(await press(secretary, first, "Sau"))}`;
    expect(text).toContain("Điểm danh — Chi bộ Khu phố 10, 19:30 Thứ Năm, 03/12/2026");
    expect(text).toContain("✅ Phạm Thị Hoa");
    expect(text).toContain("❌ Hoàng Văn Nam — vắng, báo lý do: ốm (chưa xét)");
    expect(text).toContain("➖ Ngô Văn Tám — miễn sinh hoạt, không tính");
    expect(text).toContain("➖ Trịnh Văn Sơn — chuyển sinh hoạt tạm thời đi, không tính");
    expect(text).toContain("Có mặt 1/11 (9,1%)");
  });

  it("gives the exempt and transferred-out rows buttons that say what they do, never an ❌", async () => {
    const first = await h.command(secretary, "/diemdanh");
    const pages = [...first, ...(await press(secretary, first, "Sau"))];
    const text = plain(pages);
    const numberOf = (name: string) => /(\d+)\. /.exec(text.split("\n").find((l) => l.includes(name))!)![1]!;
    const labels = buttons(pages).map((b) => b.label);
    for (const name of ["Ngô Văn Tám", "Đỗ Thị Cúc", "Trịnh Văn Sơn"]) {
      expect(labels).toContain(`${numberOf(name)} ➕ Dự họp (không tính)`);
      expect(labels).not.toContain(`${numberOf(name)} ❌`);
    }
    expect(text).toContain("bấm “Dự họp” ở số của họ");
  });

  it("marks people present by number, and members check in with the code", async () => {
    for (const name of ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Văn Minh", "Vũ Thị Mai", "Lý Thị Hạnh", "Phan Văn Đức"])
      expect(plain(await toggle(name))).toContain(`✅ ${name}`);
    const code = /Mã điểm danh: (\d{6})/.exec(plain(await press(secretary, await h.command(secretary, "/diemdanh"), "Mã điểm danh")))![1]!;
    expect(plain(await h.say({ id: "khoa" }, "000000"))).toContain("The check-in code is wrong");
    // Typed as it is read out, in two groups of three.
    expect(plain(await h.say({ id: "khoa" }, `${code.slice(0, 3)} ${code.slice(3)}`))).toContain("Checked in");
    const list = plain(await h.command(secretary, "/diemdanh"));
    expect(list).toContain("Có mặt 8/11 (72,7%)");
    // The secretary sees who checked in by code, to confirm by closing (or undo).
    expect(list).toContain("✅ Đặng Minh Khoa — tự điểm danh bằng mã");
  });

  it("records an exempt or transferred-out member who types the code as attending apart, and tells them", async () => {
    const code = /Mã điểm danh: (\d{6})/.exec(plain(await press(secretary, await h.command(secretary, "/diemdanh"), "Mã điểm danh")))![1]!;
    expect(plain(await h.say({ id: "tam" }, `${code.slice(0, 3)}-${code.slice(3)}`))).toContain(
      "Vì đồng chí thuộc diện miễn sinh hoạt, đồng chí dự họp nhưng không tính vào số đảng viên phải có mặt",
    );
    expect(plain(await h.say({ id: "son" }, code))).toContain("thuộc diện chuyển sinh hoạt tạm thời đi");
    const first = await h.command(secretary, "/diemdanh");
    const text = `${plain(first)}\n${plain(await press(secretary, first, "Sau"))}`;
    // Still 8 of 11: the two are listed apart, outside the count and the rate.
    expect(text).toContain("Có mặt 8/11 (72,7%)");
    expect(text).toContain("· Dự họp nhưng không tính 2");
    expect(text).toContain("☑️ Ngô Văn Tám — miễn sinh hoạt, dự họp nhưng không tính");
    expect(text).toContain("☑️ Trịnh Văn Sơn — chuyển sinh hoạt tạm thời đi, dự họp nhưng không tính");
    // Their buttons now undo it; Sơn leaves again (he came by mistake), Tám stays.
    expect([...buttons(first), ...buttons(await press(secretary, first, "Sau"))].some((b) => b.label.endsWith("↩ Bỏ dự họp"))).toBe(true);
    expect(plain(await toggle("Trịnh Văn Sơn"))).toContain("➖ Trịnh Văn Sơn — chuyển sinh hoạt tạm thời đi, không tính");
  });

  it("lets a committee member see it, and mark people only once the secretary allows", async () => {
    const committee: Speaker = { id: "committee" };
    const viewOnly = await h.command(committee, "/diemdanh");
    expect(plain(viewOnly)).toContain("xin bí thư cho phép trong /thanhvien");
    expect(buttons(viewOnly).map((b) => b.label)).not.toContain("Chốt điểm danh");
    expect(buttons(viewOnly).some((b) => /^\d+ /.test(b.label))).toBe(false);

    const allowed = await press(secretary, await memberCard("Lê Văn Minh"), "Cho phép điểm danh");
    expect(plain(allowed)).toContain("Đã cho phép đồng chí Lê Văn Minh điểm danh");
    expect(plain(allowed)).toContain("Được điểm danh ở buổi họp");
    expect(plain((await h.deliver()).filter((n) => n.address === "sandbox:committee").map((n) => n.message))).toContain(
      "Bí thư đã cho phép đồng chí điểm danh các buổi họp của Chi bộ Khu phố 10",
    );

    const list = await h.command(committee, "/diemdanh");
    const labels = buttons(list).map((b) => b.label);
    expect(labels.some((l) => /^\d+ /.test(l))).toBe(true);
    expect(labels.some((l) => l.includes("Khách mời"))).toBe(true);
    expect(labels.some((l) => l.includes("Chốt điểm danh") || l.includes("Xét lý do vắng") || l.includes("Mã điểm danh"))).toBe(false);
    // Marks Yến present and back; whether her absence is excused stays the secretary's call.
    expect(plain(await toggle("Cao Thị Yến", committee))).toContain("✅ Cao Thị Yến");
    expect(plain(await toggle("Cao Thị Yến", committee))).toContain("❌ Cao Thị Yến");
    const minh = await actor("committee");
    const found = await h.core.rollCall.currentMeeting(minh, minh.memberships[0]!.branchId);
    if (!found.ok) throw new Error("no meeting");
    const view = await h.core.rollCall.view(minh, found.meetingId);
    if (!view.ok) throw new Error("no view");
    const yen = view.view.lines.find((l) => l.name === "Cao Thị Yến")!.membershipId;
    expect(await h.core.rollCall.mark(minh, found.meetingId, yen, { absence: "excused" })).toEqual({ ok: false, reason: "forbidden" });
    expect(await h.core.rollCall.close(minh, found.meetingId)).toEqual({ ok: false, reason: "forbidden" });

    expect(plain(await press(secretary, await memberCard("Lê Văn Minh"), "Thôi giao điểm danh"))).toContain("không còn điểm danh nữa");
    expect(plain((await h.deliver()).map((n) => n.message))).toContain("không còn điểm danh các buổi họp");
    expect(await h.core.rollCall.mark(await actor("committee"), found.meetingId, yen, { present: true })).toEqual({ ok: false, reason: "forbidden" });
  });

  it("refuses to close while absences are undecided, then closes with the minutes counts", async () => {
    let replies = await h.command(secretary, "/diemdanh");
    expect(plain(await press(secretary, replies, "Chốt điểm danh"))).toContain("Còn người vắng chưa xét lý do: Bùi Thị Thu, Cao Thị Yến, Hoàng Văn Nam");
    replies = await press(secretary, replies, "Xét lý do vắng");
    replies = await press(secretary, replies, "Nam: có lý do");
    replies = await press(secretary, replies, "Thu: có lý do");
    // Thu gave no reason: the secretary is asked for one, and a very long one is cut.
    expect(plain(replies)).toContain("Đồng chí Bùi Thị Thu vắng vì lý do gì?");
    replies = await h.say(secretary, `việc gia đình ${"x".repeat(600)}`.slice(0, 900));
    expect(plain(replies)).toContain("chỉ giữ 500 ký tự đầu");
    expect(plain(replies)).toContain("Bùi Thị Thu — vắng có lý do: việc gia đình");
    const yen = buttons(replies).filter((b) => b.label.includes("không lý do"));
    replies = await h.press(secretary, yen.at(-1)!.payload);
    expect(plain(replies)).toContain("Cao Thị Yến — vắng không lý do");
    const closed = plain(await press(secretary, await h.command(secretary, "/diemdanh"), "Chốt điểm danh"));
    expect(closed).toContain("Tổng số đảng viên: 14 (12 chính thức, 2 dự bị)");
    expect(closed).toContain("Phải triệu tập: 11 (miễn 2, chuyển đi 1, sinh hoạt tạm thời 1)");
    expect(closed).toContain("Có mặt: 8 — tỷ lệ 72,7%");
    expect(closed).toContain("Dự họp nhưng không tính (1): Ngô Văn Tám (miễn sinh hoạt)");
    expect(closed).toMatch(/Vắng có lý do \(2\): Bùi Thị Thu \(việc gia đình x+…\), Hoàng Văn Nam \(ốm\)/);
    expect(closed).toContain("Vắng không lý do (1): Cao Thị Yến");
    // Full members 12; minus Sơn (transferred), Cúc (exempt, absent), Nam (excused) = 9: Tám, exempt,
    // came and so votes. Present among them: Hùng, Lan, Minh, Mai, Hoa, Hạnh, Đức, Tám (Khoa is probationary).
    expect(closed).toContain("Số đảng viên để tính biểu quyết: 9, trong đó có mặt 8");
  });

  it("keeps changes after closing in the audit log", async () => {
    await toggle("Cao Thị Yến");
    const log = await h.database.db.query.auditLog.findMany({ where: (a, { eq }) => eq(a.action, "rollcall.edit") });
    expect(log).toHaveLength(1);
  });

  it("tells a member it is the secretary's, and how to check in with the code", async () => {
    const text = plain(await h.command({ id: "hoa" }, "/diemdanh"));
    expect(text).toContain("Điểm danh do bí thư chi bộ");
    expect(text).toContain("gõ mã đó vào đây để được ghi có mặt");
    expect(text).not.toContain("chưa thuộc chi bộ nào");
  });
});

describe("roll call on a cancelled meeting", () => {
  it("is refused with the reason", async () => {
    h.clock.set("2026-12-20T00:00:00Z");
    const secretaryActor = await actor("secretary");
    const branchId = secretaryActor.memberships[0]!.branchId;
    const created = await h.core.meetings.createMeeting(secretaryActor, branchId, {
      kind: "extraordinary",
      startsAt: new Date("2026-12-21T01:00:00Z"),
      place: null,
      agenda: null,
    });
    if (!created.ok) throw new Error("not created");
    await h.core.meetings.cancelMeeting(secretaryActor, created.meetingId, "Hoãn");
    expect(await h.core.rollCall.view(secretaryActor, created.meetingId)).toEqual({ ok: false, reason: "cancelled" });
  });
});

describe("two people calling the roll at once", () => {
  it("lets the last write win and tells both", async () => {
    h.clock.set("2026-12-21T01:30:00Z");
    const secretaryActor = await actor("secretary");
    const branchId = secretaryActor.memberships[0]!.branchId;
    const created = await h.core.meetings.createMeeting(secretaryActor, branchId, {
      kind: "extraordinary",
      startsAt: new Date("2026-12-21T02:00:00Z"),
      place: null,
      agenda: null,
    });
    if (!created.ok) throw new Error("not created");
    h.clock.set("2026-12-21T02:05:00Z");
    const view = await h.core.rollCall.view(secretaryActor, created.meetingId);
    if (!view.ok) throw new Error("no view");
    const hoa = view.view.lines.find((l) => l.name === "Phạm Thị Hoa")!;
    expect(await h.core.rollCall.mark(secretaryActor, created.meetingId, hoa.membershipId, { present: true })).toEqual({ ok: true, overrode: null });
    const deputyResult = await h.core.rollCall.mark(await actor("deputy"), created.meetingId, hoa.membershipId, { present: false });
    expect(deputyResult).toEqual({ ok: true, overrode: "Nguyễn Văn Hùng" });
    const told = (await h.deliver()).filter((n) => n.address === "sandbox:secretary").map((n) => n.message);
    expect(plain(told)).toContain("vừa sửa điểm danh của Phạm Thị Hoa thành: vắng");
  });
});

describe("the roll call's questions and its guests", () => {
  it("brings the secretary back to the roll call as it stands when she types “hủy” at the guest's name", async () => {
    h.clock.set("2026-12-22T01:30:00Z");
    const chief = await actor("secretary");
    const created = await h.core.meetings.createMeeting(chief, chief.memberships[0]!.branchId, {
      kind: "extraordinary",
      startsAt: new Date("2026-12-22T02:00:00Z"),
      place: null,
      agenda: null,
    });
    if (!created.ok) throw new Error("not created");
    h.clock.set("2026-12-22T02:05:00Z");
    const question = await press(secretary, await h.command(secretary, "/diemdanh"), "Khách mời");
    expect(plain(question)).toContain("Gõ “hủy” để quay lại danh sách điểm danh.");
    const back = plain(await h.say(secretary, "hủy"));
    expect(back).toContain("Đã hủy câu hỏi; điểm danh giữ nguyên như dưới đây.");
    expect(back).toContain("Điểm danh — Chi bộ Khu phố 10");
    expect(back).toContain("Khách 0");
  });

  it("lists the guests on the roll call, and removes one added by mistake", async () => {
    await press(secretary, await h.command(secretary, "/diemdanh"), "Khách mời");
    await h.say(secretary, "Võ Thành Trung");
    h.clock.advance(60_000);
    await press(secretary, await h.command(secretary, "/diemdanh"), "Khách mời");
    const list = await h.say(secretary, "Nguyễn Văn Nhầm");
    expect(plain(list)).toContain("Khách mời (2): Võ Thành Trung, Nguyễn Văn Nhầm");
    expect(plain(list)).toContain("Khách 2");
    const removed = plain(await press(secretary, list, "Bỏ khách: Nguyễn Văn Nhầm"));
    expect(removed).toContain("Đã bỏ khách mời Nguyễn Văn Nhầm khỏi danh sách.");
    expect(removed).toContain("Khách mời (1): Võ Thành Trung");
    expect(removed).toContain("Khách 1");
  });

  it("drops the guest question when she goes back to the list, so later words are not a guest", async () => {
    const question = await press(secretary, await h.command(secretary, "/diemdanh"), "Khách mời");
    expect(plain(await press(secretary, question, "Danh sách"))).toContain("Khách mời (1): Võ Thành Trung");
    await h.say(secretary, "Ông Ba");
    expect(plain(await h.command(secretary, "/diemdanh"))).toContain("Khách mời (1): Võ Thành Trung");
  });

  it("brings her back to the absences, unchanged, when she types “huy” at the reason", async () => {
    const reasons = await press(secretary, await h.command(secretary, "/diemdanh"), "Xét lý do vắng");
    const question = await press(secretary, reasons, "Hoa: có lý do");
    expect(plain(question)).toContain("Đồng chí Phạm Thị Hoa vắng vì lý do gì?");
    const back = await h.say(secretary, "huy");
    expect(plain(back)).toContain("Đã hủy câu hỏi; điểm danh giữ nguyên");
    expect(plain(back)).toContain("Xét lý do vắng");
    expect(plain(back)).toContain("Phạm Thị Hoa — vắng, chưa xét lý do");
    // Then the right choice: excused, reason not known.
    const again = await press(secretary, back, "Hoa: có lý do");
    const excused = await press(secretary, again, "Không rõ lý do");
    expect(plain(excused)).toContain("Phạm Thị Hoa — vắng có lý do: không nêu");
    // Learnt later by phone: choosing it again asks for the reason, and the new one replaces it.
    expect(plain(await press(secretary, excused, "Hoa: có lý do"))).toContain("Đồng chí Phạm Thị Hoa vắng vì lý do gì?");
    expect(plain(await h.say(secretary, "đi viện"))).toContain("Phạm Thị Hoa — vắng có lý do: đi viện");
  });
});
