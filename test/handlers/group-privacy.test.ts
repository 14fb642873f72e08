import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blockPlainText, type OutgoingMessage } from "../../src/core/message.ts";
import { buttons, createHarness, type Harness, type Speaker } from "../helpers/harness.ts";

/**
 * Every command and every button, tried inside the branch's group as each kind of person:
 * the group sees only what every member may see. Rosters, phone numbers, absence reasons,
 * roll calls, committee meetings and anything personal go to the presser's private chat; a
 * press is answered with its toast, never with a post.
 */
let h: Harness;
const GROUP = { kind: "group" as const, address: "telegram:-900" };
const PHONE = "0912345678";
const REASON = "đi viện thăm mẹ";

beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  await h.database.db.execute(sql`update memberships set phone = ${PHONE} where roster_name = 'Vũ Thị Mai'`);
  h.clock.set("2026-11-25T00:00:00Z");
  await h.core.planner.ensureOccurrences();
  // A day before the meeting of 3 December: replies are in, one with a reason.
  h.clock.set("2026-12-02T03:00:00Z");
  const meetingId = (await h.core.attendance.meetingToAnswer(await h.actor("nam")))!.meeting.id;
  await h.core.attendance.reply(await h.actor("nam"), meetingId, "no", REASON);
});
afterAll(async () => h.close());

const ROLES = ["secretary", "deputy", "committee", "hoa", "supervisor", "admin", "stranger"];
const text = (messages: OutgoingMessage[]) => messages.map((m) => m.blocks.map(blockPlainText).join("\n")).join("\n");

/** What no group may ever read. */
function expectNothingPersonal(posted: string, context: string): void {
  expect(posted, context).not.toContain(PHONE);
  expect(posted, context).not.toContain(REASON);
  expect(posted, context).not.toMatch(/Họp chi ủy|Tổng số \d+ đồng chí|Điểm danh —|Đồng chí là đảng viên/);
}

describe("in the branch's group", () => {
  it("no command, typed by anyone, posts anything personal; the answer goes to the private chat", async () => {
    for (const id of ROLES) {
      const who: Speaker = { id, chat: GROUP };
      for (const command of h.router.commandNames) {
        const posted = await h.command(who, `/${command}`);
        expectNothingPersonal(text(posted), `${id} /${command}`);
        if (command === "chibo") continue;
        // At most the one-line note that the answer went to the private chat.
        for (const post of posted) expect(text([post]), `${id} /${command}`).toMatch(/đã trả lời riêng cho đồng chí/);
        expect(h.lastPrivate.length, `${id} /${command} answered privately`).toBeGreaterThan(0);
      }
    }
  });

  it("a group hears “answered in private” once a minute at most, not once per command", async () => {
    const posts: OutgoingMessage[] = [];
    for (const command of ["toi", "help", "lichhop", "toi"]) posts.push(...(await h.command({ id: "hoa", chat: GROUP }, `/${command}`)));
    expect(posts.length).toBeLessThanOrEqual(1);
  });

  it("no button from any private answer, pressed in the group by anyone, posts there", async () => {
    // Every button the secretary and a member are offered in private, one level deep.
    const offered = new Map<string, string>();
    for (const id of ["secretary", "hoa"]) {
      for (const command of h.router.commandNames) {
        for (const b of buttons(await h.command({ id }, `/${command}`))) offered.set(b.payload, b.label);
      }
    }
    expect(offered.size).toBeGreaterThan(20);
    for (const id of ROLES) {
      for (const [payload, label] of offered) {
        const posted = await h.press({ id, chat: GROUP }, payload);
        expectNothingPersonal(text(posted), `${id} presses ${label}`);
        // Only the group link may answer in the group (it is about the group).
        if (!payload.startsWith("gl:")) expect(posted, `${id} presses ${label} (${payload})`).toEqual([]);
      }
    }
  });

  it("the secretary's roster and a member's card with the phone go to the secretary in private", async () => {
    // The presses above switched languages; back to Vietnamese.
    for (const id of ["secretary", "committee", "hoa"]) await h.command({ id }, "/ngonngu vi");
    expect(await h.command({ id: "secretary", chat: GROUP }, "/thanhvien")).toHaveLength(0);
    const roster = h.lastPrivate;
    expect(text(roster)).toContain("Vũ Thị Mai");
    const mai = /(\d+)\. [^\n]*Vũ Thị Mai/.exec(text(roster))![1]!;
    const card = buttons(roster).find((b) => new RegExp(`^${mai}(?: |$)`).test(b.label))!;
    expect(await h.press({ id: "secretary", chat: GROUP }, card.payload)).toEqual([]);
    expect(text(h.lastPrivate)).toContain(PHONE);
    expect(h.lastToast).toContain("trả lời riêng");
  });

  it("the tally with the reasons goes to the committee member who asked, in private", async () => {
    // 📊 with a meeting's number is its tally.
    const tallyButton = buttons(await h.command({ id: "secretary" }, "/lichhop")).find((b) => b.label.includes("📊"))!;
    expect(await h.press({ id: "committee", chat: GROUP }, tallyButton.payload)).toEqual([]);
    expect(text(h.lastPrivate)).toContain(REASON);
    // A plain member pressing it is refused, also in private.
    expect(await h.press({ id: "hoa", chat: GROUP }, tallyButton.payload)).toEqual([]);
    expect(text(h.lastPrivate)).toContain("không có quyền");
  });
});

describe("a channel whose groups cannot be linked", () => {
  it("says so to /chibo in its group, and links nothing", async () => {
    const noGroupLinks = { buttons: false, edits: false, maxTextLength: 2000, deepLinks: false, groupLinks: false };
    const secretary: Speaker = { id: "secretary", chat: { kind: "group", address: "sandbox:group-1" }, capabilities: noGroupLinks };
    const replies = await h.command(secretary, "/chibo");
    expect(replies.flatMap((r) => r.blocks.map((b) => ("text" in b ? b.text : "")))).toEqual([
      expect.stringContaining("Chibo chưa liên kết nhóm trên kênh này"),
    ]);
    expect(buttons(replies)).toEqual([]);
  });
});
