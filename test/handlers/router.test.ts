import pino from "pino";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Feature } from "../../handlers/framework/context.ts";
import { features } from "../../handlers/index.ts";
import { message, text } from "../../src/core/message.ts";
import { createHarness, plain, type Harness } from "../helpers/harness.ts";

// A small feature that opens a dialog, so the framework's dialog handling can be exercised.
const echoFeature: Feature = {
  name: "echo",
  commands: {
    async ask(ctx) {
      await ctx.dialog.start("echo.answer", { question: ctx.input || "?" });
      await ctx.reply(message([text("asked")]));
    },
    async boom() {
      throw new Error("handler exploded");
    },
  },
  dialogs: {
    async "echo.answer"(ctx) {
      await ctx.dialog.clear();
      await ctx.reply(message([text(`answer to ${String(ctx.dialog.current?.data.question)}: ${ctx.input}`)]));
    },
  },
};

const logLines: string[] = [];
const logger = pino(
  { level: "error" },
  new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
);

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ features: [echoFeature, ...features], logger });
});
afterAll(async () => h.close());

const person = { id: "router-1", name: "Nguyễn Thị A" };

describe("dialogs", () => {
  it("take the next text as the answer, and end", async () => {
    await h.command(person, "/ask color");
    expect(plain(await h.say(person, "đỏ"))).toBe("answer to color: đỏ");
    expect(plain(await h.say(person, "xanh"))).toContain("Chibo chưa hiểu tin nhắn này");
  });

  it("are kept in Postgres, so a restart (a new router on the same database) continues them", async () => {
    await h.command(person, "/ask size");
    const { createRouter } = await import("../../handlers/framework/router.ts");
    const restarted = createRouter([echoFeature, ...features], { core: h.core, i18n: h.i18n, logger, databaseUp: async () => true });
    const replies: string[] = [];
    await restarted.dispatch(
      {
        channel: "sandbox",
        sender: { externalId: person.id, privateAddress: `sandbox:${person.id}`, displayName: person.name },
        chat: { kind: "private", address: "sandbox:router-1" },
        event: { kind: "text", text: "lớn" },
      },
      { send: async (m) => void replies.push(plain([m])) },
    );
    expect(replies).toEqual(["answer to size: lớn"]);
  });

  it("are cancelled by a cancel word, with or without diacritics", async () => {
    await h.command(person, "/ask x");
    expect(plain(await h.say(person, "Hủy"))).toContain("Đã hủy");
    await h.command(person, "/ask x");
    expect(plain(await h.say(person, "huy"))).toContain("Đã hủy");
    expect(await h.core.dialogs.get((await h.core.people.identify(inboundOf(person))).person.id)).toBeUndefined();
  });

  it("are abandoned when a new command comes", async () => {
    await h.command(person, "/ask x");
    expect(plain(await h.command(person, "/help"))).toContain("Chibo giúp được");
    expect(plain(await h.say(person, "đỏ"))).toContain("Chibo chưa hiểu tin nhắn này");
  });

  it("expire after their time", async () => {
    await h.command(person, "/ask x");
    h.clock.advance(61 * 60_000);
    expect(plain(await h.say(person, "đỏ"))).toContain("Chibo chưa hiểu tin nhắn này");
  });

  it("started in a private chat ignore the person's chatter in a group", async () => {
    await h.command(person, "/ask x");
    const group = { kind: "group" as const, address: "sandbox:group-9" };
    expect(await h.say({ ...person, chat: group }, "chào cả nhà")).toEqual([]);
    expect(plain(await h.say(person, "đỏ"))).toBe("answer to x: đỏ");
  });
});

describe("errors", () => {
  it("a failing handler is logged, the person gets an apology, and the next update is served", async () => {
    logLines.length = 0;
    expect(plain(await h.command(person, "/boom"))).toContain("Xin lỗi, Chibo gặp trục trặc");
    expect(logLines.join("")).toContain("handler exploded");
    expect(plain(await h.command(person, "/start"))).toContain("Xin chào");
  });
});

describe("feature installation", () => {
  it("refuses two features claiming one command", async () => {
    const { createRouter } = await import("../../handlers/framework/router.ts");
    expect(() => createRouter([echoFeature, echoFeature, ...features], { core: h.core, i18n: h.i18n, logger, databaseUp: async () => true })).toThrow(
      /claimed by two features/,
    );
  });

  it("needs the fallback last", async () => {
    const { createRouter } = await import("../../handlers/framework/router.ts");
    expect(() => createRouter([echoFeature], { core: h.core, i18n: h.i18n, logger, databaseUp: async () => true })).toThrow(/fallback/);
  });
});

function inboundOf(who: { id: string; name: string }) {
  return {
    channel: "sandbox" as const,
    sender: { externalId: who.id, privateAddress: `sandbox:${who.id}`, displayName: who.name },
    chat: { kind: "private" as const, address: `sandbox:${who.id}` },
    event: { kind: "other" as const },
  };
}
