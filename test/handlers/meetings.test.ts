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
/** The labels of each row of buttons under a message. */
const rowsOf = (replies: OutgoingMessage[]) => (replies[0]!.actions ?? []).map((row) => row.map((b) => b.label));
/** The number /lichhop gives the meeting whose heading or lines mention `text`. */
function numberOf(replies: OutgoingMessage[], text: string): number {
  const lines = plain(replies).split("\n");
  const at = lines.findIndex((l) => l.includes(text));
  const heading = lines
    .slice(0, at + 1)
    .reverse()
    .find((l) => /^\d+\. /.test(l));
  if (!heading) throw new Error(`no meeting with ${text}`);
  return Number(/^(\d+)\./.exec(heading)![1]);
}

describe("/lichhop", () => {
  it("shows members the next meetings in one message, without the committee's", async () => {
    const replies = await h.command(hoa, "/lichhop");
    expect(replies).toHaveLength(1);
    const text = plain(replies);
    expect(text).toContain("Lịch họp sắp tới — Chi bộ Khu phố 10");
    expect(text).toContain("1. Sinh hoạt chi bộ thường kỳ");
    expect(text).toContain("Thời gian: 19:30 Thứ Năm, 03/12/2026");
    expect(text).toContain("Địa điểm: Nhà văn hóa khu phố 10");
    expect(text).toContain("2. Sinh hoạt chi bộ thường kỳ");
    expect(text).toContain("Đồng chí chưa trả lời buổi này");
    expect(text).not.toContain("Họp chi ủy");
    // One row per meeting: its three answers and its calendar file.
    expect(rowsOf(replies)).toEqual([
      ["1 ✅", "1 📝", "1 ❔", "1 📅"],
      ["2 ✅", "2 📝", "2 ❔", "2 📅"],
    ]);
  });

  it("shows the answer a member gave, and answering from the list records it", async () => {
    const replies = await h.command(hoa, "/lichhop");
    expect(plain(await press(hoa, replies, "1 ✅"))).toContain("Đã ghi");
    const after = plain(await h.command(hoa, "/lichhop"));
    expect(after).toContain("Đồng chí đã trả lời: ✅ có mặt");
    expect(after).toContain("Đồng chí chưa trả lời buổi này");
  });

  it("offers the answers only to those expected: not to the exempt, the transferred-out or the supervisor", async () => {
    for (const id of ["tam", "son", "cuc", "supervisor"]) {
      const replies = await h.command({ id }, "/lichhop");
      expect(replies, id).toHaveLength(1);
      expect(rowsOf(replies), id).toEqual([["1 📅"], ["2 📅"]]);
      expect(plain(replies), id).not.toContain("trả lời");
    }
    // The attached member is expected like everyone else.
    expect(rowsOf(await h.command({ id: "hanh" }, "/lichhop"))[0]).toEqual(["1 ✅", "1 📝", "1 ❔", "1 📅"]);
  });

  it("shows the committee its own meeting, with the tally, and English to an English speaker", async () => {
    const replies = await h.command(committee, "/lichhop");
    expect(plain(replies)).toContain("Họp chi ủy");
    expect(rowsOf(replies)[0]).toEqual(["1 ✅", "1 📝", "1 ❔", "1 📅", "1 📊"]);
    expect(plain(await h.command(khoa, "/lichhop"))).toContain("Time: 19:30 Thursday, 03/12/2026");
  });

  it("gives the secretary every meeting and tool in one message, within Telegram's limits", async () => {
    const replies = await h.command(secretary, "/lichhop");
    expect(replies).toHaveLength(1);
    const rows = rowsOf(replies);
    expect(rows[0]).toEqual(["1 ✅", "1 📝", "1 ❔", "1 📅", "1 📊", "1 ⚙️"]);
    expect(rows.at(-1)).toEqual(["➕ Thêm buổi họp"]);
    expect(plain(replies)).toContain("⚙️ dời, hủy, sửa buổi họp");
  });

  it("keeps a list of six meetings with long agendas within 4,096 characters and 100 buttons", async () => {
    const chief = await h.actor("secretary");
    const branchId = chief.memberships[0]!.branchId;
    const created: string[] = [];
    for (const day of [5, 7, 9, 11, 13, 15]) {
      const result = await h.core.meetings.createMeeting(chief, branchId, {
        kind: "thematic",
        startsAt: new Date(`2026-12-${String(day).padStart(2, "0")}T12:00:00Z`),
        place: "Hội trường ".repeat(18).trim(),
        agenda: "Nội dung rất dài. ".repeat(110),
        thematicTopic: "Chuyên đề ".repeat(30),
      });
      if (!result.ok) throw new Error(result.reason);
      created.push(result.meetingId);
    }
    const replies = await h.command(secretary, "/lichhop");
    expect(replies).toHaveLength(1);
    expect(plain(replies).length).toBeLessThanOrEqual(4096);
    expect(plain(replies)).toContain("6. ");
    expect(plain(replies)).toContain("…");
    expect(buttons(replies).length).toBeLessThanOrEqual(100);
    expect(Math.max(...rowsOf(replies).map((r) => r.length))).toBeLessThanOrEqual(8);
    for (const id of created) await h.core.meetings.cancelMeeting(chief, id, "");
  });

  it("refuses the committee meeting's calendar file to anyone outside the committee, however the button is made", async () => {
    const list = await h.command(committee, "/lichhop");
    const ics = buttons(list).find((b) => b.label === "1 📅")!;
    expect((await h.press(committee, ics.payload))[0]!.attachment!.caption).toContain("Họp chi ủy");
    for (const id of ["hoa", "supervisor", "tam"]) {
      const replies = await h.press({ id }, ics.payload);
      expect(replies[0]!.attachment, id).toBeUndefined();
      expect(plain(replies), id).toContain("không có quyền");
    }
  });

  it("sends a calendar file on request", async () => {
    const replies = await press(hoa, await h.command(hoa, "/lichhop"), "1 📅");
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
    const card = await press(secretary, list, `${numberOf(list, "Học tập Nghị quyết")} ⚙️`);
    expect(plain(card)).toContain("Sinh hoạt chuyên đề — 19:00");
    expect(buttons(card).map((b) => b.label)).toContain("📊 Ai đã trả lời");
    let replies = await press(secretary, card, "Dời");
    expect(plain(replies)).toContain("Dời buổi họp 19:00");
    await h.say(secretary, "16/12/2026");
    replies = await h.say(secretary, "19:30");
    expect(plain(await press(secretary, replies, "Xác nhận"))).toContain("Đã dời buổi họp");
    expect(plain(await h.command(hoa, "/lichhop"))).toContain("19:30 Thứ Tư, 16/12/2026");
    const after = await h.command(secretary, "/lichhop");
    await press(secretary, await press(secretary, after, `${numberOf(after, "Học tập Nghị quyết")} ⚙️`), "Hủy");
    replies = await h.say(secretary, "Trùng lịch của phường");
    expect(plain(await press(secretary, replies, "Xác nhận"))).toContain("Đã hủy buổi họp");
    expect(plain(await h.command(hoa, "/lichhop"))).not.toContain("Học tập Nghị quyết");
  });

  it("keeps a member's forged button from managing or moving anything", async () => {
    const list = await h.command(secretary, "/lichhop");
    const manage = buttons(list).find((b) => b.label === "2 ⚙️")!;
    expect(plain(await h.press(hoa, manage.payload))).toContain("không có quyền");
    const move = buttons(await h.press(secretary, manage.payload)).find((b) => b.label.includes("Dời"))!;
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
