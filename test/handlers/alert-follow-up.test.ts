import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { holdDemoMonth } from "../helpers/demo-roll-call.ts";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

/**
 * Issue 14's follow-up: three months in which Mai is absent without a reason each time, then
 * the secretary sends the committee member to talk with her, who records the talk; the
 * supervisor reads what happened; the alert is closed with a note.
 */
let h: Harness;
const told: Array<{ address: string; text: string; message: OutgoingMessage }> = [];
async function deliver() {
  const sent = (await h.deliver()).map((s) => ({ address: s.address, text: plain([s.message]), message: s.message }));
  told.push(...sent);
  return sent;
}

beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  for (const month of ["2026-10", "2026-11", "2026-12"]) {
    await holdDemoMonth(h, month, { unexcused: ["Vũ Thị Mai"], excused: { "Hoàng Văn Nam": "đi viện" } });
    await deliver();
  }
  h.clock.set("2026-12-07T03:00:00Z");
});
afterAll(async () => h.close());

const secretary: Speaker = { id: "secretary" };
const committee: Speaker = { id: "committee" };
const supervisor: Speaker = { id: "supervisor" };
const mai: Speaker = { id: "mai" };

/** Opens the A4 alert about Mai from /canhbao. */
async function openA4(who: Speaker): Promise<OutgoingMessage[]> {
  const listed = await h.command(who, "/canhbao");
  const lines = plain(listed).split("\n");
  const n = lines.find((l) => l.includes("Vắng không lý do 3 tháng") && l.includes("Vũ Thị Mai"))!.match(/^(?:• )?(\d+)\./)![1]!;
  return h.pressLabel(who, listed, new RegExp(`^${n}$`));
}

describe("the supervisor", () => {
  it("received the A1 alerts, the A2 and then the A4 over the three months", async () => {
    const mine = told.filter((s) => s.address === "sandbox:supervisor").map((s) => s.text);
    expect(mine.filter((t) => t.includes("Vắng họp không lý do —"))).toHaveLength(3);
    expect(mine.filter((t) => t.includes("Vắng họp có lý do nhiều lần liên tiếp"))).toHaveLength(1);
    // A2 (Nam's third excused absence) and A4 (Mai's third month) both come with December's roll call.
    const a4 = mine.filter((t) => t.includes("đã có 3 tháng vắng họp không lý do"));
    expect(a4).toHaveLength(1);
    expect(a4[0]).toContain("đề nghị xóa tên");
    expect(a4[0]).toContain("10/2026, 11/2026, 12/2026");
  });

  it("lists the open alerts of the branches followed, and reads one with its history", async () => {
    const listed = plain(await h.command(supervisor, "/canhbao"));
    expect(listed).toMatch(/Cảnh báo đang mở \(\d+\)/);
    // The gravest first: the A4 that may lead to removal, dated by its last meeting.
    expect(listed).toMatch(/\n1\. Vắng không lý do 3 tháng · Vũ Thị Mai \(0\d\/12\/2026\) — Chi bộ Khu phố 10/);
    const card = plain(await openA4(supervisor));
    expect(card).toContain("Cảnh báo phát sinh");
    expect(card).toContain("Đã gửi tới đồng chí Võ Thành Trung");
    expect(card).toContain("Đồng chí Võ Thành Trung đã xem");
  });
});

