import { sql } from "drizzle-orm";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ZaloChannel } from "../../src/channels/zalo/channel.ts";
import { loadConfig } from "../../src/config.ts";
import { commandButton } from "../../handlers/framework/command-button.ts";
import { message, text } from "../../src/core/message.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { DEMO_PERSONAS } from "../../src/store/seed/demo-branch.ts";
import { seedDemoOnChannels } from "../helpers/demo-on-channels.ts";
import { runningClock } from "../helpers/fake-clock.ts";
import { imageUpdate, startFakeZalo, stickerUpdate, textUpdate, type FakeZalo, type FakeZaloCall } from "../helpers/fake-zalo.ts";
import { channelInbox } from "../../src/store/schema/index.ts";
import { createTestDatabase } from "../helpers/test-db.ts";

/**
 * The Zalo channel over the wire (a fake Zalo Bot Platform on 127.0.0.1), in long polling:
 * commands with and without "/", numbered choices typed back, media answered politely, idle
 * polls answered 408, updates one at a time or as a list, a 429 burst waited out, and a long
 * message cut into parts between words. The demo branch's people are on Zalo here.
 */
const ID: Record<string, string> = Object.fromEntries(DEMO_PERSONAS.map((p) => [p.key, `z${p.key}0000000000000001`]));

let zalo: FakeZalo;
let database: DatabaseHandle;
let chibo: Chibo;
const clock = runningClock();

beforeAll(async () => {
  zalo = await startFakeZalo({ maxLongPollMs: 200 });
  database = await createTestDatabase();
  await seedDemoOnChannels(database, clock, (key) => ({ channel: "zalo", id: ID[key]! }));
  // An update received before a stop and not handled: the start handles it first.
  const left = textUpdate({ userId: ID.tam!, text: "/toi", name: "tam" });
  await database.db.execute(
    sql`insert into channel_inbox (channel, update_key, payload) values ('zalo', ${`${left.event_name}:${left.message.message_id}`}, ${JSON.stringify(left)}::jsonb)`,
  );
  chibo = await startChibo(loadConfig({ ZALO_BOT_TOKEN: zalo.token, ZALO_API_ROOT: zalo.apiRoot, PORT: "0", HOST: "127.0.0.1", SANDBOX: "0" }), {
    database,
    logger: pino({ level: "silent" }),
    zaloPollingTimeout: 1,
    clock,
  });
});
afterAll(async () => {
  await chibo.stop();
  await database.close();
  await zalo.close();
});

const textOf = (call: FakeZaloCall) => String(call.params.text ?? call.params.caption ?? "");
const seen = new Map<string, number>();
/** The next message sent to `who` that contains `includes` (later than the last one awaited there). */
async function reply(who: string, includes: string): Promise<FakeZaloCall> {
  const after = seen.get(who) ?? -1;
  const call = await zalo.waitForCall(
    "sendMessage",
    (c) => c.params.chat_id === ID[who] && textOf(c).includes(includes) && zalo.calls.indexOf(c) > after,
    8000,
  );
  seen.set(who, zalo.calls.indexOf(call));
  return call;
}
const say = (who: string, words: string) => zalo.pushUpdate(textUpdate({ userId: ID[who]!, text: words, name: who }));

