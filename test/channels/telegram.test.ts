import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from "../helpers/fake-bot-api.ts";
import { createTestDatabase } from "../helpers/test-db.ts";
import { runningClock } from "../helpers/fake-clock.ts";

/** Log lines of the running bot, to check what it says about failures. */
function capturingLogger() {
  const lines: string[] = [];
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  return { logger, lines };
}

const TOKEN = "123456:TEST-token-for-tests";
const textOf = (call: RecordedCall) => String(call.params.text);
const toChat = (chatId: number, includes?: string) => (c: RecordedCall) => Number(c.params.chat_id) === chatId && (!includes || textOf(c).includes(includes));

describe("Telegram, long polling", () => {
  let api: FakeBotApi;
  let database: DatabaseHandle;
  let chibo: Chibo;
  const log = capturingLogger();

  beforeAll(async () => {
    api = await startFakeBotApi({ token: TOKEN });
    database = await createTestDatabase();
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, PORT: "0", HOST: "127.0.0.1", SANDBOX: "0" });
    chibo = await startChibo(config, { database, logger: log.logger, telegramPollingTimeout: 1, clock: runningClock() });
  });
  afterAll(async () => {
    await chibo.stop();
    await database.close();
    await api.close();
  });

  it("registers the command menu in Vietnamese by default and in English for English clients", async () => {
    const calls = api.sent("setMyCommands");
    const vi = calls.find((c) => c.params.language_code === undefined)!;
    const en = calls.find((c) => c.params.language_code === "en")!;
    const names = (c: RecordedCall) => (c.params.commands as Array<{ command: string }>).map((x) => x.command);
    // The SPEC order; the admin command stays out of the menu.
    expect(names(vi)).toEqual(["start", "help", "chibo", "thanhvien", "lichhop", "diemdanh", "nghiquyet", "canhbao", "baocao", "toi", "ngonngu"]);
    expect(names(en)).toEqual(names(vi));
    expect(JSON.stringify(vi.params.commands)).toContain("Chọn ngôn ngữ");
    expect(JSON.stringify(en.params.commands)).toContain("Choose the language");
  });

  it("answers /start in Vietnamese, with buttons", async () => {
    api.pushUpdate(api.textUpdate({ chatId: 1001, text: "/start", firstName: "Tuấn" }));
    const reply = await api.waitForCall("sendMessage", toChat(1001, "Xin chào Tuấn!"));
    expect(reply.params.parse_mode).toBe("HTML");
    expect(JSON.stringify(reply.params.reply_markup)).toContain("cmd:help");
  });

  it("answers /help in Vietnamese, then in English after /ngonngu en", async () => {
    api.pushUpdate(api.textUpdate({ chatId: 1002, text: "/help", firstName: "Mai" }));
    await api.waitForCall("sendMessage", toChat(1002, "Chibo giúp được đồng chí những việc sau"));
    api.pushUpdate(api.textUpdate({ chatId: 1002, text: "/ngonngu en", firstName: "Mai" }));
    await api.waitForCall("sendMessage", toChat(1002, "Switched to English"));
    api.pushUpdate(api.textUpdate({ chatId: 1002, text: "/help", firstName: "Mai" }));
    await api.waitForCall("sendMessage", toChat(1002, "Here is what Chibo can do for you"));
  });

  it("switches language with a button and stops the button's spinner", async () => {
    api.pushUpdate(api.textUpdate({ chatId: 1003, text: "/ngonngu", firstName: "Khoa" }));
    await api.waitForCall("sendMessage", toChat(1003, "Ngôn ngữ hiện tại"));
    api.pushUpdate(api.callbackUpdate({ chatId: 1003, data: "lang:en", firstName: "Khoa" }));
    await api.waitForCall("sendMessage", toChat(1003, "Switched to English"));
    await api.waitForCall("answerCallbackQuery");
  });

  it("understands /help@bot in a group, answers it in private, and ignores commands for other bots and ordinary chatter", async () => {
    const before = api.sent("sendMessage").length;
    api.pushUpdate(api.textUpdate({ chatId: -500, fromId: 1004, chatType: "group", text: "/help@other_bot" }));
    api.pushUpdate(api.textUpdate({ chatId: -500, fromId: 1004, chatType: "group", text: "Tối nay họp nhé mọi người" }));
    api.pushUpdate(api.textUpdate({ chatId: -500, fromId: 1004, chatType: "group", text: "/help@chibo_test_bot", firstName: "Lụa" }));
    await api.waitForCall("sendMessage", toChat(1004, "Chibo giúp được"));
    await api.waitForCall("sendMessage", toChat(-500, "Chibo đã trả lời riêng cho đồng chí Lụa"));
    expect(
      api
        .sent("sendMessage")
        .slice(before)
        .filter((c) => Number(c.params.chat_id) === -500),
    ).toHaveLength(1);
  });

  it("in a group, tells someone who never opened a private chat how to, without posting the answer", async () => {
    // Telegram refuses a first private message to a person who never started the bot.
    api.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot can't initiate conversation with a user" });
    api.pushUpdate(api.textUpdate({ chatId: -501, fromId: 1011, chatType: "group", text: "/toi", firstName: "Cúc" }));
    const note = await api.waitForCall("sendMessage", toChat(-501, "Đồng chí Cúc: Chibo chỉ trả lời việc này trong chat riêng"));
    expect(textOf(note)).toContain("https://t.me/chibo_test_bot?start=chao");
    expect(api.sent("sendMessage").filter(toChat(-501))).toHaveLength(1);
    // The link opens the private chat with a plain welcome, not a “wrong code”.
    api.pushUpdate(api.textUpdate({ chatId: 1011, text: "/start chao", firstName: "Cúc" }));
    await api.waitForCall("sendMessage", toChat(1011, "Xin chào Cúc!"));
  });

  it("logs a failing handler and keeps serving", async () => {
    // The reply to this /start is refused; the router logs it and the next update is served.
    api.failNext("sendMessage", { error_code: 400, description: "Bad Request: chat not found" });
    api.pushUpdate(api.textUpdate({ chatId: 1005, text: "/start", firstName: "Hoa" }));
    await api.waitForCall("sendMessage", toChat(1005, "Xin lỗi, Chibo gặp trục trặc"));
    expect(log.lines.join("")).toContain("chat not found");
    api.pushUpdate(api.textUpdate({ chatId: 1006, text: "/start", firstName: "Nam" }));
    await api.waitForCall("sendMessage", toChat(1006, "Xin chào Nam!"));
  });

  it("survives an update it cannot use (no sender, unknown kind)", async () => {
    api.pushUpdate({ edited_message: { message_id: 1, date: 0, chat: { id: 1007, type: "private" }, text: "sửa" } });
    api.pushUpdate({ message: { message_id: 2, date: 0, chat: { id: 1007, type: "private" } } });
    api.pushUpdate(api.textUpdate({ chatId: 1007, text: "/start", firstName: "Sơn" }));
    await api.waitForCall("sendMessage", toChat(1007, "Xin chào Sơn!"));
  });

  it("asks for text when sent a sticker", async () => {
    api.pushUpdate({
      message: { message_id: 3, date: 0, chat: { id: 1008, type: "private" }, from: { id: 1008, is_bot: false, first_name: "Thu" }, sticker: { file_id: "x" } },
    });
    await api.waitForCall("sendMessage", toChat(1008, "Chibo chỉ đọc được tin nhắn chữ"));
  });

  it("handles a redelivered update once, even after a restart", async () => {
    const update = api.textUpdate({ chatId: 1009, text: "/start", firstName: "Đức", updateId: 900_000 });
    api.pushUpdate(update);
    await api.waitForCall("sendMessage", toChat(1009, "Xin chào Đức!"));
    await chibo.stop();
    // Telegram did not get the confirmation before the stop and delivers the update again.
    api.pushUpdate(update);
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, PORT: "0", HOST: "127.0.0.1", SANDBOX: "0" });
    chibo = await startChibo(config, { database, logger: log.logger, telegramPollingTimeout: 1, clock: runningClock() });
    api.pushUpdate(api.textUpdate({ chatId: 1010, text: "/start", firstName: "Yến" }));
    await api.waitForCall("sendMessage", toChat(1010, "Xin chào Yến!"));
    expect(api.sent("sendMessage").filter(toChat(1009))).toHaveLength(1);
    expect(log.lines.join("")).toContain("skipping a redelivered update");
  });
});

