import { sql } from "drizzle-orm";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNoticeRenderer } from "../../handlers/framework/notices.ts";
import { features } from "../../handlers/index.ts";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { createStore } from "../../src/store/index.ts";
import type { ClaimedMessage } from "../../src/core/delivery/types.ts";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";
import { closeDemoRollCall, demoMeetingUnderWay } from "../helpers/demo-roll-call.ts";

/**
 * /nghiquyet after the 3 December meeting of the demo branch: the guided form with its
 * checks, the summary to every member and the supervisor, "Đã đọc", tasks and documents.
 */
let h: Harness;
let meetingId: string;
const secretary: Speaker = { id: "secretary" };
const hoa: Speaker = { id: "hoa" };
const render = createNoticeRenderer(features);

beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  meetingId = await demoMeetingUnderWay(h);
  // Cúc (temporarily exempt) chose not to receive summaries; Tám (exempt) still wants them.
  const cuc = await h.actor("cuc");
  await h.core.resolutions.setWantsSummaries(cuc, cuc.memberships[0]!.branchId, false);
});
afterAll(async () => h.close());

async function claimAll(limit = 1000): Promise<ClaimedMessage[]> {
  return createStore(h.database.db).outbox.claim(h.clock.now(), limit, 60_000);
}

const shown = (row: ClaimedMessage, locale: "vi" | "en" = "vi"): OutgoingMessage => render(row.notice, h.i18n.t(locale), locale);

describe("before the roll call is closed", () => {
  it("asks the secretary to close the roll call first: the vote is counted from it", async () => {
    expect(plain(await h.command(secretary, "/nghiquyet"))).toContain("chưa đóng điểm danh");
  });

  it("tells a member there is no resolution yet", async () => {
    expect(plain(await h.command(hoa, "/nghiquyet"))).toContain("Chi bộ chưa có nghị quyết nào");
  });
});

