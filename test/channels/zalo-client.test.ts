import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createZaloClient, isGroupChat, messageImageUrl, parseWebhookBody, updateKey, ZaloApiError, type ZaloClient } from "../../src/channels/zalo/client.ts";
import { imageUpdate, startFakeZalo, stickerUpdate, textUpdate, type FakeZalo } from "../helpers/fake-zalo.ts";

async function zaloError(promise: Promise<unknown>): Promise<ZaloApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ZaloApiError);
  return error as ZaloApiError;
}

describe("Zalo client against the fake Zalo server", () => {
  let zalo: FakeZalo;
  let client: ZaloClient;
  const invalid: Array<{ raw: unknown; problem: string }> = [];

  beforeAll(async () => {
    zalo = await startFakeZalo({ maxLongPollMs: 200 });
    client = createZaloClient({ token: zalo.token, apiRoot: `${zalo.apiRoot}/`, onInvalidUpdate: (raw, problem) => invalid.push({ raw, problem }) });
  });
  afterAll(async () => {
    await zalo.close();
  });
  beforeEach(() => {
    zalo.setUpdatesShape("auto");
    invalid.length = 0;
  });

  it("getMe answers the bot's identity", async () => {
    const me = await client.getMe();
    expect(me).toEqual({ id: "1234567890", account_name: "bot.chibo_test", account_type: "BASIC", can_join_groups: false });
    const call = await zalo.waitForCall("getMe");
    expect(call.params).toEqual({});
  });

  describe("getUpdates", () => {
    it("takes an answer that is a single update object", async () => {
      const sent = textUpdate({ userId: "u-1", text: "Có", name: "Bác Ba" });
      zalo.pushUpdate(sent);
      const updates = await client.getUpdates({ timeout: 1 });
      expect(updates).toEqual([sent]);
      const call = zalo.sent("getUpdates").at(-1);
      expect(call?.result).toEqual(sent); // the fake answered an object, not a list
      expect(call?.params).toEqual({ timeout: "1" });
    });

    it("takes an answer that is a list of updates", async () => {
      const first = textUpdate({ userId: "u-1", text: "1" });
      const second = imageUpdate({ userId: "u-2", photoUrl: "https://example.com/a.jpg", caption: "biên bản" });
      zalo.pushUpdate(first);
      zalo.pushUpdate(second);
      const updates = await client.getUpdates({ timeout: 1 });
      expect(updates).toEqual([first, second]);
      expect(Array.isArray(zalo.sent("getUpdates").at(-1)?.result)).toBe(true);
      expect(messageImageUrl(updates[1]!.message)).toBe("https://example.com/a.jpg");
    });

    it("takes a list of one, and one update at a time when the server answers so", async () => {
      zalo.setUpdatesShape("array");
      const only = stickerUpdate({ userId: "u-3", sticker: "abc123" });
      zalo.pushUpdate(only);
      expect(await client.getUpdates({ timeout: 1 })).toEqual([only]);

      zalo.setUpdatesShape("single");
      const a = textUpdate({ userId: "u-1", text: "a" });
      const b = textUpdate({ userId: "u-1", text: "b" });
      zalo.pushUpdate(a);
      zalo.pushUpdate(b);
      expect(await client.getUpdates({ timeout: 1 })).toEqual([a]);
      expect(await client.getUpdates({ timeout: 1 })).toEqual([b]);
    });

    it("answers [] when the long poll ends with Zalo's 408", async () => {
      const started = Date.now();
      expect(await client.getUpdates({ timeout: 1 })).toEqual([]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(150); // the fake held the poll
      const last = zalo.calls.at(-1);
      expect(last).toMatchObject({ method: "getUpdates", status: 408, error: { error_code: 408, description: "Request timeout" } });
    });

    it("hands out an update pushed while the poll waits", async () => {
      // A fake that holds polls long enough that a slow machine cannot make this test pass or fail by timing.
      const patient = await startFakeZalo({ maxLongPollMs: 10_000 });
      try {
        const poll = createZaloClient({ token: patient.token, apiRoot: patient.apiRoot }).getUpdates({ timeout: 30 });
        await new Promise((resolve) => setTimeout(resolve, 50));
        const sent = textUpdate({ userId: "u-4", text: "vắng vì ốm" });
        patient.pushUpdate(sent);
        expect(await poll).toEqual([sent]);
      } finally {
        await patient.close();
      }
    });

    it("skips an unreadable update, reports it, and keeps the others", async () => {
      zalo.failNext("getUpdates", {
        status: 200,
        rawBody: JSON.stringify({
          ok: true,
          result: [{ event_name: "message.text.received", message: { chat: { id: "x" } } }, textUpdate({ userId: "u-5", text: "có", messageId: "m-5" })],
        }),
      });
      const updates = await client.getUpdates({ timeout: 1 });
      expect(updates.map((u) => u.message.message_id)).toEqual(["m-5"]);
      expect(invalid).toHaveLength(1);
      expect(invalid[0]!.problem).toMatch(/message/);
    });

    it("refuses an update from a chat of an unknown kind instead of guessing", async () => {
      const odd = textUpdate({ userId: "u-6", text: "có" });
      zalo.failNext("getUpdates", {
        status: 200,
        rawBody: JSON.stringify({ ok: true, result: { ...odd, message: { ...odd.message, chat: { id: "c", chat_type: "CHANNEL" } } } }),
      });
      expect(await client.getUpdates({ timeout: 1 })).toEqual([]);
      expect(invalid[0]?.problem).toMatch(/chat_type/);
    });

    it("stops a long poll when the caller aborts, and the update waiting for it stays queued", async () => {
      const patient = await startFakeZalo({ maxLongPollMs: 10_000 });
      try {
        const patientClient = createZaloClient({ token: patient.token, apiRoot: patient.apiRoot });
        const stop = new AbortController();
        const poll = patientClient.getUpdates({ timeout: 30 }, { signal: stop.signal });
        setTimeout(() => stop.abort(), 50);
        const error = await zaloError(poll);
        expect(error).toMatchObject({ kind: "aborted", retryable: false });
        // Once the server has seen the client go, nothing is handed to the abandoned poll.
        while (!patient.calls.some((c) => c.method === "getUpdates" && c.status === 499)) await new Promise((resolve) => setTimeout(resolve, 10));
        const later = textUpdate({ userId: "u-7", text: "có" });
        patient.pushUpdate(later);
        expect(await patientClient.getUpdates({ timeout: 1 })).toEqual([later]);
      } finally {
        await patient.close();
      }
    });
  });

  it("sendMessage sends the JSON body and answers the message id", async () => {
    const sent = await client.sendMessage({ chat_id: "u-1", text: "Chi bộ họp lúc 19:30" });
    expect(typeof sent.message_id).toBe("string");
    expect(sent.message_id).toMatch(/^[0-9a-f]{20}$/);
    expect(sent.date).toBeGreaterThan(1_600_000_000_000); // milliseconds, not seconds
    const call = await zalo.waitForCall("sendMessage", (c) => (c.result as { message_id: string }).message_id === sent.message_id);
    expect(call.params).toEqual({ chat_id: "u-1", text: "Chi bộ họp lúc 19:30" });
  });

  it("sendPhoto sends the image by URL with its caption", async () => {
    const sent = await client.sendPhoto({ chat_id: "u-1", photo: "https://example.com/chart.png", caption: "Tỉ lệ dự họp" });
    expect(sent.message_id).toMatch(/^[0-9a-f]{20}$/);
    expect(zalo.sent("sendPhoto").at(-1)?.params).toEqual({ chat_id: "u-1", photo: "https://example.com/chart.png", caption: "Tỉ lệ dự họp" });
  });

  it("sendChatAction succeeds on Zalo's bare { ok: true }", async () => {
    await expect(client.sendChatAction({ chat_id: "u-1", action: "typing" })).resolves.toBeUndefined();
  });

  describe("errors", () => {
    it("a 429 is a retryable ZaloApiError with its code", async () => {
      zalo.failNext("sendMessage", { status: 429, description: "Quota exceeded" });
      const error = await zaloError(client.sendMessage({ chat_id: "u-1", text: "nhắc họp" }));
      expect(error).toMatchObject({ method: "sendMessage", code: 429, description: "Quota exceeded", kind: "api", retryable: true });
    });

    it("a 5xx is retryable", async () => {
      zalo.failNext("sendMessage", { status: 502, description: "Bad Gateway" });
      expect(await zaloError(client.sendMessage({ chat_id: "u-1", text: "x" }))).toMatchObject({ code: 502, retryable: true });
    });

    it("a wrong token is a 401 that is not retryable, and the token is not in the error", async () => {
      const wrong = createZaloClient({ token: "999:wrong-token", apiRoot: zalo.apiRoot });
      const error = await zaloError(wrong.getMe());
      expect(error).toMatchObject({ code: 401, kind: "api", retryable: false });
      expect(`${error.message} ${error.description}`).not.toContain("wrong-token");
    });

    it("a bad request is a 400 that is not retryable", async () => {
      const error = await zaloError(client.sendMessage({ chat_id: "u-1", text: "" }));
      expect(error).toMatchObject({ code: 400, retryable: false });
    });

    it("an answer that is not JSON is a ZaloApiError, not a crash", async () => {
      zalo.failNext("sendMessage", { status: 200, rawBody: "<html>oops</html>" });
      const error = await zaloError(client.sendMessage({ chat_id: "u-1", text: "x" }));
      expect(error).toMatchObject({ kind: "malformed", code: 0, retryable: false });
    });

    it("a gateway's HTML error page is malformed but retryable", async () => {
      zalo.failNext("getMe", { status: 503, rawBody: "<html>Service Unavailable</html>" });
      expect(await zaloError(client.getMe())).toMatchObject({ kind: "malformed", code: 503, retryable: true });
    });

    it("a wrong-shaped answer is a ZaloApiError, not a TypeError", async () => {
      zalo.failNext("sendMessage", { status: 200, rawBody: JSON.stringify({ ok: true, result: { message_id: 42 } }) });
      const error = await zaloError(client.sendMessage({ chat_id: "u-1", text: "x" }));
      expect(error).toMatchObject({ kind: "malformed", retryable: false });
      expect(error.description).toMatch(/message_id/);

      zalo.failNext("getMe", { status: 200, rawBody: JSON.stringify({ result: {} }) });
      expect(await zaloError(client.getMe())).toMatchObject({ kind: "malformed" });

      zalo.failNext("getUpdates", { status: 200, rawBody: JSON.stringify({ ok: true, result: "nothing" }) });
      expect(await zaloError(client.getUpdates({ timeout: 1 }))).toMatchObject({ kind: "malformed" });
    });

    it("no answer in time is a retryable timeout", async () => {
      const slow = await startFakeZalo({ latencyMs: 300 });
      try {
        const impatient = createZaloClient({ token: slow.token, apiRoot: slow.apiRoot, requestTimeoutMs: 50 });
        expect(await zaloError(impatient.getMe())).toMatchObject({ kind: "timeout", retryable: true });
      } finally {
        await slow.close();
      }
    });

    it("a server that is not there is a retryable network error", async () => {
      const gone = await startFakeZalo();
      await gone.close();
      const orphan = createZaloClient({ token: gone.token, apiRoot: gone.apiRoot });
      const error = await zaloError(orphan.getMe());
      expect(error).toMatchObject({ kind: "network", code: 0, retryable: true });
      expect(error.description).not.toContain(gone.token);
    });
  });

  describe("webhook settings", () => {
    it("setWebhook refuses a secret of 7 characters and takes one of 8", async () => {
      const error = await zaloError(client.setWebhook({ url: "https://chibo.example/zalo", secret_token: "1234567" }));
      expect(error).toMatchObject({ code: 400, retryable: false });
      expect(zalo.webhook()).toBeNull();

      await client.setWebhook({ url: "https://chibo.example/zalo", secret_token: "12345678" });
      expect(zalo.webhook()).toEqual({ url: "https://chibo.example/zalo", secret_token: "12345678" });
      expect(await client.getWebhookInfo()).toMatchObject({ url: "https://chibo.example/zalo" });

      await client.deleteWebhook();
      expect((await client.getWebhookInfo()).url).toBe("");
    });

    it("getWebhookInfo reads a 404 as no webhook", async () => {
      zalo.failNext("getWebhookInfo", { status: 404, description: "Not Found" });
      expect(await client.getWebhookInfo()).toEqual({ url: "" });
    });
  });
});

describe("webhook bodies", () => {
  const update = textUpdate({ userId: "u-1", text: "Có mặt", messageId: "2d758cb5e222177a4e35", date: 1750316131602 });

  it("takes the documented wrapped body", () => {
    expect(parseWebhookBody({ ok: true, result: update })).toEqual(update);
  });

  it("takes the bare body seen in practice", () => {
    expect(parseWebhookBody(update)).toEqual(update);
  });

  it("refuses garbage", () => {
    for (const body of [
      undefined,
      null,
      "message.text.received",
      42,
      [update],
      {},
      { ok: false, result: update },
      { ok: true, result: [update] },
      { ok: true, result: { event_name: "message.text.received" } },
      { event_name: "message.text.received", message: { ...update.message, message_id: 7 } },
      { event_name: "message.text.received", message: { ...update.message, date: "yesterday" } },
    ]) {
      expect(parseWebhookBody(body)).toBeUndefined();
    }
  });

  it("drops an optional field of the wrong type but keeps the update", () => {
    const parsed = parseWebhookBody({ ...update, message: { ...update.message, caption: { weird: true } } });
    expect(parsed?.message.caption).toBeUndefined();
    expect(parsed?.message.text).toBe("Có mặt");
  });

  it("passes on an event Zalo may add later", () => {
    expect(parseWebhookBody({ ...update, event_name: "message.location.received" })?.event_name).toBe("message.location.received");
  });

  it("reads the image under either name", () => {
    const image = imageUpdate({ userId: "u-1", photoUrl: "https://example.com/a.jpg" });
    expect(messageImageUrl(image.message)).toBe("https://example.com/a.jpg");
    const documented = parseWebhookBody({
      event_name: "message.image.received",
      message: { ...update.message, text: undefined, photo: "https://example.com/b.jpg" },
    });
    expect(messageImageUrl(documented!.message)).toBe("https://example.com/b.jpg");
  });

  it("gives a replay the same key, in either shape, and another message another key", () => {
    const first = parseWebhookBody({ ok: true, result: update })!;
    const replay = parseWebhookBody(JSON.parse(JSON.stringify(update)))!;
    expect(updateKey(replay)).toBe(updateKey(first));
    expect(updateKey(first)).toBe("message.text.received:2d758cb5e222177a4e35");
    expect(updateKey(textUpdate({ userId: "u-1", text: "Có mặt" }))).not.toBe(updateKey(first));
  });

  it("tells a group chat from a private one", () => {
    expect(isGroupChat(update)).toBe(false);
    expect(isGroupChat(textUpdate({ userId: "u-1", chatId: "g-1", group: true, text: "có" }))).toBe(true);
    expect(() => textUpdate({ userId: "u-1", group: true, text: "có" })).toThrow(/chatId/);
  });
});
