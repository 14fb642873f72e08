import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Bot, Composer, GrammyError, InputFile } from "grammy";
import type { Context } from "grammy";
import { botApiTypeError, parseTelegramHtml, startFakeBotApi } from "./fake-bot-api.ts";
import type { FakeBotApi } from "./fake-bot-api.ts";

interface ApiAnswer {
  status: number;
  body: { ok: boolean; result?: unknown; error_code?: number; description?: string; parameters?: { retry_after?: number } };
}

async function call(api: FakeBotApi, method: string, params: object = {}, token = api.token): Promise<ApiAnswer> {
  const res = await fetch(`${api.apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as ApiAnswer["body"] };
}

async function expectBadRequest(api: FakeBotApi, method: string, params: object, description: string | RegExp): Promise<void> {
  const r = await call(api, method, params);
  expect(r.status).toBe(400);
  expect(r.body.ok).toBe(false);
  expect(r.body.error_code).toBe(400);
  if (typeof description === "string") expect(r.body.description).toBe(description);
  else expect(r.body.description).toMatch(description);
}

function grammyError(e: unknown): GrammyError {
  expect(e).toBeInstanceOf(GrammyError);
  return e as GrammyError;
}

describe("fake Bot API (shared server)", () => {
  let api: FakeBotApi;
  let bot: Bot;

  beforeAll(async () => {
    api = await startFakeBotApi();
    bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
  });
  afterAll(async () => {
    await api.close();
  });
  beforeEach(() => api.reset());

  describe("protocol", () => {
    it("answers getMe with the configured bot, via fetch and grammY", async () => {
      const r = await call(api, "getMe");
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ ok: true, result: { id: 123456, is_bot: true, username: "chibo_test_bot" } });
      const me = await bot.api.getMe();
      expect(me.username).toBe("chibo_test_bot");
      expect(api.sent("getMe")).toHaveLength(2);
    });

    it("rejects a wrong token with 401", async () => {
      const r = await call(api, "getMe", {}, "999:WRONG");
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
      expect(api.calls[0]?.status).toBe(401);
    });

    it("rejects an unknown method with 404", async () => {
      const r = await call(api, "sendPigeon", { chat_id: 1 });
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ ok: false, error_code: 404, description: "Not Found: method not found" });
    });

    it("answers true for other methods of the official list", async () => {
      const r = await call(api, "setMyDescription", { description: "Trợ lý chi bộ" });
      expect(r.body).toEqual({ ok: true, result: true });
    });

    it("rejects a missing required parameter", async () => {
      await expectBadRequest(api, "sendMessage", { text: "hi" }, "Bad Request: chat_id is required");
      await expectBadRequest(api, "sendMessage", { chat_id: 1 }, "Bad Request: text is required");
      await expectBadRequest(api, "answerCallbackQuery", {}, "Bad Request: callback_query_id is required");
    });

    it("rejects a parameter of the wrong JSON type and accepts every declared type", async () => {
      await expectBadRequest(api, "sendMessage", { chat_id: true, text: "x" }, /chat_id.*Integer or String/);
      await expectBadRequest(api, "sendMessage", { chat_id: 1.5, text: "x" }, /chat_id/);
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: 5 }, /text.*String/);
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: "x", disable_notification: "yes" }, /disable_notification.*Boolean/);
      await expectBadRequest(api, "setMyCommands", { commands: { command: "start" } }, /commands/);
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: "x", reply_markup: { keyboard: "no" } }, /reply_markup/);
      expect((await call(api, "sendMessage", { chat_id: "@chibo_channel", text: "x" })).status).toBe(200);
      expect((await call(api, "sendMessage", { chat_id: 1, text: "x", reply_markup: { keyboard: [["Có", { text: "Không" }]] } })).status).toBe(200);
      expect((await call(api, "sendMessage", { chat_id: 1, text: "x", reply_markup: { remove_keyboard: true } })).status).toBe(200);
    });
  });

  describe("sendMessage", () => {
    it("returns realistic messages with increasing ids per chat", async () => {
      const before = Math.floor(Date.now() / 1000);
      const a1 = await bot.api.sendMessage(42, "một");
      const a2 = await bot.api.sendMessage(42, "hai");
      const b1 = await bot.api.sendMessage(-100, "ba");
      expect([a1.message_id, a2.message_id, b1.message_id]).toEqual([1, 2, 1]);
      expect(a1.chat).toMatchObject({ id: 42, type: "private" });
      expect(b1.chat).toMatchObject({ id: -100, type: "group" });
      expect(a1.from?.username).toBe("chibo_test_bot");
      expect(a1.date).toBeGreaterThanOrEqual(before);
      expect(a1.date).toBeLessThan(before + 5);
      expect(a2.text).toBe("hai");
      expect(api.sent("sendMessage").map((c) => c.params.text)).toEqual(["một", "hai", "ba"]);
    });

    it("rejects empty and too long text, accepts 4096 characters", async () => {
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: "" }, "Bad Request: message text is empty");
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: "  \n " }, "Bad Request: message text is empty");
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: "a".repeat(4097) }, "Bad Request: message is too long");
      expect((await call(api, "sendMessage", { chat_id: 1, text: "ộ".repeat(4096) })).status).toBe(200);
      // characters, not UTF-16 units: 4096 emoji are fine
      expect((await call(api, "sendMessage", { chat_id: 1, text: "😀".repeat(4096) })).status).toBe(200);
    });

    it("counts the length after HTML entity parsing", async () => {
      const markup = `<b>${"&amp;".repeat(4096)}</b>`;
      const ok = await call(api, "sendMessage", { chat_id: 1, text: markup, parse_mode: "HTML" });
      expect(ok.status).toBe(200);
      expect((ok.body.result as { text: string }).text).toBe("&".repeat(4096));
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: `<i>${"x".repeat(4097)}</i>`, parse_mode: "HTML" }, "Bad Request: message is too long");
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: "<b></b>", parse_mode: "HTML" }, "Bad Request: message text is empty");
    });

    it("rejects an unsupported parse_mode", async () => {
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: "x", parse_mode: "html5" }, "Bad Request: unsupported parse_mode");
    });

    it("reports errors through grammY as GrammyError", async () => {
      const e = grammyError(await bot.api.sendMessage(1, "").catch((err: unknown) => err));
      expect(e.error_code).toBe(400);
      expect(e.description).toBe("Bad Request: message text is empty");
    });
  });

  describe("parse_mode HTML", () => {
    it("accepts valid markup and returns plain text with entities", async () => {
      const msg = await bot.api.sendMessage(7, "<b>Chi bộ</b> &amp; <i>x</i>", { parse_mode: "HTML" });
      expect(msg.text).toBe("Chi bộ & x");
      expect(msg.entities).toEqual([
        { type: "bold", offset: 0, length: 6 },
        { type: "italic", offset: 9, length: 1 },
      ]);
    });

    it("rejects unclosed tags and bare < or &", async () => {
      await expect(bot.api.sendMessage(7, "<b>x", { parse_mode: "HTML" })).rejects.toThrow(
        /can't parse entities: Can't find end tag corresponding to start tag "b"/,
      );
      await expectBadRequest(
        api,
        "sendMessage",
        { chat_id: 7, text: "a < b", parse_mode: "HTML" },
        'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2',
      );
      await expectBadRequest(
        api,
        "sendMessage",
        { chat_id: 7, text: "Tom & Jerry", parse_mode: "HTML" },
        /^Bad Request: can't parse entities: .*&.* at byte offset 4$/,
      );
      // without parse_mode the same text is fine
      expect((await call(api, "sendMessage", { chat_id: 7, text: "a < b & c" })).status).toBe(200);
    });

    it("validates tags like Telegram", () => {
      const good = [
        "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>",
        '<span class="tg-spoiler">s</span> <tg-spoiler>t</tg-spoiler>',
        '<a href="https://example.com/?a=1&b=2">link</a>',
        '<pre><code class="language-ts">const x = 1 &lt; 2;</code></pre>',
        "<code>x</code> <blockquote>q</blockquote> <blockquote expandable>long</blockquote>",
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
        "&lt;&gt;&quot;&#39;&#x1F600; 1 > 0",
        "<B>upper case</B>",
      ];
      for (const html of good) expect(parseTelegramHtml(html), html).toMatchObject({ ok: true });
      const bad: [string, RegExp][] = [
        ["<b>x", /Can't find end tag corresponding to start tag "b"/],
        ["<b><i>x</b></i>", /Unmatched end tag at byte offset 7, expected "<\/i>", found "<\/b>"/],
        ["x</b>", /Unexpected end tag at byte offset 1/],
        ["<div>x</div>", /Unsupported start tag "div"/],
        ["<br/>", /Unsupported start tag "br\/"/],
        ["<span>x</span>", /Tag "span" must have class "tg-spoiler"/],
        ["<tg-emoji>x</tg-emoji>", /emoji-id/],
        ["&nbsp;", /&/],
        ["&#0;", /&/],
        ["<b", /Unclosed start tag/],
      ];
      for (const [html, error] of bad) {
        const r = parseTelegramHtml(html);
        expect(r.ok, html).toBe(false);
        if (!r.ok) expect(r.error, html).toMatch(error);
      }
    });

    it("computes entities for nesting, links, pre with language and expandable quotes", () => {
      const r = parseTelegramHtml(
        '<b>a<i>b</i></b><a href="tg://user?id=1">c</a><pre><code class="language-ts">d</code></pre><blockquote expandable>e</blockquote>',
      );
      expect(r).toEqual({
        ok: true,
        text: "abcde",
        entities: [
          { type: "bold", offset: 0, length: 2 },
          { type: "italic", offset: 1, length: 1 },
          { type: "text_link", offset: 2, length: 1, url: "tg://user?id=1" },
          { type: "pre", offset: 3, length: 1, language: "ts" },
          { type: "expandable_blockquote", offset: 4, length: 1 },
        ],
      });
    });

    it("reports byte offsets in UTF-8", () => {
      const r = parseTelegramHtml("Chi bộ <x>");
      expect(r).toEqual({ ok: false, error: 'Unsupported start tag "x" at byte offset 9' });
    });
  });

  describe("inline keyboards and captions", () => {
    const keyboard = (callback_data: string) => ({ inline_keyboard: [[{ text: "Bấm", callback_data }]] });

    it("checks callback_data is 1-64 bytes of UTF-8", async () => {
      const at64 = "ộ".repeat(21) + "x"; // 21 × 3 bytes + 1 = 64 bytes
      const msg = await bot.api.sendMessage(1, "chọn", { reply_markup: keyboard(at64) });
      expect(msg.reply_markup).toEqual(keyboard(at64));
      await expect(bot.api.sendMessage(1, "chọn", { reply_markup: keyboard("ộ".repeat(22)) })).rejects.toThrow(/BUTTON_DATA_INVALID/);
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: "x", reply_markup: keyboard("") }, "Bad Request: BUTTON_DATA_INVALID");
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: "x", reply_markup: keyboard("a".repeat(65)) }, "Bad Request: BUTTON_DATA_INVALID");
    });

    it("requires button text and an action", async () => {
      await expectBadRequest(
        api,
        "sendMessage",
        { chat_id: 1, text: "x", reply_markup: { inline_keyboard: [[{ callback_data: "a" }]] } },
        /can't parse inline keyboard button: Field "text"/,
      );
      await expectBadRequest(
        api,
        "sendMessage",
        { chat_id: 1, text: "x", reply_markup: { inline_keyboard: [[{ text: "", callback_data: "a" }]] } },
        /Field "text"/,
      );
      await expectBadRequest(api, "sendMessage", { chat_id: 1, text: "x", reply_markup: { inline_keyboard: [[{ text: "a" }]] } }, /Text buttons are unallowed/);
      await expectBadRequest(
        api,
        "sendMessage",
        { chat_id: 1, text: "x", reply_markup: { inline_keyboard: [{ text: "a", callback_data: "a" }] } },
        /row must be an Array/,
      );
      expect(
        (await call(api, "sendMessage", { chat_id: 1, text: "x", reply_markup: { inline_keyboard: [[{ text: "web", url: "https://example.com" }]] } })).status,
      ).toBe(200);
    });

    it("rejects captions longer than 1024 characters", async () => {
      await expectBadRequest(api, "sendPhoto", { chat_id: 1, photo: "AgADfileid", caption: "c".repeat(1025) }, "Bad Request: message caption is too long");
      const ok = await call(api, "sendPhoto", { chat_id: 1, photo: "AgADfileid", caption: `<b>${"c".repeat(1024)}</b>`, parse_mode: "HTML" });
      expect(ok.status).toBe(200);
      expect(ok.body.result).toMatchObject({
        caption: "c".repeat(1024),
        caption_entities: [{ type: "bold", offset: 0, length: 1024 }],
        photo: [{ file_id: "AgADfileid" }],
      });
    });
  });

  describe("edits, deletes and commands", () => {
    it("edits text and keyboards, and refuses no-op edits like Telegram", async () => {
      const kb = { inline_keyboard: [[{ text: "OK", callback_data: "ok" }]] };
      const m = await bot.api.sendMessage(5, "trước", { reply_markup: kb });
      const edited = await bot.api.editMessageText(5, m.message_id, "<b>sau</b>", { parse_mode: "HTML", reply_markup: kb });
      expect(edited).toMatchObject({ message_id: m.message_id, text: "sau", entities: [{ type: "bold", offset: 0, length: 3 }], reply_markup: kb });
      await expect(bot.api.editMessageText(5, m.message_id, "<b>sau</b>", { parse_mode: "HTML", reply_markup: kb })).rejects.toThrow(/message is not modified/);
      const noKb = await bot.api.editMessageReplyMarkup(5, m.message_id);
      expect(noKb).toMatchObject({ message_id: m.message_id, text: "sau" });
      expect((noKb as { reply_markup?: unknown }).reply_markup).toBeUndefined();
      await expect(bot.api.editMessageReplyMarkup(5, m.message_id)).rejects.toThrow(/message is not modified/);
      await expectBadRequest(api, "editMessageText", { chat_id: 5, message_id: m.message_id, text: "" }, "Bad Request: message text is empty");
      await expectBadRequest(api, "editMessageText", { chat_id: 5, text: "x" }, "Bad Request: message identifier is not specified");
      expect(await bot.api.editMessageTextInline("inline-1", "x")).toBe(true);
    });

    it("deletes once", async () => {
      const m = await bot.api.sendMessage(5, "xoá tôi");
      expect(await bot.api.deleteMessage(5, m.message_id)).toBe(true);
      await expect(bot.api.deleteMessage(5, m.message_id)).rejects.toThrow("Bad Request: message to delete not found");
      await expect(bot.api.editMessageText(5, m.message_id, "x")).rejects.toThrow("Bad Request: message to edit not found");
    });

    it("stores commands per scope and language", async () => {
      await bot.api.setMyCommands([{ command: "start", description: "Bắt đầu" }], { language_code: "vi" });
      expect(await bot.api.getMyCommands({ language_code: "vi" })).toEqual([{ command: "start", description: "Bắt đầu" }]);
      expect(await bot.api.getMyCommands()).toEqual([]);
      await bot.api.deleteMyCommands({ language_code: "vi" });
      expect(await bot.api.getMyCommands({ language_code: "vi" })).toEqual([]);
      await expect(bot.api.setMyCommands([{ command: "Start", description: "x" }])).rejects.toThrow("BOT_COMMAND_INVALID");
    });

    it("answers the other implemented methods", async () => {
      expect(await bot.api.answerCallbackQuery("42", { text: "Đã lưu" })).toBe(true);
      expect(await bot.api.sendChatAction(5, "typing")).toBe(true);
      await expect(bot.api.sendChatAction(5, "dancing" as "typing")).rejects.toThrow(/action/);
      expect(await bot.api.getChat(-100)).toMatchObject({ id: -100, type: "group" });
      expect(await bot.api.getChatMember(-100, 77)).toMatchObject({ status: "member", user: { id: 77 } });
      expect(await bot.api.leaveChat(-100)).toBe(true);
      expect((await call(api, "close")).body.result).toBe(true);
      expect((await call(api, "logOut")).body.result).toBe(true);
    });

    it("rejects getUpdates while a webhook is set", async () => {
      await expect(bot.api.setWebhook("http://insecure.example")).rejects.toThrow(/HTTPS/);
      await bot.api.setWebhook("https://chibo.example/hook");
      expect(await bot.api.getWebhookInfo()).toMatchObject({ url: "https://chibo.example/hook", pending_update_count: 0 });
      const r = await call(api, "getUpdates");
      expect(r.status).toBe(409);
      await bot.api.deleteWebhook();
      expect((await bot.api.getWebhookInfo()).url).toBe("");
      expect((await call(api, "getUpdates")).status).toBe(200);
    });
  });

  describe("files", () => {
    it("records multipart uploads from grammY with their bytes", async () => {
      const bytes = Buffer.from("%PDF-1.4 biên bản họp chi bộ");
      const msg = await bot.api.sendDocument(9, new InputFile(bytes, "biên bản tháng 5.pdf"), {
        caption: "<i>Biên bản</i>",
        parse_mode: "HTML",
        reply_markup: { inline_keyboard: [[{ text: "Đã xem", callback_data: "seen" }]] },
      });
      expect(msg.document).toMatchObject({ file_name: "biên bản tháng 5.pdf", file_size: bytes.length });
      expect(msg.caption).toBe("Biên bản");
      const c = await api.waitForCall("sendDocument");
      expect(c.params.chat_id).toBe(9); // multipart strings are converted to the declared types
      expect(c.params.reply_markup).toEqual({ inline_keyboard: [[{ text: "Đã xem", callback_data: "seen" }]] });
      expect(c.files?.document?.filename).toBe("biên bản tháng 5.pdf");
      expect(c.files?.document?.size).toBe(bytes.length);
      expect(c.files?.document?.bytes.equals(bytes)).toBe(true);
    });

    it("accepts a standard FormData upload and validates its fields", async () => {
      const form = new FormData();
      form.set("chat_id", "9");
      form.set("photo", new Blob([new Uint8Array([1, 2, 3])]), "a.jpg");
      const res = await fetch(`${api.apiRoot}/bot${api.token}/sendPhoto`, { method: "POST", body: form });
      expect(res.status).toBe(200);
      expect(api.sent("sendPhoto")[0]?.files?.photo?.bytes).toEqual(Buffer.from([1, 2, 3]));

      const bad = new FormData();
      bad.set("chat_id", "9");
      bad.set("caption", "c".repeat(1025));
      bad.set("document", new Blob(["x"]), "x.txt");
      const r2 = await fetch(`${api.apiRoot}/bot${api.token}/sendDocument`, { method: "POST", body: bad });
      expect(r2.status).toBe(400);
      expect(((await r2.json()) as { description: string }).description).toBe("Bad Request: message caption is too long");
    });
  });

  describe("user-sent files", () => {
    /** A bot that can run handleUpdate without calling getMe first. */
    async function handlingBot(): Promise<Bot> {
      return new Bot(api.token, { client: { apiRoot: api.apiRoot }, botInfo: await bot.api.getMe() });
    }

    it("builds a document update whose file can be fetched through grammY", async () => {
      const bytes = new Uint8Array(Buffer.from("Họ tên,Ngày sinh\nNguyễn Văn A,1980-01-02\n"));
      const u = api.documentUpdate({ chatId: 42, fileName: "đảng viên.csv", bytes, caption: "/import danh sách" });
      expect(botApiTypeError(u, "Update")).toBeNull();
      expect(u.message).toMatchObject({
        chat: { id: 42, type: "private" },
        from: { id: 42, is_bot: false },
        caption: "/import danh sách",
        caption_entities: [{ type: "bot_command", offset: 0, length: 7 }],
        document: { file_name: "đảng viên.csv", mime_type: "text/csv", file_size: bytes.length },
      });
      const doc = u.message?.document;
      expect(doc?.file_id).toMatch(/^BQAC/);
      expect(doc?.file_unique_id).toMatch(/^AgAD/);

      const file = await bot.api.getFile(doc?.file_id ?? "");
      expect(file).toEqual({
        file_id: doc?.file_id,
        file_unique_id: doc?.file_unique_id,
        file_size: bytes.length,
        file_path: expect.stringMatching(/^documents\/file_\d+\.csv$/),
      });
      expect(botApiTypeError(file, "File")).toBeNull();
      expect((await bot.api.getFile(doc?.file_id ?? "")).file_path).toBe(file.file_path); // stable

      const res = await fetch(`${api.apiRoot}/file/bot${api.token}/${file.file_path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-length")).toBe(String(bytes.length));
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
    });

    it("lets a grammY handler download the document of the update it receives", async () => {
      const receiver = await handlingBot();
      const got: string[] = [];
      receiver.on("message:document", async (ctx) => {
        const f = await ctx.getFile();
        const res = await fetch(`${api.apiRoot}/file/bot${api.token}/${f.file_path ?? ""}`);
        got.push(`${ctx.msg.document.file_name ?? ""}|${f.file_path ?? ""}|${await res.text()}`);
      });
      await receiver.handleUpdate(
        api.documentUpdate({ chatId: -1001234567890, fromId: 7, fileName: "bien-ban.pdf", bytes: new TextEncoder().encode("%PDF-1.4") }),
      );
      expect(got).toEqual([expect.stringMatching(/^bien-ban\.pdf\|documents\/file_\d+\.pdf\|%PDF-1\.4$/)]);
      expect(api.sent("getFile")).toHaveLength(1);
    });

    it("answers 400 for an unknown file_id, 404 for an unknown path and 401 for a wrong token", async () => {
      const e = grammyError(await bot.api.getFile("BQACnope").catch((err: unknown) => err));
      expect(e.error_code).toBe(400);
      expect(e.description).toBe("Bad Request: invalid file_id");
      await expectBadRequest(api, "getFile", { file_id: "" }, "Bad Request: invalid file_id");

      const { file_id } = api.addFile(new Uint8Array([1, 2, 3]), { fileName: "a.txt" });
      const { file_path } = await bot.api.getFile(file_id);
      const wrongToken = await fetch(`${api.apiRoot}/file/bot999:WRONG/${file_path ?? ""}`);
      expect(wrongToken.status).toBe(401);
      expect(await wrongToken.json()).toEqual({ ok: false, error_code: 401, description: "Unauthorized" });
      const unknown = await fetch(`${api.apiRoot}/file/bot${api.token}/documents/file_9999.txt`);
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual({ ok: false, error_code: 404, description: "Not Found" });
      expect((await fetch(`${api.apiRoot}/file/bot${api.token}/${file_path ?? ""}`)).status).toBe(200);
      expect(api.calls.map((c) => c.method)).toEqual(["getFile", "getFile", "getFile"]); // downloads are not method calls
    });

    it("refuses getFile for files over 20 MB, like the real API", async () => {
      const limit = 20 * 1024 * 1024;
      const big = api.addFile(new Uint8Array(limit + 1), { fileName: "video.mp4" });
      expect(big.file_size).toBe(limit + 1);
      await expectBadRequest(api, "getFile", { file_id: big.file_id }, "Bad Request: file is too big");
      const atLimit = api.addFile(new Uint8Array(limit), { fileName: "video.mp4" });
      expect((await bot.api.getFile(atLimit.file_id)).file_size).toBe(limit);
    });

    it("stores a copy of the bytes and names paths from the file name or MIME type", async () => {
      const bytes = new Uint8Array([10, 20, 30]);
      const added = api.addFile(bytes, { mimeType: "application/pdf" });
      expect(added).toEqual({ file_id: expect.any(String), file_unique_id: expect.any(String), file_size: 3 });
      bytes[0] = 99;
      const f = await bot.api.getFile(added.file_id);
      expect(f.file_path).toMatch(/^documents\/file_\d+\.pdf$/);
      const res = await fetch(`${api.apiRoot}/file/bot${api.token}/${f.file_path ?? ""}`);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([10, 20, 30]));
      const bare = await bot.api.getFile(api.addFile(new Uint8Array([1])).file_id);
      expect(bare.file_path).toMatch(/^documents\/file_\d+$/);
      expect(new Set([added.file_id, bare.file_id]).size).toBe(2);
    });

    it("knows files the bot uploaded, and keeps a file's metadata when it is re-sent by file_id", async () => {
      const sent = await bot.api.sendDocument(9, new InputFile(Buffer.from("báo cáo"), "báo cáo.txt"));
      const f = await bot.api.getFile(sent.document?.file_id ?? "");
      expect(f.file_path).toMatch(/^documents\/file_\d+\.txt$/);
      expect(await (await fetch(`${api.apiRoot}/file/bot${api.token}/${encodeURI(f.file_path ?? "")}`)).text()).toBe("báo cáo");

      const u = api.documentUpdate({ chatId: 5, fileName: "danh sách.xlsx", bytes: new Uint8Array([80, 75, 3, 4]) });
      const forwarded = await bot.api.sendDocument(-100, u.message?.document?.file_id ?? "");
      expect(forwarded.document).toEqual(u.message?.document);
    });

    it("forgets files on reset", async () => {
      const { file_id } = api.addFile(new Uint8Array([1]), { fileName: "x.txt" });
      const { file_path } = await bot.api.getFile(file_id);
      api.reset();
      await expectBadRequest(api, "getFile", { file_id }, "Bad Request: invalid file_id");
      expect((await fetch(`${api.apiRoot}/file/bot${api.token}/${file_path ?? ""}`)).status).toBe(404);
    });
  });

  describe("service updates", () => {
    async function run(update: object, install: (c: Composer<Context>, seen: string[]) => void): Promise<string[]> {
      const receiver = new Bot(api.token, { client: { apiRoot: api.apiRoot }, botInfo: await bot.api.getMe() });
      const seen: string[] = [];
      const c = new Composer<Context>();
      install(c, seen);
      receiver.use(c);
      await receiver.handleUpdate(update as Parameters<Bot["handleUpdate"]>[0]);
      return seen;
    }

    it("builds the migrate_to_chat_id message a group sends when it becomes a supergroup", async () => {
      await bot.api.sendMessage(-4001, "chào chi bộ");
      const u = api.migrateUpdate({ fromChatId: -4001, toChatId: -1004001 });
      expect(botApiTypeError(u, "Update")).toBeNull();
      expect(u.message).toMatchObject({ message_id: 2, chat: { id: -4001, type: "group" }, from: { is_bot: false }, migrate_to_chat_id: -1004001 });
      expect(u.message?.text).toBeUndefined();
      const seen = await run(u, (c, out) => {
        c.on("message:migrate_to_chat_id", (ctx) => {
          out.push(`${ctx.chat.id}->${ctx.msg.migrate_to_chat_id}`);
        });
        c.on("message:text", () => {
          out.push("text");
        });
      });
      expect(seen).toEqual(["-4001->-1004001"]);
      expect(await bot.api.getChat(-1004001)).toMatchObject({ id: -1004001, type: "supergroup", title: (u.message?.chat as { title: string }).title });
      expect(() => api.migrateUpdate({ fromChatId: 5, toChatId: -1005 })).toThrow(/negative/);
    });

    it("builds my_chat_member updates that follow the bot's membership", async () => {
      const added = api.myChatMemberUpdate({ chatId: -1002002, chatType: "supergroup", newStatus: "member", fromId: 8 });
      expect(botApiTypeError(added, "Update")).toBeNull();
      expect(added.my_chat_member).toMatchObject({
        chat: { id: -1002002, type: "supergroup" },
        from: { id: 8, is_bot: false },
        old_chat_member: { status: "left", user: { id: 123456, is_bot: true } },
        new_chat_member: { status: "member", user: { username: "chibo_test_bot" } },
      });
      const promoted = api.myChatMemberUpdate({ chatId: -1002002, chatType: "supergroup", newStatus: "administrator" });
      expect(promoted.my_chat_member).toMatchObject({
        old_chat_member: { status: "member" },
        new_chat_member: { status: "administrator", can_manage_chat: true },
      });
      expect(await bot.api.getChatMember(-1002002, 123456)).toMatchObject({ status: "administrator" });
      const kicked = api.myChatMemberUpdate({ chatId: -1002002, chatType: "supergroup", newStatus: "kicked" });
      expect(kicked.my_chat_member).toMatchObject({ old_chat_member: { status: "administrator" }, new_chat_member: { status: "kicked", until_date: 0 } });
      const left = api.myChatMemberUpdate({ chatId: -3003, chatType: "group", newStatus: "left", oldStatus: "administrator" });
      expect(left.my_chat_member).toMatchObject({ chat: { type: "group" }, old_chat_member: { status: "administrator" }, new_chat_member: { status: "left" } });
      for (const u of [promoted, kicked, left]) expect(botApiTypeError(u, "Update")).toBeNull();
      expect(new Set([added, promoted, kicked, left].map((u) => u.update_id)).size).toBe(4);

      const seen = await run(added, (c, out) => {
        c.on("my_chat_member", (ctx) => {
          out.push(`${ctx.chat?.id ?? ""}:${ctx.myChatMember.old_chat_member.status}->${ctx.myChatMember.new_chat_member.status}`);
        });
        c.on("chat_member", () => {
          out.push("chat_member");
        });
      });
      expect(seen).toEqual(["-1002002:left->member"]);
      api.reset();
      expect(await bot.api.getChatMember(-1002002, 123456)).toMatchObject({ status: "member" });
    });
  });

  describe("updates", () => {
    it("long polling returns a pushed update promptly and respects offset", async () => {
      const started = performance.now();
      const pending = call(api, "getUpdates", { timeout: 30 });
      await new Promise((r) => setTimeout(r, 50)); // let the poll start waiting (if it has not, the push is simply found)
      const id = api.pushUpdate(api.textUpdate({ chatId: 42, text: "/start" }));
      const r = await pending;
      expect(performance.now() - started).toBeLessThan(900); // released by the push, not by the cap
      expect(r.body.result).toEqual([
        expect.objectContaining({
          update_id: id,
          message: expect.objectContaining({
            text: "/start",
            chat: expect.objectContaining({ id: 42, type: "private" }),
            entities: [{ type: "bot_command", offset: 0, length: 6 }],
          }),
        }),
      ]);
      // not confirmed yet: returned again
      expect((await call(api, "getUpdates", { offset: id })).body.result).toHaveLength(1);
      const id2 = api.pushUpdate(api.textUpdate({ chatId: 42, text: "hai" }));
      const afterConfirm = (await call(api, "getUpdates", { offset: id + 1 })).body.result as { update_id: number }[];
      expect(afterConfirm.map((u) => u.update_id)).toEqual([id2]);
      expect((await call(api, "getUpdates", { offset: id2 + 1 })).body.result).toEqual([]);
      expect((await call(api, "getUpdates", {})).body.result).toEqual([]); // confirmed ones are gone
    });

    it("honours limit and negative offsets", async () => {
      const ids = [1, 2, 3].map((i) => api.pushUpdate(api.textUpdate({ chatId: 1, text: `m${i}` })));
      const limited = (await call(api, "getUpdates", { limit: 2 })).body.result as { update_id: number }[];
      expect(limited.map((u) => u.update_id)).toEqual(ids.slice(0, 2));
      const last = (await call(api, "getUpdates", { offset: -1 })).body.result as { update_id: number }[];
      expect(last.map((u) => u.update_id)).toEqual([ids[2]]);
    });

    it("drives a grammY bot end to end", async () => {
      const echo = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
      echo.command("start", (ctx) =>
        ctx.reply(`Xin chào ${ctx.from?.first_name ?? ""}`, { reply_markup: { inline_keyboard: [[{ text: "Tiếp", callback_data: "next" }]] } }),
      );
      echo.callbackQuery("next", async (ctx) => {
        await ctx.answerCallbackQuery();
        await ctx.editMessageText("Bước 2");
      });
      const running = echo.start({ timeout: 30 });
      try {
        api.pushUpdate(api.textUpdate({ chatId: 555, text: "/start", firstName: "Lan" }));
        const reply = await api.waitForCall("sendMessage", (c) => c.params.chat_id === 555);
        expect(reply.params.text).toBe("Xin chào Lan");
        api.pushUpdate(api.callbackUpdate({ chatId: 555, data: "next" }));
        const edit = await api.waitForCall("editMessageText");
        expect(edit.params).toMatchObject({ chat_id: 555, message_id: (reply.result as { message_id: number }).message_id, text: "Bước 2" });
        await api.waitForCall("answerCallbackQuery");
      } finally {
        await echo.stop();
        await running;
      }
      expect(api.stats().byMethod.deleteWebhook).toBe(1);
    });

    it("builds callback updates on the last keyboard message of the chat", async () => {
      const m = await bot.api.sendMessage(77, "chọn", { reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] } });
      await bot.api.sendMessage(77, "thông báo");
      const u = api.callbackUpdate({ chatId: 77, data: "a" });
      expect(u.callback_query?.message?.message_id).toBe(m.message_id);
      expect(u.callback_query?.data).toBe("a");
      expect(u.update_id).toBeGreaterThan(0);
      const group = api.textUpdate({ chatId: -1001234567890, text: "hi", fromId: 5 });
      expect(group.message?.chat.type).toBe("supergroup");
      expect(group.message?.from?.id).toBe(5);
    });
  });

  describe("test helpers", () => {
    it("failNext injects errors for the next calls only", async () => {
      api.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" });
      const e = grammyError(await bot.api.sendMessage(1, "x").catch((err: unknown) => err));
      expect(e.error_code).toBe(403);
      expect(e.description).toBe("Forbidden: bot was blocked by the user");
      await bot.api.sendMessage(1, "x");

      api.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" }, 2);
      const r1 = await call(api, "sendMessage", { chat_id: 1, text: "x" });
      const r2 = await call(api, "sendMessage", { chat_id: 1, text: "x" });
      const r3 = await call(api, "sendMessage", { chat_id: 1, text: "x" });
      expect([r1.status, r2.status, r3.status]).toEqual([500, 500, 200]);

      api.failNext("getMe", { error_code: 429, description: "Too Many Requests: retry after 3", parameters: { retry_after: 3 } });
      const r4 = await call(api, "getMe");
      expect(r4.status).toBe(429);
      expect(r4.body.parameters).toEqual({ retry_after: 3 });
      expect(api.stats()).toEqual({ total: 6, ok: 2, rateLimited: 1, byMethod: { sendMessage: 5, getMe: 1 } });
      expect(api.calls.map((c) => c.status)).toEqual([403, 200, 500, 500, 200, 429]);
      expect(api.calls[0]?.error).toEqual({ error_code: 403, description: "Forbidden: bot was blocked by the user" });
    });

    it("waitForCall finds past and future calls, and times out clearly", async () => {
      await bot.api.sendMessage(1, "đã gửi");
      expect((await api.waitForCall("sendMessage")).params.text).toBe("đã gửi");
      const future = api.waitForCall("sendMessage", (c) => c.params.text === "sau này");
      await bot.api.sendMessage(1, "khác");
      await bot.api.sendMessage(1, "sau này");
      expect((await future).params.chat_id).toBe(1);
      await expect(api.waitForCall("sendMessage", (c) => c.params.text === "không bao giờ", 50)).rejects.toThrow(
        /waitForCall\("sendMessage"\) timed out after 50 ms: 3 successful sendMessage call\(s\) recorded, none matched/,
      );
      await expect(api.waitForCall("deleteMessage", undefined, 20)).rejects.toThrow(/no successful deleteMessage call/);
    });

    it("reset clears calls, updates and failures", async () => {
      await bot.api.sendMessage(1, "x");
      api.pushUpdate(api.textUpdate({ chatId: 1, text: "x" }));
      api.failNext("sendMessage", { error_code: 500, description: "boom" });
      api.reset();
      expect(api.calls).toHaveLength(0);
      expect(api.stats()).toEqual({ total: 0, ok: 0, rateLimited: 0, byMethod: {} });
      expect((await call(api, "getUpdates")).body.result).toEqual([]);
      expect((await bot.api.sendMessage(1, "x")).message_id).toBe(1);
    });
  });
});

