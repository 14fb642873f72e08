import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNoticeRenderer } from "../../handlers/framework/notices.ts";
import { features } from "../../handlers/index.ts";
import { createTelegramNotifier } from "../../src/channels/telegram/notifier.ts";
import { telegramLimits } from "../../src/channels/telegram/limits.ts";
import { createSender } from "../../src/core/delivery/sender.ts";
import { toLocale } from "../../src/core/locale.ts";
import { createStore } from "../../src/store/index.ts";
import { startFakeBotApi, type FakeBotApi } from "../helpers/fake-bot-api.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";

/** The delivery engine against a fake Bot API that enforces a limit and fails on demand. */
const TOKEN = "123456:TEST-delivery";
let api: FakeBotApi;
let h: Harness;
let store: ReturnType<typeof createStore>;
const render = createNoticeRenderer(features);

beforeAll(async () => {
  api = await startFakeBotApi({ token: TOKEN, globalLimitPerSecond: 5, retryAfterSeconds: 1 });
  h = await createHarness();
  store = createStore(h.database.db);
});
afterAll(async () => {
  await h.close();
  await api.close();
});

function sender(globalPerSecond: number) {
  return createSender(
    {
      outbox: { claim: store.outbox.claim, record: store.outbox.record },
      clock: h.clock,
      notifier: createTelegramNotifier({ token: TOKEN, apiRoot: api.apiRoot }),
      render: (notice, locale) => render(notice, h.i18n.t(toLocale(locale)), toLocale(locale)),
      onUnreachable: async () => {},
    },
    { limits: { telegram: telegramLimits({ rateLimit: globalPerSecond, paidBroadcast: false }) }, maxInFlight: 8 },
  );
}

async function enqueue(prefix: string, chats: number[]) {
  await store.outbox.enqueue(
    chats.map((chat) => ({
      dedupeKey: `${prefix}-${chat}`,
      kind: "rollcall.allowed",
      meetingId: null,
      personId: null,
      address: `telegram:${chat}`,
      notice: { kind: "rollcall.allowed", params: { branchName: "Chi bộ thử" } },
      dueAt: h.clock.now(),
      staleAt: null,
    })),
    h.clock.now(),
  );
}
const statuses = async (prefix: string) =>
  Object.fromEntries(
    (
      await queryRows<{ status: string; n: number }>(
        h.database,
        sql`select status, count(*)::int as n from outbox where dedupe_key like ${`${prefix}-%`} group by status`,
      )
    ).map((r) => [r.status, r.n]),
  );

describe("delivery through Telegram", () => {
  it("over the platform's limit, pauses on 429 and still delivers each message exactly once", async () => {
    await enqueue(
      "burst",
      Array.from({ length: 12 }, (_, i) => 5000 + i),
    );
    const stats = await sender(50).drain();
    expect(stats.rateLimited).toBeGreaterThan(0);
    expect(await statuses("burst")).toEqual({ sent: 12 });
    const chats = api
      .sent("sendMessage")
      .map((c) => Number(c.params.chat_id))
      .filter((id) => id >= 5000 && id < 5012);
    expect(chats).toHaveLength(12);
    expect(new Set(chats).size).toBe(12);
  });

  it("within the budget, draws no 429", async () => {
    // Let the fake's rolling one-second window forget the burst above.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = api.stats().rateLimited;
    await enqueue(
      "paced",
      Array.from({ length: 8 }, (_, i) => 6000 + i),
    );
    await sender(4).drain();
    expect(api.stats().rateLimited).toBe(before);
    expect(await statuses("paced")).toEqual({ sent: 8 });
  });

  it("retries a 5xx later, and marks a 403 as unreachable without retrying", async () => {
    api.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" });
    await enqueue("flaky", [7001]);
    await sender(4).drain();
    expect(await statuses("flaky")).toEqual({ pending: 1 });
    h.clock.advance(5 * 60_000);
    await sender(4).drain();
    expect(await statuses("flaky")).toEqual({ sent: 1 });

    api.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    await enqueue("blocked", [7002]);
    await sender(4).drain();
    expect(await statuses("blocked")).toEqual({ failed: 1 });
  });
});