describe("Zalo in long polling", () => {
  it("deletes any webhook before polling, and keeps polling through idle 408 answers", async () => {
    expect(zalo.sent("deleteWebhook")).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(zalo.calls.filter((c) => c.method === "getUpdates" && c.status === 408).length).toBeGreaterThanOrEqual(2);
    say("hoa", "/start");
    await reply("hoa", "Phạm Thị Hoa");
  });

  it("handles first what a stop had left received but not handled, and empties the inbox as it goes", async () => {
    await reply("tam", "Ngô Văn Tám");
    say("hoa", "/toi");
    await reply("hoa", "Phạm Thị Hoa");
    // Forgotten right after the answer is sent.
    await vi.waitFor(async () => expect(await database.db.$count(channelInbox)).toBe(0));
  });

  it("takes commands with or without the slash, by their Vietnamese words too", async () => {
    say("hoa", "trogiup");
    const help = textOf(await reply("hoa", "/lichhop"));
    say("hoa", "/trogiup");
    expect(textOf(await reply("hoa", "/lichhop"))).toBe(help);
    say("hoa", "lichhop");
    await reply("hoa", "Lịch họp");
    say("hoa", "lịch họp");
    await reply("hoa", "Lịch họp");
  });

  it("shows every action as a numbered line and does what the number typed back names", async () => {
    say("hoa", "menu");
    const menu = textOf(await reply("hoa", "Gõ"));
    expect(menu).toMatch(/^1\. .+$/m);
    const line = /^(\d+)\. .*(Hướng dẫn|Trợ giúp)/im.exec(menu);
    expect(line).not.toBeNull();
    say("hoa", line![1]!);
    await reply("hoa", "/lichhop");
    // "0" is the menu again, never a choice.
    say("hoa", "0");
    await reply("hoa", "Phạm Thị Hoa");
  });

  it("numbers a message nobody asked for after the list the person is reading, so both still work", async () => {
    const channel = chibo.channels.find((c) => c.name === "zalo") as ZaloChannel;
    say("nam", "menu");
    const menu = textOf(await reply("nam", "Gõ"));
    const count = Number(/Gõ (?:một số từ 1 đến )?(\d+) để chọn/.exec(menu)![1]);
    await channel.send(`zalo:${ID.nam}`, message([text("Nhắc lịch họp")], [[commandButton("📅 Xem lịch họp", "lichhop")]]));
    const notice = textOf(await reply("nam", "Nhắc lịch họp"));
    expect(notice).toContain(`${count + 1}. 📅 Xem lịch họp`);
    expect(notice).toContain(`Gõ ${count + 1} để chọn.`);
    say("nam", String(count + 1));
    // A reply starts afresh: the list shown with it is numbered from 1 again.
    const list = textOf(await reply("nam", "Lịch họp"));
    expect(list).toMatch(/^1\. /m);
    // Two sent at the same moment still get numbers of their own, one after the other.
    const listed = Number(/Gõ (?:một số từ 1 đến )?(\d+) để chọn/.exec(list)![1]);
    const alert = (name: string) => message([text(`Cảnh báo: ${name}`)], [[commandButton(`👁 Xem cảnh báo ${name}`, "canhbao")]]);
    await Promise.all([channel.send(`zalo:${ID.nam}`, alert("A")), channel.send(`zalo:${ID.nam}`, alert("B"))]);
    const both = [textOf(await reply("nam", "Cảnh báo: ")), textOf(await reply("nam", "Cảnh báo: "))].join("\n");
    expect(both).toContain(`${listed + 1}. 👁 Xem cảnh báo`);
    expect(both).toContain(`${listed + 2}. 👁 Xem cảnh báo`);
  });

  it("answers a sticker, a picture and unsupported content politely, in words", async () => {
    zalo.pushUpdate(stickerUpdate({ userId: ID.mai!, sticker: "sticker-id" }));
    await reply("mai", "Chibo chỉ đọc được tin nhắn chữ");
    zalo.pushUpdate(imageUpdate({ userId: ID.mai!, photoUrl: "https://example.invalid/a.jpg" }));
    await reply("mai", "Chibo chỉ đọc được tin nhắn chữ");
    const unsupported = textUpdate({ userId: ID.mai!, text: "" });
    zalo.pushUpdate({ ...unsupported, event_name: "message.unsupported.received" });
    await reply("mai", "Chibo chỉ đọc được tin nhắn chữ");
  });

  it("takes several updates in one answer, each chat's in order", async () => {
    zalo.setUpdatesShape("array");
    say("nam", "/toi");
    say("thu", "/toi");
    await reply("nam", "Hoàng Văn Nam");
    await reply("thu", "Bùi Thị Thu");
    zalo.setUpdatesShape("auto");
  });

  it("waits out a burst of 429 “Quota exceeded” for a reply", async () => {
    zalo.failNext("sendMessage", { status: 429, description: "Quota exceeded", times: 2 });
    const before = zalo.calls.length;
    say("duc", "/toi");
    await reply("duc", "Phan Văn Đức");
    const refused = zalo.calls.slice(before).filter((c) => c.method === "sendMessage" && c.status === 429);
    expect(refused).toHaveLength(2);
    // Waited one second, then two: Zalo gives no retry_after, so the waits grow.
    const sends = zalo.calls.slice(before).filter((c) => c.method === "sendMessage");
    expect(sends[1]!.at - sends[0]!.at).toBeGreaterThanOrEqual(900);
    expect(sends[2]!.at - sends[1]!.at).toBeGreaterThanOrEqual(1800);
  });

  it("backs a proactive send off exponentially on 429, and starts again at a second after a send goes through", async () => {
    const channel = chibo.channels.find((c) => c.name === "zalo") as ZaloChannel;
    zalo.failNext("sendMessage", { status: 429, description: "Quota exceeded", times: 3 });
    const waits = [];
    for (let i = 0; i < 3; i++) {
      const result = await channel.send(`zalo:${ID.hoa}`, message([text("Nhắc lịch họp")]));
      expect(result).toMatchObject({ ok: false, reason: "retry" });
      waits.push(result.ok ? 0 : result.retryAfterMs);
    }
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(await channel.send(`zalo:${ID.hoa}`, message([text("Nhắc lịch họp")]))).toMatchObject({ ok: true });
    zalo.failNext("sendMessage", { status: 429, description: "Quota exceeded" });
    expect(await channel.send(`zalo:${ID.hoa}`, message([text("Nhắc lịch họp")]))).toMatchObject({ retryAfterMs: 1000 });
  });

  it("sends a message longer than 2,000 characters in parts cut between words", async () => {
    const channel = chibo.channels.find((c) => c.name === "zalo") as ZaloChannel;
    const words = Array.from({ length: 200 }, (_, i) => `nghịquyết${i}`);
    const long = words.join(" ");
    expect(long.length).toBeGreaterThan(2400);
    const before = zalo.calls.length;
    expect(await channel.send(`zalo:${ID.deputy}`, message([text(long)]))).toMatchObject({ ok: true });
    const parts = zalo.calls.slice(before).filter((c) => c.method === "sendMessage" && c.status === 200);
    expect(parts).toHaveLength(2);
    for (const part of parts) expect(textOf(part).length).toBeLessThanOrEqual(2000);
    expect(parts.map(textOf).join(" ").split(" ")).toEqual(words);
  });

  it("explains a file it cannot send without a public address, and still gives a chart's figures", async () => {
    const channel = chibo.channels.find((c) => c.name === "zalo") as ZaloChannel;
    const before = zalo.calls.length;
    const png = { bytes: new Uint8Array([137, 80, 78, 71]), filename: "ty-le.png", mimeType: "image/png", caption: "Tỷ lệ dự họp: tháng 11 81,8 %" };
    expect(await channel.send(`zalo:${ID.secretary}`, { blocks: [], attachment: png })).toMatchObject({ ok: true });
    const xlsx = {
      bytes: new Uint8Array([80, 75]),
      filename: "bao-cao.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      caption: "📊 Báo cáo tháng 11/2026",
    };
    expect(await channel.send(`zalo:${ID.secretary}`, { blocks: [], attachment: xlsx })).toMatchObject({ ok: true });
    const texts = zalo.calls.slice(before).map((c) => `${c.method}: ${textOf(c)}`);
    expect(texts).toEqual([
      expect.stringMatching(/^sendMessage: Tỷ lệ dự họp: tháng 11 81,8 %\n\n🖼 Hình “ty-le.png” chưa gửi qua Zalo được/),
      expect.stringMatching(/^sendMessage: 📊 Báo cáo tháng 11\/2026\n\n📎 Tệp “bao-cao.xlsx” chưa gửi qua Zalo được/),
    ]);
  });

  it("does not link a Zalo group unless groups are turned on", async () => {
    zalo.pushUpdate(textUpdate({ userId: ID.secretary!, chatId: "g-branch", group: true, text: "@Chibo /chibo", name: "secretary" }));
    const answer = await zalo.waitForCall("sendMessage", (c) => c.params.chat_id === "g-branch", 8000);
    expect(textOf(answer)).toContain("Chibo chưa liên kết nhóm trên kênh này");
  });

  it("a 403 marks the account unreachable for proactive sends", async () => {
    const channel = chibo.channels.find((c) => c.name === "zalo") as ZaloChannel;
    zalo.failNext("sendMessage", { status: 403, description: "User has blocked the bot" });
    expect(await channel.send(`zalo:${ID.hanh}`, message([text("Nhắc lịch họp")]))).toMatchObject({ ok: false, reason: "unreachable" });
  });

  it("sends the branch's notice through a burst of 429s, once to each member, pausing as it grows", async () => {
    const before = zalo.calls.length;
    zalo.failNext("sendMessage", { status: 429, description: "Quota exceeded", times: 3 });
    // The notice three days before the meeting of 3 December, 19:30.
    clock.advanceTo(new Date("2026-11-30T12:35:00Z"));
    await chibo.runDue();
    const calls = zalo.calls.slice(before).filter((c) => c.method === "sendMessage");
    const notices = calls.filter((c) => c.status === 200 && textOf(c).includes("03/12/2026"));
    const told = notices.map((c) => String(c.params.chat_id));
    expect(new Set(told).size).toBe(told.length);
    for (const who of ["secretary", "deputy", "committee", "hoa", "nam", "mai", "khoa", "thu", "duc"]) expect(told).toContain(ID[who]);
    const refused = calls.filter((c) => c.status === 429);
    expect(refused).toHaveLength(3);
    // No retry_after: each refusal paused the whole channel longer (two at once: 1 s then 2 s;
    // the third: 4 s), and then sends went out at the budget's pace, 10 a second.
    expect(refused[2]!.at - refused[0]!.at).toBeGreaterThanOrEqual(1800);
    const sent = calls.filter((c) => c.status === 200);
    expect(sent[0]!.at - refused[2]!.at).toBeGreaterThanOrEqual(3600);
    // At most 1.25 × the pace while catching up after the pause: never a burst.
    expect(sent.at(-1)!.at - sent[0]!.at).toBeGreaterThanOrEqual(((sent.length - 1) * 1000) / (10 * 1.25) - 50);
  }, 30_000);
});
