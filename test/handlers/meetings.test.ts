import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  h.clock.set("2026-11-25T00:00:00Z");
  await h.core.planner.ensureOccurrences();
});
afterAll(async () => h.close());

const secretary: Speaker = { id: "secretary" };
const hoa: Speaker = { id: "hoa" };
const committee: Speaker = { id: "committee" };
const khoa: Speaker = { id: "khoa" };
const stranger: Speaker = { id: "nobody" };

const press = (who: Speaker, replies: OutgoingMessage[], label: string | RegExp) => h.pressLabel(who, replies, label);

describe("/lichhop", () => {
  it("shows members the next meetings, without the committee's", async () => {
    const text = plain(await h.command(hoa, "/lichhop"));
    expect(text).toContain("Lịch họp sắp tới — Chi bộ Khu phố 10");
    expect(text).toContain("Thời gian: 19:30 Thứ Năm, 03/12/2026");
    expect(text).toContain("Địa điểm: Nhà văn hóa khu phố 10");
    expect(text).not.toContain("Họp chi ủy");
    expect(buttons(await h.command(hoa, "/lichhop")).map((b) => b.label)).not.toContain("🕑 Dời");
  });

  it("shows the committee its own meeting, and English to an English speaker", async () => {
    expect(plain(await h.command(committee, "/lichhop"))).toContain("Họp chi ủy");
    expect(plain(await h.command(khoa, "/lichhop"))).toContain("Time: 19:30 Thursday, 03/12/2026");
  });

  it("sends a calendar file on request", async () => {
    const replies = await press(hoa, await h.command(hoa, "/lichhop"), "Thêm vào lịch");
    const file = replies[0]!.attachment!;
    expect(file.mimeType).toBe("text/calendar");
    // The file says what it is wherever it is found later.
    expect(file.caption).toBe("📅 Lịch họp: Sinh hoạt chi bộ thường kỳ — Chi bộ Khu phố 10, 19:30 Thứ Năm, 03/12/2026");
    const ics = new TextDecoder().decode(file.bytes);
    expect(ics).toContain("DTSTART:20261203T123000Z");
    expect(ics).toContain("SUMMARY:Chi bộ Khu phố 10");
  });

  it("tells a stranger there is nothing for them", async () => {
    expect(plain(await h.command(stranger, "/lichhop"))).toContain("chưa thuộc chi bộ nào");
  });
});

describe("the secretary's meeting tools", () => {
  it("adds a thematic meeting, refusing a date in the past and an impossible time", async () => {
    let replies = await press(secretary, await h.command(secretary, "/lichhop"), "Thêm buổi họp");
    await press(secretary, replies, "Sinh hoạt chuyên đề");
    expect(plain(await h.say(secretary, "30/02/2026"))).toContain("Ngày chưa đúng");
    await h.say(secretary, "15/12/2026");
    expect(plain(await h.say(secretary, "25:61"))).toContain("Giờ chưa đúng");
    await h.say(secretary, "19:00");
    await h.say(secretary, "-");
    replies = await h.say(secretary, "Học tập Nghị quyết Trung ương");
    expect(plain(replies)).toContain("Sinh hoạt chuyên đề");
    expect(plain(await press(secretary, replies, "Xác nhận"))).toContain("Đã tạo buổi họp");
    expect(plain(await h.command(hoa, "/lichhop"))).toContain("Chuyên đề: Học tập Nghị quyết Trung ương");

    replies = await press(secretary, await h.command(secretary, "/lichhop"), "Thêm buổi họp");
    await press(secretary, replies, "Họp bất thường");
    await h.say(secretary, "01/01/2020");
    await h.say(secretary, "19:00");
    await h.say(secretary, "-");
    replies = await h.say(secretary, "-");
    expect(plain(await press(secretary, replies, "Xác nhận"))).toContain("Thời điểm này đã qua");
  });

  it("moves and cancels a meeting from its buttons", async () => {
    const list = await h.command(secretary, "/lichhop");
    const thematic = list.find((m) => plain([m]).includes("Học tập Nghị quyết"))!;
    let replies = await press(secretary, [thematic], "Dời");
    expect(plain(replies)).toContain("Dời buổi họp 19:00");
    await h.say(secretary, "16/12/2026");
    replies = await h.say(secretary, "19:30");
    expect(plain(await press(secretary, replies, "Xác nhận"))).toContain("Đã dời buổi họp");
    expect(plain(await h.command(hoa, "/lichhop"))).toContain("19:30 Thứ Tư, 16/12/2026");
    const after = (await h.command(secretary, "/lichhop")).find((m) => plain([m]).includes("Học tập Nghị quyết"))!;
    await press(secretary, [after], "Hủy");
    replies = await h.say(secretary, "Trùng lịch của phường");
    expect(plain(await press(secretary, replies, "Xác nhận"))).toContain("Đã hủy buổi họp");
    expect(plain(await h.command(hoa, "/lichhop"))).not.toContain("Học tập Nghị quyết");
  });

  it("keeps a member's forged button from moving anything", async () => {
    const list = await h.command(secretary, "/lichhop");
    const move = buttons(list).find((b) => b.label.includes("Dời"))!;
    expect(plain(await h.press(hoa, move.payload))).toContain("không có quyền");
  });
});

describe("extra days off", () => {
  it("an admin's day off moves the rule meeting of a branch that shifts off days off", async () => {
    const secretaryActor = await h.actor("secretary");
    const branchId = secretaryActor.memberships[0]!.branchId;
    await h.core.branches.updateBranch(secretaryActor, branchId, { holidayPolicy: "next_working_day" });
    expect(plain(await h.command(hoa, "/lichhop"))).toContain("19:30 Thứ Năm, 03/12/2026");
    let replies = await h.command({ id: "admin" }, "/quantri");
    replies = await press({ id: "admin" }, replies, "Thành phố Hồ Chí Minh");
    replies = await press({ id: "admin" }, replies, "Đảng ủy phường Sài Gòn");
    await press({ id: "admin" }, replies, "Ngày nghỉ thêm");
    expect(plain(await h.say({ id: "admin" }, "3/12"))).toContain("Chưa đọc được ngày");
    await h.say({ id: "admin" }, "03/12/2026 - 04/12/2026");
    replies = await h.say({ id: "admin" }, "Nghỉ bù theo thông báo");
    expect(plain(replies)).toContain("Thêm 2 ngày nghỉ, từ 03/12/2026 đến 04/12/2026");
    expect(plain(await press({ id: "admin" }, replies, "Xác nhận"))).toContain("Đã thêm 2 ngày nghỉ");
    // Thursday and Friday off, then the weekend: the next working day is Monday the 7th.
    expect(plain(await h.command(hoa, "/lichhop"))).toContain("19:30 Thứ Hai, 07/12/2026");
  });
});
