import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TranscriptEntry } from "../../src/channels/sandbox/channel.ts";
import { entryText, startSandboxApp, type SandboxApp } from "../helpers/sandbox-app.ts";
import { queryRows } from "../helpers/test-db.ts";

/**
 * The secretary's month in a branch of 30, counted in the messages she receives, as the
 * sandbox page shows them (an edit changes a bubble in place and adds none): the notice, the
 * tally and a nudge, the roll call of everyone with the absence decisions, closing, the
 * resolution and who has read it. The figure is in bench/README.md; the bound here keeps it.
 */
const MESSAGE_BOUND = 25;
let app: SandboxApp;

beforeAll(async () => {
  app = await startSandboxApp();
  // The demo branch has 14 on its roster: 16 more make 30.
  const [branch] = await queryRows<{ id: string }>(app.chibo.database, sql`select id from branches limit 1`);
  for (let i = 1; i <= 16; i++) {
    const [row] = await queryRows<{ id: string }>(
      app.chibo.database,
      sql`insert into memberships (branch_id, roster_name) values (${branch!.id}, ${`Đảng Viên Số ${i}`}) returning id`,
    );
    await app.chibo.database.db.execute(
      sql`insert into membership_terms (membership_id, role, member_type, status, valid_from) values (${row!.id}, 'member', 'full', 'active', '2026-01-01')`,
    );
  }
});
afterAll(async () => app.close());

const bot = async (persona: string) => (await app.transcript(persona)).filter((e) => e.from === "bot");
const latest = async (persona: string, text: string) => (await bot(persona)).filter((e) => entryText(e).includes(text)).at(-1)!;
/** The latest message with a button so labelled. */
const withButton = async (persona: string, label: string) =>
  (await bot(persona)).filter((e) => (e.message?.actions ?? []).flat().some((a) => a.label.includes(label))).at(-1)!;
const send = async (persona: string, text: string) => expect((await app.post("/sandbox/api/send", { persona, text })).status).toBe(200);
/** Presses as the page does: with the message the button is under, so it can be edited. */
let taps = 0;
async function press(persona: string, entry: TranscriptEntry, label: string | RegExp): Promise<void> {
  if (persona === "secretary") taps++;
  const found = (entry.message?.actions ?? []).flat().find((a) => (typeof label === "string" ? a.label.includes(label) : label.test(a.label)));
  if (!found) throw new Error(`no button ${label} in ${JSON.stringify(entry.message?.actions)}`);
  expect((await app.post("/sandbox/api/press", { persona, payload: found.payload, message: entry.id })).status).toBe(200);
}
async function clockTo(which: "notice" | "meeting"): Promise<void> {
  const state = (await (await fetch(`${app.base}/sandbox/api/state`)).json()) as { next: Record<string, { to: string } | null> };
  expect((await app.post("/sandbox/api/clock", { to: state.next[which]!.to })).status).toBe(200);
}

describe("the secretary's month in a branch of 30", () => {
  it(`takes at most ${MESSAGE_BOUND} messages, the roll call being one`, async () => {
    await clockTo("notice");
    await press("secretary", await latest("secretary", "Thông báo triệu tập"), "Có mặt");
    await send("hoa", "có");
    await send("nam", "vắng vì ốm");
    await send("mai", "không đi được vì con ốm");
    await send("thu", "2 - đi công tác");

    await send("secretary", "/lichhop");
    await press("secretary", await latest("secretary", "Lịch họp"), /^1 📊/);
    await press("secretary", await latest("secretary", "Trả lời cho buổi họp"), "Cập nhật");
    await press("secretary", await latest("secretary", "Trả lời cho buổi họp"), "Nhắc người chưa trả lời");

    await clockTo("meeting");
    await send("secretary", "/diemdanh");
    const absent = ["Nam", "Mai", "Thu"];
    // Everyone else present: tap each "❌" on every page, then on to the next page.
    for (let guard = 0; guard < 80; guard++) {
      const roll = await latest("secretary", "Điểm danh —");
      const next = (roll.message?.actions ?? []).flat().find((a) => /❌/.test(a.label) && !absent.some((n) => a.label.endsWith(` ${n}`)));
      if (next) {
        await press("secretary", roll, next.label);
        continue;
      }
      if (!(roll.message?.actions ?? []).flat().some((a) => a.label.startsWith("Sau"))) break;
      await press("secretary", roll, "Sau");
    }
    await press("secretary", await latest("secretary", "Điểm danh —"), "Xét lý do vắng");
    for (const name of absent) await press("secretary", await latest("secretary", "Xét lý do vắng"), `${name}: có lý do`);
    await press("secretary", await latest("secretary", "Xét lý do vắng"), "Danh sách");
    await press("secretary", await latest("secretary", "Điểm danh —"), "Chốt điểm danh");
    const closed = entryText((await bot("secretary")).at(-1)!);
    expect(closed).toContain("Phải triệu tập: 27");
    expect(closed).toContain("Có mặt: 24");

    await send("secretary", "/nghiquyet");
    await press("secretary", await withButton("secretary", "Gửi nguyên văn"), "Gửi nguyên văn");
    await send("secretary", "Chi bộ thống nhất: hoàn thành thu đảng phí trong tháng; vận động bà con giữ vệ sinh ngõ xóm.");
    await press("secretary", await withButton("secretary", "Xong phần nội dung"), "Xong phần nội dung");
    await send("secretary", "23 0 0");
    await send("secretary", "gửi");
    expect(entryText((await bot("secretary")).at(-1)!)).toContain("Nghị quyết được thông qua");
    await send("secretary", "/nghiquyet");
    await press("secretary", await withButton("secretary", "Ai đã đọc"), "Ai đã đọc");

    const seen = await bot("secretary");
    const rollCalls = seen.filter((e) => entryText(e).includes("Điểm danh —"));
    console.info(`secretary's month, 30 members: ${seen.length} messages (bound ${MESSAGE_BOUND}) for ${taps} taps; roll call messages: ${rollCalls.length}`);
    expect(rollCalls).toHaveLength(1);
    expect(seen.length).toBeLessThanOrEqual(MESSAGE_BOUND);
  });
});
