import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";

/**
 * What elderly members type instead of pressing: the interpreter in the conversation. The
 * clock stands on 20 November, before the 3 December meeting's notice went out: typed
 * answers work from the moment the meeting exists.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  h.clock.set("2026-11-20T02:00:00Z");
  await h.core.planner.ensureOccurrences();
});
afterAll(async () => h.close());

const hoa: Speaker = { id: "hoa" };
const nam: Speaker = { id: "nam" };
const mai: Speaker = { id: "mai" };
const khoa: Speaker = { id: "khoa" };

describe("typed answers before the notice", () => {
  it("records “Vâng” as present, never as absent", async () => {
    expect(plain(await h.say(hoa, "Vâng ạ"))).toContain("Đã ghi: đồng chí Phạm Thị Hoa có mặt ở buổi họp 19:30 Thứ Năm, 03/12/2026");
  });

  it("asks, and records nothing, when the missing diacritics decide the meaning", async () => {
    const asked = plain(await h.say(nam, "vang a"));
    expect(asked).toContain("“vang a” là “vâng” (có mặt) hay “vắng”? Xin gõ 1 = có mặt, 2 = vắng.");
    expect(asked).toContain("Buổi họp tới của Chi bộ");
    expect(asked).not.toContain("Đã ghi");
    const tally = await h.core.attendance.meetingToAnswer(await h.actor("nam"));
    expect(tally?.answer).toBeNull();
    expect(plain(await h.say(nam, "1"))).toContain("Đã ghi: đồng chí Hoàng Văn Nam có mặt");
  });

  it("keeps the reason typed in the same sentence, without diacritics and with courtesy words", async () => {
    const recorded = plain(await h.say(mai, "Dạ em không đi được vì con ốm ạ"));
    expect(recorded).toContain("vắng buổi họp");
    expect(recorded).toContain("Lý do: con ốm");
    expect(recorded).not.toContain("cho biết lý do");
  });

  it("answers “họp khi nào” and “họp ở đâu” with the meeting, and what the member said", async () => {
    const when = plain(await h.say(hoa, "hop khi nao"));
    expect(when).toContain("19:30 Thứ Năm, 03/12/2026");
    expect(when).toContain("Đồng chí đã báo: có mặt.");
    expect(plain(await h.say(hoa, "Họp ở đâu ạ?"))).toContain("Địa điểm:");
  });

  it("answers anything not understood, while the meeting awaits the member, with the meeting and how to reply", async () => {
    const reply = await h.say(khoa, "troi mua to qua");
    expect(plain(reply)).toContain("If you meant to answer about the meeting");
    expect(plain(reply)).toContain("1 = attending, 2 = absent");
    expect(buttons(reply).map((b) => b.label)).toEqual(["✅ Attending", "📝 Absent (with reason)", "❔ Not sure"]);
    // Once answered, the plain "not understood" again.
    await h.say(khoa, "co");
    expect(plain(await h.say(khoa, "troi mua to qua"))).toContain("Chibo did not understand");
    expect(plain(await h.say(khoa, "troi mua to qua"))).not.toContain("If you meant");
  });
});

describe("while Chibo waits for the reason of an absence", () => {
  const thu: Speaker = { id: "thu", capabilities: { buttons: false, edits: false, maxTextLength: 2000, deepLinks: false, groupLinks: false } };
  const absentWithoutReason = async () => expect(plain(await h.say(thu, "khong di duoc"))).toContain("Xin đồng chí cho biết lý do vắng");
  const answer = async () => (await h.core.attendance.meetingToAnswer(await h.actor("thu")))!;
  /** Thu's stored reply to the meeting: what the tally and the secretary see. */
  const stored = async () => {
    const meetingId = (await answer()).meeting.id;
    const [row] = await queryRows<{ answer: string; reason: string | null }>(
      h.database,
      sql`select r.answer, r.reason from attendance_replies r join memberships m on m.id = r.membership_id
          where r.meeting_id = ${meetingId} and m.roster_name = 'Bùi Thị Thu'`,
    );
    return row!;
  };

  it("takes “vâng” or “có mặt” as a change of mind, never as the reason", async () => {
    await absentWithoutReason();
    expect(plain(await h.say(thu, "vâng"))).toContain("Đã ghi: đồng chí Bùi Thị Thu có mặt");
    expect(await stored()).toEqual({ answer: "yes", reason: null });
    await absentWithoutReason();
    expect(plain(await h.say(thu, "co mat"))).toContain("có mặt");
    expect(await stored()).toEqual({ answer: "yes", reason: null });
  });

  it("refuses a bare number as a reason and asks again", async () => {
    await absentWithoutReason();
    const asked = plain(await h.say(thu, "4"));
    expect(asked).toContain("Lý do xin gõ bằng chữ");
    expect(asked).toContain("Xin đồng chí cho biết lý do vắng");
    expect(await stored()).toEqual({ answer: "no", reason: null });
    expect(plain(await h.say(thu, "di cong tac"))).toContain("Lý do: di cong tac");
    expect(await stored()).toEqual({ answer: "no", reason: "di cong tac" });
  });

  it("leaves for the menu on “menu” or “0”, and for a command typed by its name", async () => {
    await absentWithoutReason();
    expect(plain(await h.say(thu, "0"))).toContain("Bùi Thị Thu");
    expect(await stored()).toEqual({ answer: "no", reason: null });
    await absentWithoutReason();
    expect(plain(await h.say(thu, "lichhop"))).toContain("Lịch họp");
    expect(await stored()).toEqual({ answer: "no", reason: null });
    // The question is gone: what comes next is read as usual.
    expect(plain(await h.say(thu, "om"))).toContain("Lý do: om");
  });
});
