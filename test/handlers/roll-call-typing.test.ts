import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderAsText } from "../../src/channels/text-render.ts";
import type { ChannelCapabilities } from "../../src/core/inbound.ts";
import { toLocale } from "../../src/core/locale.ts";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

/**
 * The roll call on a channel without buttons (Zalo, the sandbox's Zalo view): the secretary
 * types the numbers the list shows, several at once, "vắng 2 4", "xong". The meeting of
 * 3 December starts at 19:30 (12:30Z); the roll call is open from an hour before.
 */
let h: Harness;
let meetingId: string;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  h.clock.set("2026-11-25T00:00:00Z");
  await h.core.planner.ensureOccurrences();
  h.clock.set("2026-12-03T12:40:00Z");
  const secretaryActor = await h.actor("secretary");
  const found = await h.core.rollCall.currentMeeting(secretaryActor, secretaryActor.memberships[0]!.branchId);
  if (!found.ok) throw new Error("no meeting");
  meetingId = found.meetingId;
});
afterAll(async () => h.close());

const TEXT_ONLY: ChannelCapabilities = { buttons: false, edits: false, maxTextLength: 2000, deepLinks: false, groupLinks: false };
const secretary: Speaker = { id: "secretary", capabilities: TEXT_ONLY };
const onButtons: Speaker = { id: "secretary" };
const hoa: Speaker = { id: "hoa", capabilities: TEXT_ONLY };
const committee: Speaker = { id: "committee", capabilities: TEXT_ONLY };

/** What the chat shows, as the text channel does: numbered text, and the numbers it offered remembered. */
async function shown(who: Speaker, replies: OutgoingMessage[]): Promise<string> {
  const texts: string[] = [];
  for (const reply of replies) {
    const rendering = renderAsText(reply, h.i18n.t(toLocale(reply.locale)));
    texts.push(rendering.text);
    if (rendering.choices.length) await h.core.choices.offer(`sandbox:${who.id}`, rendering.choices);
  }
  return texts.join("\n---\n");
}
const type = async (who: Speaker, words: string) => shown(who, await h.say(who, words));
const command = async (who: Speaker, words: string) => shown(who, await h.command(who, words));

/** Whether a line is marked present, as the roll call has it now. */
async function present(name: string): Promise<boolean> {
  const view = await h.core.rollCall.view(await h.actor("secretary"), meetingId);
  if (!view.ok) throw new Error(view.reason);
  return view.view.lines.find((l) => l.name === name)!.present;
}
async function lines(): Promise<string> {
  const view = await h.core.rollCall.view(await h.actor("secretary"), meetingId);
  if (!view.ok) throw new Error(view.reason);
  return JSON.stringify(view.view.lines.map((l) => [l.name, l.present, l.absence]));
}