describe("the guided form", () => {
  let replies: OutgoingMessage[];

  it("opens on the meeting's counts and voting base", async () => {
    await closeDemoRollCall(h, meetingId);
    // Closing raised the absentee alerts (tested in test/core/alerts.test.ts): out of the way.
    await claimAll();
    replies = await h.command(secretary, "/nghiquyet");
    const text = plain(replies);
    expect(text).toContain("Có mặt 8/11 đảng viên");
    expect(text).toContain("Số đảng viên có quyền biểu quyết: 8; nghị quyết được thông qua khi có từ 5 phiếu");
  });

  it("takes results, tasks with owners from the roster and deadlines, refusing what is wrong", async () => {
    // The cancel word stops the form at any step, and nothing is written.
    await h.pressLabel(secretary, replies, "Điền theo mẫu");
    await h.say(secretary, "Kết quả tốt");
    expect(plain(await h.say(secretary, "hủy"))).toContain("Đã hủy");
    expect(await queryRows(h.database, sql`select id from resolutions`)).toHaveLength(0);
    replies = await h.pressLabel(secretary, replies, "Điền theo mẫu");
    expect(plain(replies)).toContain("Bước 1/4");
    replies = await h.say(secretary, "Hoàn thành thu đảng phí quý IV; tổ chức tốt ngày hội đại đoàn kết.");
    expect(plain(replies)).toContain("nhiệm vụ thứ nhất");
    replies = await h.say(secretary, "Vận động đóng góp quỹ khuyến học");
    expect(plain(replies)).toContain("Ai phụ trách nhiệm vụ “Vận động đóng góp quỹ khuyến học”");
    expect(buttons(replies).map((b) => b.label)).toContain("Phạm Thị Hoa");
    expect(plain(await h.say(secretary, "Nguyễn Văn Xyz"))).toContain("Không có ai tên “Nguyễn Văn Xyz” trong danh sách chi bộ");
    expect(plain(await h.say(secretary, "Thị"))).toContain("Có nhiều người hợp với “Thị”");
    replies = await h.say(secretary, "hoa");
    expect(plain(replies)).toContain("Thời hạn hoàn thành của đồng chí Phạm Thị Hoa");
    expect(plain(await h.say(secretary, "01/12/2026"))).toContain("Thời hạn phải sau hôm nay (03/12/2026)");
    expect(plain(await h.say(secretary, "31/02/2027"))).toContain("Ngày chưa đúng");
    replies = await h.say(secretary, "15/12");
    expect(plain(replies)).toContain("nhiệm vụ thứ 2");
    replies = await h.say(secretary, "Sửa loa phát thanh khu phố");
    replies = await h.pressLabel(secretary, replies, "Lê Văn Minh");
    replies = await h.say(secretary, "20/12/2026");
    replies = await h.pressLabel(secretary, replies, "Hết nhiệm vụ");
    expect(plain(replies)).toContain("Bước 3/4");
    replies = await h.pressLabel(secretary, replies, "Bỏ qua");
    expect(plain(replies)).toContain(
      "Kết quả biểu quyết: gõ ba số theo thứ tự tán thành, không tán thành, không biểu quyết; ví dụ “7 0 0”. Có mặt 7 trong số 8 đảng viên có quyền biểu quyết",
    );
  });

  it("refuses votes that do not add up, then shows the summary and its validity", async () => {
    // Eight present, seven of them full members of the voting base (Khoa is probationary).
    expect(plain(await h.say(secretary, "9 0 0"))).toContain("Tổng số phiếu (9) nhiều hơn số đảng viên có quyền biểu quyết đang có mặt (7)");
    expect(plain(await h.say(secretary, "7 0 1"))).toContain("nhiều hơn số đảng viên có quyền biểu quyết đang có mặt (7); đảng viên dự bị");
    // The example is one the counts allow, not a fixed "8 1 0".
    expect(plain(await h.say(secretary, "bảy phiếu"))).toContain("Xin gõ đúng ba số: tán thành, không tán thành, không biểu quyết — ví dụ “7 0 0”");
    replies = await h.say(secretary, "tán thành 6, không tán thành 1, không biểu quyết 0");
    const text = plain(replies);
    expect(text).toContain("Vận động đóng góp quỹ khuyến học — đ/c Phạm Thị Hoa, hạn 15/12/2026");
    expect(text).toContain("Sửa loa phát thanh khu phố — đ/c Lê Văn Minh, hạn 20/12/2026");
    expect(text).toContain("✅ Hợp lệ: 6 phiếu tán thành, quá một nửa trong 8 đảng viên có quyền biểu quyết");
  });

  it("sends: the summary to every member and the supervisor, absentees first", async () => {
    replies = await h.pressLabel(secretary, replies, "Gửi cho chi bộ");
    const text = plain(replies);
    // The branch's first resolution of 2026 is number 01.
    expect(text).toContain("Đã ghi Nghị quyết số 01-NQ/CB");
    expect(text).toContain("Nghị quyết được thông qua.");
    expect(text).toContain("Tóm tắt đang được gửi đến 13 người");
    expect(text).toContain("Cao Thị Yến");
    // Claimed in priority order: the three absentees come first.
    const first = await claimAll(3);
    expect(first.map((r) => r.address).sort()).toEqual(["sandbox:mai", "sandbox:nam", "sandbox:thu"]);
    const rows = [...first, ...(await claimAll())];
    const summaries = rows.filter((r) => r.kind === "resolution.summary");
    expect(summaries.map((r) => r.address).sort()).toEqual(
      ["deputy", "committee", "duc", "hanh", "hoa", "khoa", "mai", "nam", "secretary", "son", "supervisor", "tam", "thu"].map((k) => `sandbox:${k}`).sort(),
    );
    const forHoa = plain([shown(summaries.find((r) => r.address === "sandbox:hoa")!)]);
    expect(forHoa).toContain("Tóm tắt nghị quyết chi bộ tháng 12/2026");
    expect(forHoa).toContain("Chi bộ Khu phố 10 — buổi họp ngày 03/12/2026, có mặt 8/11 đảng viên (72,7%).");
    expect(forHoa).toContain("Hoàn thành thu đảng phí quý IV");
    expect(forHoa).toContain("Biểu quyết: tán thành 6, không tán thành 1, không biểu quyết 0 (số đảng viên có quyền biểu quyết: 8).");
    expect(buttons([shown(summaries.find((r) => r.address === "sandbox:hoa")!)]).map((b) => b.label)).toEqual(["👁 Đã đọc"]);
    expect(
      plain([
        shown(
          summaries.find((r) => r.address === "sandbox:khoa")!,
          "en",
        ),
      ]),
    ).toContain("Summary of the branch resolution for 12/2026");
    expect(plain([shown(summaries.find((r) => r.address === "sandbox:supervisor")!)])).toContain("cấp ủy viên phụ trách");
    // Each owner gets their task now and a reminder the morning before the deadline.
    const assigned = rows.filter((r) => r.kind === "task.assigned");
    expect(assigned.map((r) => r.address).sort()).toEqual(["sandbox:committee", "sandbox:hoa"]);
    expect(plain([shown(assigned.find((r) => r.address === "sandbox:hoa")!)])).toContain("Thời hạn: 15/12/2026");
    const reminders = await queryRows<{ address: string; due_at: string }>(
      h.database,
      sql`select address, due_at::text from outbox where kind = 'task.reminder' order by due_at`,
    );
    expect(reminders.map((r) => [r.address, new Date(r.due_at).toISOString()])).toEqual([
      ["sandbox:hoa", "2026-12-14T01:00:00.000Z"],
      ["sandbox:committee", "2026-12-19T01:00:00.000Z"],
    ]);
  });

  it("shows the sent resolution on the desk instead of a new form", async () => {
    const text = plain(await h.command(secretary, "/nghiquyet"));
    expect(text).toContain("Nghị quyết số 01-NQ/CB đã được gửi lúc");
    expect(text).not.toContain("Điền theo mẫu");
  });
});

