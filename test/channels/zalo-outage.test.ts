import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import { runningClock } from "../helpers/fake-clock.ts";
import { startFakeZalo, textUpdate, type FakeZalo } from "../helpers/fake-zalo.ts";
import { postgresServerAvailable, startPostgresServer, type PostgresServer } from "../helpers/postgres-server.ts";

/**
 * Nothing a person sends on Zalo is lost to a database outage, although Zalo forgets an update
 * once it has handed it over: in long polling the updates taken while PostgreSQL is stopped are
 * held and answered, once each, when it is back; in webhook mode a delivery that cannot be stored
 * is answered 503 rather than 200. Needs a PostgreSQL server to start and stop (CI installs one).
 */
const PEOPLE = ["zo1000000000000001", "zo1000000000000002", "zo1000000000000003"];
const PUBLIC_URL = "https://chibo.example.vn";
const SECRET = "zalo-outage-secret-0123456789";
const hasServer = await postgresServerAvailable();

let server: PostgresServer;
let polled: FakeZalo;
let hooked: FakeZalo;
let polling: Chibo;
let webhook: Chibo;

beforeAll(async () => {
  if (!hasServer) return;
  server = await startPostgresServer();
  polled = await startFakeZalo({ maxLongPollMs: 200 });
  hooked = await startFakeZalo();
  const common = { DATABASE_URL: server.url, PORT: "0", HOST: "127.0.0.1", SANDBOX: "0" };
  const logger = pino({ level: "silent" });
  polling = await startChibo(loadConfig({ ...common, ZALO_BOT_TOKEN: polled.token, ZALO_API_ROOT: polled.apiRoot }), {
    logger,
    zaloPollingTimeout: 1,
    clock: runningClock(),
  });
  const hookEnv = { ...common, ZALO_BOT_TOKEN: hooked.token, ZALO_API_ROOT: hooked.apiRoot, PUBLIC_URL, WEBHOOK_SECRET: SECRET };
  webhook = await startChibo(loadConfig(hookEnv), { logger, clock: runningClock() });
}, 180_000);
afterAll(async () => {
  if (!hasServer) return;
  await polling?.stop();
  await webhook?.stop();
  await polled?.close();
  await hooked?.close();
  await server?.remove();
});

const answersTo = (user: string) =>
  polled.sent("sendMessage").filter((c) => c.params.chat_id === user && String(c.params.text).includes("Chibo đang lưu về đồng chí"));
const sendToi = (user: string) => polled.pushUpdate(textUpdate({ userId: user, text: "/toi", name: `Người ${user.slice(-1)}` }));

describe.skipIf(!hasServer)("Zalo while PostgreSQL is down", () => {
  it("answers every message taken during the outage, once, after the database is back", async () => {
    for (const user of PEOPLE) sendToi(user);
    await expect.poll(() => PEOPLE.every((user) => answersTo(user).length === 1), { timeout: 20_000 }).toBe(true);

    await server.pause();
    for (const user of PEOPLE) sendToi(user);
    // Zalo hands the updates over (it keeps nothing); nothing can be answered meanwhile.
    await expect.poll(() => polled.calls.filter((c) => c.method === "getUpdates" && c.status === 200).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(PEOPLE.map((user) => answersTo(user).length)).toEqual([1, 1, 1]);

    // The webhook cannot store a delivery: Zalo is told so instead of being answered 200.
    const delivery = await fetch(`http://127.0.0.1:${webhook.server.port}/zalo/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-bot-api-secret-token": SECRET },
      body: JSON.stringify(textUpdate({ userId: PEOPLE[0]!, text: "/toi" })),
    });
    expect(delivery.status).toBe(503);

    await server.resume();
    await expect.poll(() => PEOPLE.every((user) => answersTo(user).length === 2), { timeout: 60_000, interval: 500 }).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(PEOPLE.map((user) => answersTo(user).length)).toEqual([2, 2, 2]);
  }, 120_000);
});