describe("the roll call typed on a channel without buttons", () => {
  it("is worded for typing, each line offered under its own number; the button wording stays on buttons", async () => {
    h.clock.set("2026-12-03T12:40:00Z");
    const list = await command(secretary, "/diemdanh");
    expect(list).toContain("• 1. ➖ Đỗ Thị Cúc — tạm miễn sinh hoạt, không tính");
    expect(list).toContain("• 2. ❌ Phan Văn Đức — vắng, chưa xét lý do");
    expect(list).toContain(
      "Danh sách điền sẵn theo câu trả lời. Gõ số thứ tự để đổi có mặt/vắng; gõ nhiều số một lần cũng được, ví dụ: 1 3 5. Gõ “vắng 2 4” hoặc “có mặt 1 3” để ghi hẳn. Trả lời chỉ là dự định, điểm danh mới là chính thức. Gõ “xong” để chốt điểm danh.",
    );
    expect(list).toContain("Người được miễn hoặc đã chuyển sinh hoạt đi mà vẫn đến dự: gõ số thứ tự của họ.");
    expect(list).not.toContain("bấm");
    // Not "1. 2 ❌ Đức": a line is not listed a second time under another number.
    expect(list).not.toMatch(/^\d+\. \d+ /m);
    // The whole branch is one list where numbers are typed: no page whose numbers mean others.
    expect(list).toContain("• 14. ");
    expect(list).toMatch(/^15\. ⚖️ Xét lý do vắng$/m);

    const code = await type(secretary, /^(\d+)\. 🔢 Mã điểm danh$/m.exec(list)![1]!);
    expect(code).toContain("nếu có nhầm, đồng chí gõ số thứ tự của người đó để bỏ");
    expect(code).not.toContain("bấm");

    const pressed = await h.command(onButtons, "/diemdanh");
    expect(plain(pressed)).toContain("bấm số để đổi có mặt/vắng");
    expect(plain(pressed)).toContain("bấm “Dự họp” ở số của họ");
    expect(plain(pressed)).not.toContain("Gõ số thứ tự");
    expect(buttons(pressed).map((b) => b.label)).toContain("2 ❌ Đức");
  });

  it("switches every line typed at once, “1 3 5” and its other spellings, as their numbers do", async () => {
    h.clock.set("2026-12-03T12:45:00Z");
    await command(secretary, "/diemdanh");
    let list = await type(secretary, "1 3 5");
    expect(list).toContain("☑️ Đỗ Thị Cúc — tạm miễn sinh hoạt, dự họp nhưng không tính");
    expect(list).toContain("• 3. ✅ Lý Thị Hạnh");
    expect(list).toContain("• 5. ✅ Nguyễn Văn Hùng");
    expect(list).toContain("Có mặt 2/11");
    expect(list).toContain("Dự họp nhưng không tính 1");
    list = await type(secretary, "1,3,5");
    expect(list).toContain("➖ Đỗ Thị Cúc — tạm miễn sinh hoạt, không tính");
    expect(list).toContain("Có mặt 0/11");

    list = await type(secretary, "Số 2, 4 và 6");
    expect(list).toContain("✅ Phan Văn Đức");
    expect(list).toContain("✅ Phạm Thị Hoa");
    expect(list).toContain("✅ Đặng Minh Khoa");
    list = await type(secretary, "so 2 4 6");
    expect(list).toContain("Có mặt 0/11");
    // The new list offers its numbers again: one number alone still switches its line.
    expect(await type(secretary, "7")).toContain("• 7. ✅ Trần Thị Lan");
    expect(await type(secretary, "7")).toContain("• 7. ❌ Trần Thị Lan");
  });

  it("sets lines with “vắng 2 4” and “có mặt 1 3”, whatever they were", async () => {
    h.clock.set("2026-12-03T12:50:00Z");
    await command(secretary, "/diemdanh");
    await type(secretary, "co mat 2");
    expect(await present("Phan Văn Đức")).toBe(true);
    await type(secretary, "có mặt 2, 4");
    expect([await present("Phan Văn Đức"), await present("Phạm Thị Hoa")]).toEqual([true, true]);
    await type(secretary, "có 2 4 ạ");
    expect([await present("Phan Văn Đức"), await present("Phạm Thị Hoa")]).toEqual([true, true]);
    const list = await type(secretary, "vắng 2");
    expect(list).toContain("❌ Phan Văn Đức");
    expect(list).toContain("✅ Phạm Thị Hoa");
    await type(secretary, "vang 2 4");
    expect([await present("Phan Văn Đức"), await present("Phạm Thị Hoa")]).toEqual([false, false]);
    // The English hint's words work too.
    await type(secretary, "present 2");
    expect(await present("Phan Văn Đức")).toBe(true);
    await type(secretary, "absent 2");
    expect(await present("Phan Văn Đức")).toBe(false);
    // "vâng" written out is not read as an absence: asked, nothing changed.
    await type(secretary, "co mat 4");
    const before = await lines();
    expect(await type(secretary, "vâng 4")).toContain("đồng chí muốn ghi có mặt hay vắng? Xin gõ “có mặt 4” hoặc “vắng 4”.");
    expect(await lines()).toBe(before);
    await type(secretary, "vắng 4");
  });

  it("changes nothing when a number is not a line of the list shown, and says which", async () => {
    h.clock.set("2026-12-03T12:52:00Z");
    await command(secretary, "/diemdanh");
    const before = await lines();
    // 15 is offered, but for “Xét lý do vắng”, not a line.
    const answer = await type(secretary, "2 15 40");
    expect(answer).toContain("Danh sách đang hiện chỉ có số thứ tự từ 1 đến 14, không có số 15, 40. Chibo chưa ghi thay đổi nào; xin đồng chí gõ lại.");
    expect(await lines()).toBe(before);
    expect(await type(secretary, "vắng 3 0")).toContain("không có số 0.");
    expect(await lines()).toBe(before);
  });

  it("leaves numbers typed by members shown no roll call to the other features", async () => {
    h.clock.set("2026-12-03T12:53:00Z");
    const before = await lines();
    // Offered nothing at all.
    expect(await type(hoa, "1 3 5")).toContain("Chibo chưa hiểu tin nhắn này.");
    // Shown the roll call to read only: no line of it is offered.
    expect(await command(committee, "/diemdanh")).toContain("xin bí thư cho phép trong /thanhvien");
    const answer = await type(committee, "1 3 5");
    expect(answer).toContain("Chibo chưa hiểu tin nhắn này.");
    expect(answer).not.toContain("Điểm danh —");
    expect(await lines()).toBe(before);
  });

  it("leaves “1 3 5” and “xong” to normal handling once another list was offered", async () => {
    h.clock.set("2026-12-03T12:54:00Z");
    const before = await lines();
    await command(secretary, "/diemdanh");
    expect(await command(secretary, "/thanhvien")).toMatch(/^\d+\. /m);
    // Several numbers where the list takes one at a time are answered so, not as nonsense.
    expect(await type(secretary, "1 3 5")).toContain("Ở đây xin gõ mỗi lần một số");
    expect(await type(secretary, "xong")).toContain("Chibo chưa hiểu tin nhắn này.");
    expect(await lines()).toBe(before);
    const view = await h.core.rollCall.view(await h.actor("secretary"), meetingId);
    expect(view.ok && view.view.closed).toBe(false);
  });

  it("closes with “xong”, refused first while absences are undecided", async () => {
    h.clock.set("2026-12-03T13:00:00Z");
    await command(secretary, "/diemdanh");
    const refused = await type(secretary, "xong");
    expect(refused).toContain("Còn người vắng chưa xét lý do:");
    expect(refused).toContain("Xin gõ số của mục “Xét lý do vắng” trong danh sách điểm danh để xét trước, rồi mới chốt.");
    const chief = await h.actor("secretary");
    const view = await h.core.rollCall.view(chief, meetingId);
    if (!view.ok) throw new Error(view.reason);
    expect(view.view.closed).toBe(false);
    // A number typed at the reason question was meant for the list above: never a reason.
    let absences = await type(secretary, /^(\d+)\. ⚖️ Xét lý do vắng$/m.exec(await command(secretary, "/diemdanh"))![1]!);
    for (;;) {
      const excused = /^(\d+)\. ○ .+: có lý do$/m.exec(absences);
      if (!excused) throw new Error(`no absence without a reason left in ${absences}`);
      const asked = await type(secretary, excused[1]!);
      if (!asked.includes("vắng vì lý do gì?")) {
        absences = asked;
        continue;
      }
      const refusal = await type(secretary, "4");
      expect(refusal).toContain("Lý do xin gõ bằng chữ");
      expect(refusal).toContain("vắng vì lý do gì?");
      await type(secretary, "hủy");
      break;
    }
    await command(secretary, "/diemdanh");
    for (const line of view.view.lines.filter((l) => l.expected && !l.present))
      expect((await h.core.rollCall.mark(chief, meetingId, line.membershipId, { absence: "excused", reason: "ốm" })).ok).toBe(true);
    const closed = await type(secretary, "Chốt điểm danh");
    expect(closed).toContain("Đã chốt điểm danh");
    expect(closed).toContain("Vắng có lý do (11)");
    const after = await h.core.rollCall.view(chief, meetingId);
    expect(after.ok && after.view.closed).toBe(true);
  });

  it("lets a question that takes “xong” have it, even with a roll call's numbers offered", async () => {
    // An extraordinary meeting at 9:00 on 5 December: its roll call opens at 8:00; the
    // resolution is written for the meeting of 3 December, whose roll call is closed.
    h.clock.set("2026-12-05T01:00:00Z");
    const chief = await h.actor("secretary");
    const created = await h.core.meetings.createMeeting(chief, chief.memberships[0]!.branchId, {
      kind: "extraordinary",
      startsAt: new Date("2026-12-05T02:00:00Z"),
      place: null,
      agenda: null,
    });
    if (!created.ok) throw new Error("not created");
    h.clock.set("2026-12-05T01:30:00Z");
    const rollCall = await h.command(secretary, "/diemdanh");
    expect(plain(rollCall)).toContain("Gõ “xong” để chốt điểm danh.");
    const rollCallChoices = renderAsText(rollCall[0]!, h.i18n.t("vi")).choices;

    const desk = await h.command(secretary, "/nghiquyet");
    await h.pressLabel(secretary, desk, "Gửi nguyên văn");
    expect(plain(await h.say(secretary, "Chi bộ thống nhất phân công các đồng chí vận động bà con vệ sinh khu phố."))).toContain("gõ “xong”");
    // As if the roll call were the list this chat was last offered.
    await h.core.choices.offer("sandbox:secretary", rollCallChoices);
    expect(plain(await h.say(secretary, "xong"))).toContain("Kết quả biểu quyết");
    const still = await h.core.rollCall.view(chief, created.meetingId);
    expect(still.ok && still.view.closed).toBe(false);
  });
});