describe("Telegram, webhook mode", () => {
  let api: FakeBotApi;
  let chibo: Chibo;
  let database: DatabaseHandle;
  const secret = "webhook-secret-for-tests";
  const post = (body: unknown, token?: string) =>
    fetch(`http://127.0.0.1:${chibo.server.port}/telegram/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { "x-telegram-bot-api-secret-token": token } : {}) },
      body: JSON.stringify(body),
    });

  beforeEach(async () => {
    api = await startFakeBotApi({ token: TOKEN });
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: api.apiRoot,
      PORT: "0",
      HOST: "127.0.0.1",
      SANDBOX: "0",
      PUBLIC_URL: "https://chibo.example.vn",
      WEBHOOK_SECRET: secret,
      LOG_LEVEL: "silent",
    });
    database = await createTestDatabase();
    chibo = await startChibo(config, { database, logger: pino({ level: "silent" }), clock: runningClock() });
  });
  afterEach(async () => {
    await chibo.stop();
    await database.close();
    await api.close();
  });

  it("registers the webhook with its secret", () => {
    const call = api.sent("setWebhook")[0]!;
    expect(call.params.url).toBe("https://chibo.example.vn/telegram/webhook");
    expect(call.params.secret_token).toBe(secret);
    expect(api.sent("getUpdates")).toHaveLength(0);
  });

  it("rejects a call without the secret or with a wrong one, and handles nothing", async () => {
    const update = api.textUpdate({ chatId: 2001, text: "/start", firstName: "Lan" });
    expect((await post(update)).status).toBe(401);
    expect((await post(update, "wrong-secret-wrong-secret")).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api.sent("sendMessage")).toHaveLength(0);
  });

  it("answers 503 while the database does not answer, so Telegram delivers the update again", async () => {
    const update = api.textUpdate({ chatId: 2003, text: "/start", firstName: "Lan" });
    await database.close();
    expect((await post(update, secret)).status).toBe(503);
    expect(api.sent("sendMessage")).toHaveLength(0);
    // afterEach closes it again: open a fresh one to close.
    database = await createTestDatabase();
  });

  it("answers a call with the right secret, and a redelivered update only once", async () => {
    const update = api.textUpdate({ chatId: 2002, text: "/start", firstName: "Lan" });
    expect((await post(update, secret)).status).toBe(200);
    expect((await post(update, secret)).status).toBe(200);
    await api.waitForCall("sendMessage", toChat(2002, "Xin chào Lan!"));
    expect(api.sent("sendMessage").filter(toChat(2002))).toHaveLength(1);
  });
});
