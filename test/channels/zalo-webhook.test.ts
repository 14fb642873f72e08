import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { DEMO_PERSONAS } from "../../src/store/seed/demo-branch.ts";
import { seedDemoOnChannels } from "../helpers/demo-on-channels.ts";
import { runningClock } from "../helpers/fake-clock.ts";
import { startFakeZalo, textUpdate, type FakeZalo, type FakeZaloCall } from "../helpers/fake-zalo.ts";
import { createTestDatabase } from "../helpers/test-db.ts";

/**
 * Zalo in webhook mode (PUBLIC_URL set): the webhook is registered with the secret, a delivery
 * without it is refused, both body shapes are taken and answered at once, a repeated delivery
 * is handled once, and files go out as signed links on Chibo's own address. Groups are turned on
 * (ZALO_GROUPS): a branch's Zalo group is linked by a mention, and the notice goes to it and to
 * each member privately.
 */
const PUBLIC_URL = "https://chibo.example.vn";
const SECRET = "zalo-webhook-secret-0123456789";
const ID: Record<string, string> = Object.fromEntries(DEMO_PERSONAS.map((p) => [p.key, `w${p.key}0000000000000002`]));

let zalo: FakeZalo;
let database: DatabaseHandle;
let chibo: Chibo;
let base: string;
const clock = runningClock();

beforeAll(async () => {
  zalo = await startFakeZalo();
  database = await createTestDatabase();
  await seedDemoOnChannels(database, clock, (key) => ({ channel: "zalo", id: ID[key]! }));
  const env = {
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_ROOT: zalo.apiRoot,
    PUBLIC_URL,
    WEBHOOK_SECRET: SECRET,
    ZALO_GROUPS: "1",
    PORT: "0",
    HOST: "127.0.0.1",
    SANDBOX: "0",
  };
  chibo = await startChibo(loadConfig(env), { database, logger: pino({ level: "silent" }), clock });
  base = `http://127.0.0.1:${chibo.server.port}`;
});
afterAll(async () => {
  await chibo.stop();
  await database.close();
  await zalo.close();
});