describe("reading", () => {
  it("records “Đã đọc” once, and the secretary sees who has read it", async () => {
    const summary = (await h.command(hoa, "/nghiquyet"))!;
    expect(plain(summary)).toContain("Tóm tắt nghị quyết chi bộ tháng 12/2026");
    // It says the reading was recorded, and that the secretary sees it (not that the secretary was "recorded").
    expect(plain(await h.pressLabel(hoa, summary, "Đã đọc"))).toContain(
      "Cảm ơn đồng chí đã đọc nghị quyết. Chibo đã ghi nhận việc đọc này; bí thư sẽ thấy tên đồng chí trong danh sách “Ai đã đọc”.",
    );
    expect(plain(await h.pressLabel(hoa, summary, "Đã đọc"))).toContain("đã ghi nhận đồng chí đọc nghị quyết này rồi");
    const readers = await h.pressLabel(secretary, await h.command(secretary, "/nghiquyet"), "Ai đã đọc");
    // The supervisor is among them, named as such.
    expect(plain(readers)).toContain("• Võ Thành Trung (cấp ủy viên phụ trách)");
    const text = plain(readers);
    expect(text).toContain("Đã đọc 1 · Chưa đọc 12 · Chưa dùng Chibo 1");
    expect(text).toMatch(/Đã đọc:\n• Phạm Thị Hoa \(/);
    expect(text).toContain("Cao Thị Yến");
    expect(text).toMatch(/Không nhận tóm tắt \(theo nguyện vọng\):\n• Đỗ Thị Cúc/);
  });

  it("reminds those who have not read it, once an hour at most", async () => {
    const readers = await h.pressLabel(secretary, await h.command(secretary, "/nghiquyet"), "Ai đã đọc");
    // The supervisor is among them, named as such.
    expect(plain(readers)).toContain("• Võ Thành Trung (cấp ủy viên phụ trách)");
    expect(plain(await h.pressLabel(secretary, readers, "Nhắc người chưa đọc"))).toContain("Đã gửi lại tóm tắt cho 12 người chưa đọc");
    expect(plain(await h.pressLabel(secretary, readers, "Nhắc người chưa đọc"))).toContain("Đã nhắc trong vòng một giờ qua");
    const again = (await claimAll()).filter((r) => r.kind === "resolution.summary");
    expect(again).toHaveLength(12);
    expect(plain([shown(again[0]!)])).toContain("Nhắc đọc");
  });

  it("lets the supervisor read and acknowledge, but not see who has read", async () => {
    const summary = await h.command({ id: "supervisor" }, "/nghiquyet");
    expect(plain(await h.pressLabel({ id: "supervisor" }, summary, "Đã đọc"))).toContain("Cảm ơn");
    expect(plain(await h.press({ id: "supervisor" }, `nq:rs:${meetingId}`))).toContain("không có quyền");
  });

  it("refuses the read button to someone outside the branch", async () => {
    expect(plain(await h.press({ id: "newcomer" }, `rd:${meetingId}`))).toContain("không có quyền");
  });
});

describe("tasks", () => {
  it("lets only the owner (or the secretary) mark a task done, and tells the secretary", async () => {
    const [task] = await queryRows<{ id: string }>(
      h.database,
      sql`select t.id from tasks t join memberships m on m.id = t.owner_membership_id where m.roster_name = 'Phạm Thị Hoa'`,
    );
    expect(plain(await h.press({ id: "nam" }, `td:${task!.id}`))).toContain("không có quyền");
    await h.deliver();
    expect(plain(await h.press(hoa, `td:${task!.id}`))).toContain("Đã ghi nhận hoàn thành: “Vận động đóng góp quỹ khuyến học”");
    expect(plain(await h.press(hoa, `td:${task!.id}`))).toContain("đã được ghi là hoàn thành rồi");
    const told = (await h.deliver()).filter((n) => n.message.blocks.some((b) => "text" in b && b.text.includes("đã hoàn thành")));
    expect(told.map((n) => n.address).sort()).toEqual(["sandbox:deputy", "sandbox:secretary"]);
    expect(plain([told[0]!.message])).toContain("Nhiệm vụ của đồng chí Phạm Thị Hoa đã hoàn thành");
    // Its reminder the day before is withdrawn; the other owner's stays.
    const reminders = await queryRows<{ address: string }>(h.database, sql`select address from outbox where kind = 'task.reminder'`);
    expect(reminders.map((r) => r.address)).toEqual(["sandbox:committee"]);
  });
});

describe("documents", () => {
  it("gives the secretary the minutes and anyone in the branch the resolution, as DOCX that reads back", async () => {
    const desk = await h.command(secretary, "/nghiquyet");
    const [minutes] = await h.pressLabel(secretary, desk, "Biên bản (DOCX)");
    expect(minutes!.attachment!.filename).toBe("bien-ban-2026-12-03.docx");
    expect(minutes!.attachment!.caption).toBe("📄 Biên bản: Sinh hoạt chi bộ thường kỳ ngày 03/12/2026 — Chi bộ Khu phố 10");
    const minutesText = (await mammoth.extractRawText({ buffer: Buffer.from(minutes!.attachment!.bytes) })).value;
    expect(minutesText).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
    expect(minutesText).toContain("Hoàng Văn Nam");
    expect(minutesText).toContain("Vũ Thị Mai");
    // The rate rounded as the roll call and the desk show it (8/11).
    expect(minutesText).toContain("Tỉ lệ dự họp: 72,7%");
    const [resolution] = await h.press(hoa, `nq:dr:${meetingId}`);
    expect(resolution!.attachment!.caption).toBe("📄 Nghị quyết số 01-NQ/CB: Sinh hoạt chi bộ thường kỳ ngày 03/12/2026 — Chi bộ Khu phố 10");
    const resolutionText = (await mammoth.extractRawText({ buffer: Buffer.from(resolution!.attachment!.bytes) })).value;
    expect(resolutionText).toContain("Vận động đóng góp quỹ khuyến học");
    expect(resolutionText).toContain("15/12/2026");
    expect(resolutionText).toContain("Số: 01-NQ/CB");
    // Dated from the branch's locality, not from the venue.
    expect(resolutionText).toContain("Sài Gòn, ngày 03 tháng 12 năm 2026");
    expect(minutesText).toContain("Sài Gòn, ngày 03 tháng 12 năm 2026");
    expect(minutesText).toContain("Địa điểm: Nhà văn hóa khu phố 10.");
    expect(plain(await h.press(hoa, `nq:dm:${meetingId}`))).toContain("không có quyền");
  });
});

describe("bad input", () => {
  it("refuses a second resolution for the same meeting, and buttons of an old meeting", async () => {
    expect(plain(await h.press(secretary, `nq:wf:${meetingId}`))).toContain("đã được gửi rồi");
    const chief = await h.actor("secretary");
    const older = await h.core.meetings.createMeeting(chief, chief.memberships[0]!.branchId, {
      kind: "extraordinary",
      startsAt: new Date("2026-12-04T01:00:00Z"),
      place: null,
      agenda: null,
    });
    if (!older.ok) throw new Error("not created");
    h.clock.set("2026-12-04T03:00:00Z");
    expect(plain(await h.press(secretary, `nq:wf:${meetingId}`))).toContain("Nút này thuộc một buổi họp cũ");
  });

  it("refuses a deadline in the past and an owner not on the roster at sending", async () => {
    const chief = await h.actor("secretary");
    const at = await h.core.rollCall.currentMeeting(chief, chief.memberships[0]!.branchId);
    if (!at.ok) throw new Error("no meeting");
    const view = await h.core.rollCall.view(chief, at.meetingId);
    if (!view.ok) throw new Error("no view");
    for (const line of view.view.lines.filter((l) => l.expected)) await h.core.rollCall.mark(chief, at.meetingId, line.membershipId, { present: true });
    expect((await h.core.rollCall.close(chief, at.meetingId)).ok).toBe(true);
    const task = (ownerMembershipId: string, dueOn: string) => ({
      format: "form" as const,
      body: null,
      results: null,
      votes: null,
      tasks: [{ ownerMembershipId, ownerName: "", description: "Việc", dueOn }],
    });
    const hoaLine = view.view.lines.find((l) => l.name === "Phạm Thị Hoa")!.membershipId;
    expect(await h.core.resolutions.adopt(chief, at.meetingId, task(hoaLine, "2026-12-01"))).toEqual({ ok: false, reason: "deadline_past" });
    expect(await h.core.resolutions.adopt(chief, at.meetingId, task("00000000-0000-4000-8000-000000000000", "2026-12-20"))).toEqual({
      ok: false,
      reason: "owner_not_in_roster",
    });
    expect(await h.core.resolutions.adopt(await h.actor("hoa"), at.meetingId, task(hoaLine, "2026-12-20"))).toEqual({ ok: false, reason: "forbidden" });
    const rows = await queryRows<{ n: number }>(h.database, sql`select count(*)::int as n from resolutions where meeting_id = ${at.meetingId}::uuid`);
    expect(rows[0]!.n).toBe(0);
  });
});

describe("free text", () => {
  it("joins a long text sent in several messages, and says so when the vote does not pass", async () => {
    // The extraordinary meeting of 4 December, its roll call closed above with everyone present.
    let replies = await h.command(secretary, "/nghiquyet");
    expect(plain(replies)).toContain("Có mặt 11/11 đảng viên (100,0%). Số đảng viên có quyền biểu quyết: 9");
    replies = await h.pressLabel(secretary, replies, "Gửi nguyên văn");
    expect(plain(replies)).toContain("dán hoặc gõ nguyên văn nghị quyết");
    expect(plain(await h.say(secretary, "x".repeat(12_001)))).toContain("Nội dung dài quá 12000 ký tự");
    replies = await h.say(secretary, "I. Tình hình\nChi bộ thống nhất tổ chức lễ kết nạp.");
    expect(plain(replies)).toContain("Chibo đã nhận 50 ký tự");
    replies = await h.say(secretary, "II. Nhiệm vụ\nCác đồng chí đảng viên gương mẫu thực hiện.");
    replies = await h.pressLabel(secretary, replies, "Xong phần nội dung");
    expect(plain(replies)).toContain("Kết quả biểu quyết");
    replies = await h.say(secretary, "3 5 0");
    const preview = plain(replies);
    expect(preview).toContain("I. Tình hình\nChi bộ thống nhất tổ chức lễ kết nạp.\n\nII. Nhiệm vụ");
    expect(preview).toContain("⚠️ Chưa đủ để thông qua: 3 phiếu tán thành, cần từ 5 phiếu trong 9 đảng viên có quyền biểu quyết");
    replies = await h.say(secretary, "gửi");
    expect(plain(replies)).toContain("Nghị quyết chưa được thông qua");
    // The attempts refused above (a past deadline, an owner not on the roster) used no number.
    expect(plain(replies)).toContain("Đã ghi Nghị quyết số 02-NQ/CB");
    const summary = plain(await h.command(hoa, "/nghiquyet"));
    expect(summary).toContain("Nghị quyết chưa được thông qua: số phiếu tán thành chưa quá một nửa.");
    expect(summary).toContain("II. Nhiệm vụ");
  });
});

describe("a long summary", () => {
  it("is split at Telegram's limit between words, with “Đã đọc” under the last part", async () => {
    const { renderForTelegram } = await import("../../src/channels/telegram/render.ts");
    const words = Array.from({ length: 1800 }, (_, i) => `việc${i}`);
    const notice = {
      kind: "resolution.summary" as const,
      params: {
        meetingId,
        branchName: "Chi bộ Khu phố 10",
        startsAt: "2026-12-03T12:30:00Z",
        timezone: "Asia/Ho_Chi_Minh",
        format: "text",
        body: words.join(" "),
        results: null,
        tasks: "[]",
        votesFor: 7,
        votesAgainst: 0,
        votesAbstain: 0,
        votingBase: 8,
        valid: true,
        present: 8,
        expected: 11,
        supervisor: false,
        reminder: false,
      },
    };
    const parts = renderForTelegram(render(notice, h.i18n.t("vi"), "vi"));
    expect(parts.length).toBeGreaterThan(2);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);
    const body = parts.map((p) => p.text).join(" ");
    // Every word arrives whole, in order.
    expect(body.match(/việc\d+/g)).toEqual(words);
    expect(parts.slice(0, -1).every((p) => !p.replyMarkup)).toBe(true);
    expect(JSON.stringify(parts.at(-1)!.replyMarkup)).toContain("Đã đọc");
  });
});