describe("the secretary follows the alert up", () => {
  it("sends the committee member to talk with Mai within a week", async () => {
    const card = await openA4(secretary);
    const who = await h.pressLabel(secretary, card, "Giao gặp gỡ");
    expect(plain(who)).toContain("Giao đồng chí nào gặp gỡ, động viên đồng chí Vũ Thị Mai?");
    const when = await h.pressLabel(secretary, who, "Lê Văn Minh");
    const done = await h.pressLabel(secretary, when, "Trong 7 ngày");
    expect(plain(done)).toContain("Đã giao");
    expect(plain(done)).toContain("Đang giao đồng chí Lê Văn Minh gặp gỡ, hạn ngày 14/12/2026");
    const notice = (await deliver()).find((s) => s.address === "sandbox:committee")!;
    expect(notice.text).toContain("Đồng chí Nguyễn Văn Hùng giao đồng chí gặp gỡ, động viên đồng chí Vũ Thị Mai, hạn ngày 14/12/2026");
  });

  it("reminds the committee member the morning before the day", async () => {
    h.clock.set("2026-12-13T01:00:00Z");
    const reminder = (await deliver()).find((s) => s.address === "sandbox:committee");
    expect(reminder?.text).toContain("Ngày mai (14/12/2026) là hạn gặp gỡ đồng chí Vũ Thị Mai");
  });

  it("lets the committee member record the talk, and tells the secretary", async () => {
    const reminder = told.filter((s) => s.address === "sandbox:committee").at(-1)!;
    const asked = await h.pressLabel(committee, [reminder.message], "Ghi kết quả gặp gỡ");
    expect(plain(asked)).toContain("ghi kết quả buổi gặp gỡ");
    expect(plain(await h.say(committee, "  "))).toContain("gõ vài chữ");
    expect(plain(await h.say(committee, "Đã gặp, đồng chí Mai đi làm ca đêm, hứa xin đổi ca để dự họp."))).toContain("Đã ghi kết quả gặp gỡ");
    const back = (await deliver()).find((s) => s.address === "sandbox:secretary")!;
    expect(back.text).toContain("Đồng chí Lê Văn Minh đã gặp đồng chí Vũ Thị Mai: Đã gặp, đồng chí Mai đi làm ca đêm");
    // The reminder is not sent twice, and the committee member has no button left to press.
    expect((await deliver()).filter((s) => s.address === "sandbox:committee")).toHaveLength(0);
  });

  it("sends Mai a kind word in the words of the chosen template", async () => {
    const card = await openA4(secretary);
    const which = await h.pressLabel(secretary, card, "Nhắc đồng chí này");
    expect(plain(which)).toContain("Thăm hỏi, động viên");
    expect(plain(await h.pressLabel(secretary, which, "Thăm hỏi, động viên"))).toContain("Đã gửi lời nhắn");
    const word = (await deliver()).find((s) => s.address === "sandbox:mai")!;
    expect(word.text).toContain("mấy buổi sinh hoạt vừa qua Chi bộ Khu phố 10 vắng đồng chí");
    // The words previewed are the words sent: the next meeting, with its time and place.
    expect(word.text).toMatch(/thu xếp dự buổi sinh hoạt lúc \d{2}:\d{2} .+ tại .+\. Nếu có khó khăn/);
    expect(plain(which)).toContain(word.text.split("\n").at(-1)!);
    expect(word.text).toContain("— Nguyễn Văn Hùng");
  });

  it("closes it with a note, with Mai's earlier alerts; the history keeps every step", async () => {
    const card = await openA4(secretary);
    await h.pressLabel(secretary, card, "Đã xử lý");
    expect(plain(await h.say(secretary, "Chi ủy đã gặp, đồng chí Mai cam kết dự họp đều."))).toContain("đã xử lý");
    const listed = plain(await h.command(supervisor, "/canhbao"));
    expect(listed).not.toContain("Vũ Thị Mai");
    expect(listed).toContain("Hoàng Văn Nam");
  });
});

describe("who may do what", () => {
  it("a committee member sees the alerts but cannot follow them up, even with a forged button", async () => {
    const listed = await h.command(committee, "/canhbao");
    const card = await h.pressLabel(committee, listed, /^1$/);
    expect(plain(card)).toContain("Diễn biến:");
    expect(buttons(card).map((b) => b.label)).not.toContain("🤝 Giao gặp gỡ");
    const secretaryCard = await h.pressLabel(secretary, await h.command(secretary, "/canhbao"), /^1$/);
    for (const label of ["Giao gặp gỡ", "Nhắc đồng chí này", "Đã xử lý"]) {
      const button = buttons(secretaryCard).find((b) => b.label.includes(label));
      if (button) expect(plain(await h.press(committee, button.payload)), label).toContain("không có quyền");
    }
    expect(h.lastOutcome).toBeDefined();
  });

  it("no one but the one sent records a visit", async () => {
    const notice = told.find((s) => s.address === "sandbox:committee" && s.text.includes("giao đồng chí gặp gỡ"))!;
    expect(plain(await h.pressLabel(secretary, [notice.message], "Ghi kết quả gặp gỡ"))).toContain("không giao cho đồng chí");
  });

  it("a member is told the alerts are not for them", async () => {
    expect(plain(await h.command(mai, "/canhbao"))).toContain("dành cho bí thư");
  });
});
