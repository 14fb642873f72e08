import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from "../helpers/fake-bot-api.ts";
import { runningClock } from "../helpers/fake-clock.ts";
import { postgresServerAvailable, startPostgresServer, type PostgresServer } from "../helpers/postgres-server.ts";

/**
 * Nothing a person sent is lost to a database outage: with the real PostgreSQL server
 * stopped, Chibo stops taking updates from Telegram (it does not confirm them), and once the
 * server is back every message is answered, once. Needs a PostgreSQL server to start and
 * stop (CI installs one for its PostgreSQL suite).
 */
const TOKEN = "123456:TEST-outage";
const PEOPLE = [3001, 3002, 3003, 3004, 3005];
const hasServer = await postgresServerAvailable();

let server: PostgresServer;
let api: FakeBotApi;
let chibo: Chibo;
const logLines: string[] = [];

beforeAll(async () => {
  if (!hasServer) return;
  server = await startPostgresServer();
  api = await startFakeBotApi({ token: TOKEN });
  const logger = pino({ level: "info" }, new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: api.apiRoot,
    DATABASE_URL: server.url,
    PORT: "0",
    HOST: "127.0.0.1",
    SANDBOX: "0",
  });
  chibo = await startChibo(config, { logger, telegramPollingTimeout: 1, clock: runningClock() });
}, 180_000);
afterAll(async () => {
  if (!hasServer) return;
  await chibo?.stop();
  await api?.close();
  await server?.remove();
});

const answersTo = (chatId: number) =>
  api.sent("sendMessage").filter((c: RecordedCall) => Number(c.params.chat_id) === chatId && String(c.params.text).includes("Chibo đang lưu về đồng chí"));
const sendToi = (chatId: number) => api.pushUpdate(api.textUpdate({ chatId, text: "/toi", firstName: `Người ${chatId}` }));

describe.skipIf(!hasServer)("Telegram while PostgreSQL is down", () => {
  it("answers every message sent during the outage, once, after the database is back", async () => {
    // Everyone is known to Chibo before the outage.
    for (const id of PEOPLE) sendToi(id);
    await expect.poll(() => PEOPLE.every((id) => answersTo(id).length === 1), { timeout: 20_000 }).toBe(true);

    await server.pause();
    const firstDuringOutage = api.pushUpdate(api.textUpdate({ chatId: PEOPLE[0]!, text: "/toi", firstName: "Người" }));
    for (const id of PEOPLE.slice(1)) sendToi(id);
    // Long enough for several polls: nothing is answered, and Telegram is not told the updates arrived.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(PEOPLE.map((id) => answersTo(id).length)).toEqual([1, 1, 1, 1, 1]);
    const polls = api.sent("getUpdates").filter((c) => typeof c.params.offset === "number" && Number(c.params.offset) > firstDuringOutage);
    expect(polls).toEqual([]);
    expect(logLines.join("")).toContain("not taking updates until it answers");

    await server.resume();
    await expect.poll(() => PEOPLE.every((id) => answersTo(id).length === 2), { timeout: 60_000, interval: 500 }).toBe(true);
    // And not a third time: each was handled once.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(PEOPLE.map((id) => answersTo(id).length)).toEqual([2, 2, 2, 2, 2]);
    expect(logLines.join("")).toContain("database answers again");
  }, 120_000);
});