describe("two secretaries sending at once", () => {
  it("keeps one resolution: the second is told it was sent already, and nothing of it is written", async () => {
    const chief = await h.actor("secretary");
    const deputy = await h.actor("deputy");
    const created = await h.core.meetings.createMeeting(chief, chief.memberships[0]!.branchId, {
      kind: "extraordinary",
      startsAt: new Date("2026-12-04T04:00:00Z"),
      place: null,
      agenda: null,
    });
    if (!created.ok) throw new Error("not created");
    h.clock.set("2026-12-04T05:00:00Z");
    const view = await h.core.rollCall.view(chief, created.meetingId);
    if (!view.ok) throw new Error("no view");
    for (const line of view.view.lines.filter((l) => l.expected)) await h.core.rollCall.mark(chief, created.meetingId, line.membershipId, { present: true });
    expect((await h.core.rollCall.close(chief, created.meetingId)).ok).toBe(true);
    const content = (body: string) => ({ format: "text" as const, body, results: null, tasks: [], votes: { for: 9, against: 0, abstain: 0 } });
    const results = await Promise.all([
      h.core.resolutions.adopt(chief, created.meetingId, content("Bản của bí thư")),
      h.core.resolutions.adopt(deputy, created.meetingId, content("Bản của phó bí thư")),
    ]);
    expect(results.map((r) => r.ok).sort()).toEqual([false, true]);
    expect(results.find((r) => !r.ok)).toEqual({ ok: false, reason: "exists" });
    const summaries = await queryRows<{ n: number }>(
      h.database,
      sql`select count(distinct payload->'params'->>'body')::int as n from outbox where kind = 'resolution.summary' and meeting_id = ${created.meetingId}::uuid`,
    );
    expect(summaries[0]!.n).toBe(1);
  });
});