describe("fake Bot API (options)", () => {
  let api: FakeBotApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it("answers 429 with retry_after when the global limit is exceeded", async () => {
    api = await startFakeBotApi({ globalLimitPerSecond: 3, retryAfterSeconds: 7 });
    const a = api;
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => call(a, "sendMessage", { chat_id: 100 + i, text: "x" })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    const bot = new Bot(a.token, { client: { apiRoot: a.apiRoot } });
    const e = grammyError(await bot.api.sendMessage(1, "x").catch((err: unknown) => err));
    expect(e.error_code).toBe(429);
    expect(e.parameters.retry_after).toBe(7);
    const limited = results.find((r) => r.status === 429);
    expect(limited?.body).toEqual({ ok: false, error_code: 429, description: "Too Many Requests: retry after 7", parameters: { retry_after: 7 } });
    // not counted: non-send methods
    expect((await call(a, "getMe")).status).toBe(200);
    expect((await call(a, "sendChatAction", { chat_id: 1, action: "typing" })).status).toBe(200);
    expect(a.stats()).toMatchObject({ rateLimited: 4, ok: 5 });
  });

  it("with retain off keeps no calls or messages, but counts, limits and reports every call", async () => {
    const seen: Array<{ method: string; chat: unknown; status: number }> = [];
    api = await startFakeBotApi({
      retain: false,
      globalLimitPerSecond: 2,
      onCall: (c) => seen.push({ method: c.method, chat: c.params.chat_id, status: c.status }),
    });
    const a = api;
    const first = await call(a, "sendMessage", { chat_id: 7, text: "x" });
    const second = await call(a, "sendMessage", { chat_id: 7, text: "y" });
    expect((await call(a, "sendMessage", { chat_id: 8, text: "z" })).status).toBe(429);
    // Message ids still grow per chat, so a client sees ordinary answers.
    expect([first.body, second.body]).toMatchObject([
      { ok: true, result: { message_id: 1 } },
      { ok: true, result: { message_id: 2 } },
    ]);
    expect(seen).toEqual([
      { method: "sendMessage", chat: 7, status: 200 },
      { method: "sendMessage", chat: 7, status: 200 },
      { method: "sendMessage", chat: 8, status: 429 },
    ]);
    expect(a.calls).toEqual([]);
    expect(a.sent("sendMessage")).toEqual([]);
    expect(a.stats()).toMatchObject({ total: 3, ok: 2, rateLimited: 1 });
  });

  it("limits per private chat per second and per group per minute", async () => {
    api = await startFakeBotApi({ perChatPerSecond: 1, perGroupPerMinute: 2 });
    expect((await call(api, "sendMessage", { chat_id: 1, text: "x" })).status).toBe(200);
    expect((await call(api, "sendMessage", { chat_id: 1, text: "x" })).status).toBe(429);
    expect((await call(api, "sendMessage", { chat_id: 2, text: "x" })).status).toBe(200);
    expect((await call(api, "sendMessage", { chat_id: -5, text: "x" })).status).toBe(200);
    expect((await call(api, "sendMessage", { chat_id: -5, text: "x" })).status).toBe(200);
    expect((await call(api, "sendMessage", { chat_id: -5, text: "x" })).status).toBe(429);
    expect((await call(api, "sendMessage", { chat_id: -6, text: "x" })).status).toBe(200);
  });

  it("applies latency to every call", async () => {
    api = await startFakeBotApi({ latencyMs: 120 });
    const started = performance.now();
    await call(api, "getMe");
    expect(performance.now() - started).toBeGreaterThanOrEqual(115);
  });

  it("uses the configured token and username", async () => {
    api = await startFakeBotApi({ token: "42:SECRET", botUsername: "other_bot" });
    const bot = new Bot("42:SECRET", { client: { apiRoot: api.apiRoot } });
    await bot.init();
    expect(bot.botInfo).toMatchObject({ id: 42, username: "other_bot" });
    expect((await call(api, "getMe", {}, "123456:TEST")).status).toBe(401);
  });

  it("releases a pending long poll on close", async () => {
    api = await startFakeBotApi({ maxLongPollMs: 5000 });
    const a = api;
    const started = performance.now();
    const pending = call(a, "getUpdates", { timeout: 50 });
    await new Promise((r) => setTimeout(r, 50));
    await a.close();
    const r = await pending;
    expect(r.body).toEqual({ ok: true, result: [] });
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("caps the real wait of a long poll", async () => {
    api = await startFakeBotApi({ maxLongPollMs: 100 });
    const started = performance.now();
    const r = await call(api, "getUpdates", { timeout: 30 });
    expect(r.body.result).toEqual([]);
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("answers a second concurrent long poll by terminating the first with 409", async () => {
    api = await startFakeBotApi({ maxLongPollMs: 3000 });
    const first = call(api, "getUpdates", { timeout: 30 });
    await new Promise((r) => setTimeout(r, 50));
    const second = call(api, "getUpdates", { timeout: 30 });
    expect((await first).status).toBe(409);
    api.pushUpdate({ message: { message_id: 1, date: 0, chat: { id: 1, type: "private" }, text: "x" } });
    expect(((await second).body.result as unknown[]).length).toBe(1);
  });
});