const textOf = (call: FakeZaloCall) => String(call.params.text ?? call.params.caption ?? "");
const post = (body: unknown, secret: string | null = SECRET) =>
  fetch(`${base}/zalo/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret === null ? {} : { "x-bot-api-secret-token": secret }) },
    body: JSON.stringify(body),
  });
const said = (who: string, text: string, messageId?: string) => textUpdate({ userId: ID[who]!, text, name: who, ...(messageId ? { messageId } : {}) });
const repliesTo = (who: string, includes: string) => zalo.sent("sendMessage").filter((c) => c.params.chat_id === ID[who] && textOf(c).includes(includes));
const reply = (who: string, includes: string, after = -1) =>
  zalo
    .waitForCall("sendMessage", (c) => c.params.chat_id === ID[who] && textOf(c).includes(includes) && zalo.calls.indexOf(c) > after, 8000)
    .catch((e) => {
      console.log(
        zalo
          .sent("sendMessage")
          .filter((c) => c.params.chat_id === ID[who])
          .slice(-2)
          .map(textOf),
      );
      throw e;
    });

describe("Zalo in webhook mode", () => {
  it("registers the webhook with its secret, and does not poll", async () => {
    expect(zalo.webhook()).toEqual({ url: `${PUBLIC_URL}/zalo/webhook`, secret_token: SECRET });
    expect(zalo.calls.some((c) => c.method === "getUpdates")).toBe(false);
  });

  it("refuses a delivery with a wrong or missing secret, and handles nothing of it", async () => {
    expect((await post({ ok: true, result: said("hoa", "/toi") }, "wrong-secret-wrong-secret")).status).toBe(403);
    expect((await post({ ok: true, result: said("hoa", "/toi") }, SECRET.slice(0, -1))).status).toBe(403);
    expect((await post(said("hoa", "/toi"), null)).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(repliesTo("hoa", "Phạm Thị Hoa")).toHaveLength(0);
  });

  it("takes the wrapped body and the bare one, answering at once", async () => {
    const wrapped = await post({ ok: true, result: said("hoa", "/toi") });
    expect(wrapped.status).toBe(200);
    expect(await wrapped.json()).toEqual({ ok: true });
    await reply("hoa", "Phạm Thị Hoa");
    const bare = await post(said("nam", "/toi"));
    expect(bare.status).toBe(200);
    await reply("nam", "Hoàng Văn Nam");
  });

  it("handles a repeated delivery once", async () => {
    const update = said("mai", "/toi", "aaaaaaaaaaaaaaaaaaa1");
    for (let i = 0; i < 3; i++) expect((await post(update)).status).toBe(200);
    await reply("mai", "Vũ Thị Mai");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(repliesTo("mai", "Vũ Thị Mai")).toHaveLength(1);
  });

  it("answers a body that is not an update with 200, so that Zalo does not send it again", async () => {
    expect((await post({ hello: "world" })).status).toBe(200);
    expect((await post([said("hoa", "/toi")])).status).toBe(200);
  });

  it("sends a file as a signed link on Chibo's address, which serves it until it expires", async () => {
    const after = zalo.calls.length - 1;
    await post(said("secretary", "/baocao"));
    const menu = await reply("secretary", "Báo cáo", after);
    const month = /^(\d+)\. .*Tháng/m.exec(textOf(menu))![1]!;
    await post(said("secretary", month));
    const shown = await reply("secretary", "XLSX", zalo.calls.indexOf(menu));
    const workbook = /^(\d+)\. .*XLSX/m.exec(textOf(shown))?.[1];
    expect(workbook).toBeDefined();
    await post(said("secretary", workbook!));
    const link = await reply("secretary", `${PUBLIC_URL}/files/`, zalo.calls.indexOf(shown));
    const url = /(https:\/\/\S+)/.exec(textOf(link))![1]!;
    expect(textOf(link)).toContain("dùng được trong 24 giờ");
    const file = await fetch(url.replace(PUBLIC_URL, base));
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toContain("spreadsheetml");
    expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    clock.advanceTo(new Date(clock.now().getTime() + 25 * 3600_000));
    expect((await fetch(url.replace(PUBLIC_URL, base))).status).toBe(410);
  });

  it("sends a chart as a picture by its link, with its figures as the caption", async () => {
    const channel = chibo.channels.find((c) => c.name === "zalo")!;
    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 1, 2, 3]);
    const attachment = { bytes: png, filename: "ty-le-du-hop.png", mimeType: "image/png", caption: "Tỷ lệ dự họp tháng 11/2026: 81,8 %" };
    expect(await channel.send(`zalo:${ID.secretary}`, { blocks: [], attachment })).toMatchObject({ ok: true });
    const photo = await zalo.waitForCall("sendPhoto", (c) => c.params.chat_id === ID.secretary);
    expect(photo.params.caption).toBe("Tỷ lệ dự họp tháng 11/2026: 81,8 %");
    const url = String(photo.params.photo);
    expect(url.startsWith(`${PUBLIC_URL}/files/`)).toBe(true);
    const served = await fetch(url.replace(PUBLIC_URL, base));
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("content-disposition")).toMatch(/^inline/);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
  });

  it("links the branch's Zalo group by a mention; the notice goes to the group and to each member privately", async () => {
    const inGroup = (who: string, text: string) => textUpdate({ userId: ID[who]!, chatId: "g-branch-10", group: true, text, name: who });
    const groupReply = (includes: string) => zalo.waitForCall("sendMessage", (c) => c.params.chat_id === "g-branch-10" && textOf(c).includes(includes), 8000);
    // A member may not link it; chatter without a mention never reaches the bot at all.
    await post(inGroup("hoa", "@Chibo /chibo"));
    await groupReply("Chỉ bí thư hoặc phó bí thư");
    await post(inGroup("secretary", "@Chibo /chibo"));
    const ask = await groupReply("Liên kết nhóm này với chi bộ?");
    expect(textOf(ask)).toMatch(/^1\. 🔗 Liên kết với Chi bộ Khu phố 10$/m);
    await post(inGroup("secretary", "@Chibo 1"));
    await groupReply("Đã liên kết nhóm này");
    // The notice three days before the meeting of 3 December, 19:30.
    clock.advanceTo(new Date("2026-11-30T12:35:00Z"));
    await chibo.runDue();
    await groupReply("Thông báo triệu tập");
    for (const who of ["hoa", "nam", "mai"]) await reply(who, "Thông báo triệu tập");
  });
});