describe("resolution numbers", () => {
  async function heldMeeting(startsAt: string, after: string): Promise<string> {
    const chief = await h.actor("secretary");
    const created = await h.core.meetings.createMeeting(chief, chief.memberships[0]!.branchId, {
      kind: "extraordinary",
      startsAt: new Date(startsAt),
      place: null,
      agenda: null,
    });
    if (!created.ok) throw new Error("not created");
    h.clock.set(after);
    const view = await h.core.rollCall.view(chief, created.meetingId);
    if (!view.ok) throw new Error("no view");
    for (const line of view.view.lines.filter((l) => l.expected)) await h.core.rollCall.mark(chief, created.meetingId, line.membershipId, { present: true });
    if (!(await h.core.rollCall.close(chief, created.meetingId)).ok) throw new Error("not closed");
    return created.meetingId;
  }
  const content = { format: "text" as const, body: "Nội dung", results: null, tasks: [], votes: { for: 9, against: 0, abstain: 0 } };
  const numbers = async () => queryRows<{ year: number; number: number }>(h.database, sql`select year, number from resolutions order by year, number`);

  it("count on without a gap, one each for resolutions adopted at the same moment", async () => {
    // 01 and 02 above; 03 went to the race between the secretary and the deputy.
    const chief = await h.actor("secretary");
    const first = await heldMeeting("2026-12-05T01:00:00Z", "2026-12-05T01:30:00Z");
    const second = await heldMeeting("2026-12-05T02:00:00Z", "2026-12-05T03:00:00Z");
    const adopted = await Promise.all([h.core.resolutions.adopt(chief, first, content), h.core.resolutions.adopt(chief, second, content)]);
    expect(adopted.map((r) => (r.ok ? r.number : r.reason)).sort()).toEqual([4, 5]);
    expect((await numbers()).map((r) => `${r.number}/${r.year}`)).toEqual(["1/2026", "2/2026", "3/2026", "4/2026", "5/2026"]);
  });

  it("start again at 01 in a new year, counted by the meeting's day in the branch's timezone", async () => {
    const chief = await h.actor("secretary");
    // 00:30 on 1 January 2027 in Vietnam is still 31 December 2026 in UTC.
    const newYear = await heldMeeting("2026-12-31T17:30:00Z", "2026-12-31T18:30:00Z");
    const adopted = await h.core.resolutions.adopt(chief, newYear, content);
    expect(adopted.ok && adopted.number).toBe(1);
    expect((await numbers()).at(-1)).toEqual({ year: 2027, number: 1 });
  });
});
