/**
 * The baseline of the fan-out bench: grammY's documented broadcast recipe (sequential sends
 * with the auto-retry plugin; then the same with 3 requests in flight) against the fake Bot
 * API at Telegram's real limit, next to the Chibo sender on the same API with an in-memory
 * outbox (no database: only the send engine is compared).
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { Api } from "grammy";
import { createTelegramNotifier } from "../src/channels/telegram/notifier.ts";
import { createSender } from "../src/core/delivery/sender.ts";
import type { ClaimedMessage, SendOutcome } from "../src/core/delivery/types.ts";
import { startFakeBotApi } from "../test/helpers/fake-bot-api.ts";

export interface BaselineLine {
  name: string;
  sent: number;
  seconds: number;
  ratio: number;
  rateLimited: number;
}

export interface BaselineOptions {
  limit: number;
  latencyMs: number;
  retryAfterSeconds: number;
  /** How long each recipe sends. */
  seconds: number;
}

const TEXT = "Chi bộ Khu phố 1 họp lúc 19:30 ngày 4/12 tại Nhà văn hóa khu phố. Đồng chí có tham dự không?";

async function grammyRecipe(options: BaselineOptions, concurrency: number): Promise<BaselineLine> {
  const api = await startFakeBotApi({ latencyMs: options.latencyMs, globalLimitPerSecond: options.limit, retryAfterSeconds: options.retryAfterSeconds });
  try {
    const bot = new Api(api.token, { apiRoot: api.apiRoot });
    bot.config.use(autoRetry());
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    let next = 1;
    // Each lane sends one message at a time, the way the recipe's loop does.
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) await bot.sendMessage(next++, TEXT);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const sent = api.sent("sendMessage").length;
    return {
      name: `grammY recipe, ${concurrency === 1 ? "sequential" : `${concurrency} in flight`} + auto-retry`,
      sent,
      seconds,
      ratio: sent / seconds / options.limit,
      rateLimited: api.stats().rateLimited,
    };
  } finally {
    await api.close();
  }
}

async function chiboSender(options: BaselineOptions): Promise<BaselineLine> {
  const api = await startFakeBotApi({ latencyMs: options.latencyMs, globalLimitPerSecond: options.limit, retryAfterSeconds: options.retryAfterSeconds });
  try {
    // As many rows as the budget can send in the time; an endless queue would never drain.
    const total = Math.round(options.limit * options.seconds);
    let nextId = 1;
    const outbox = {
      async claim(now: Date, limit: number): Promise<ClaimedMessage[]> {
        const out: ClaimedMessage[] = [];
        while (out.length < limit && nextId <= total) {
          const id = nextId++;
          out.push({
            id,
            dedupeKey: `bench:${id}`,
            kind: "meeting.reminder",
            meetingId: null,
            priority: 0,
            personId: null,
            address: `telegram:${id}`,
            notice: { kind: "meeting.reminder", params: {} },
            locale: "vi",
            dueAt: now,
            staleAt: null,
            attempts: 1,
            reclaimed: false,
          });
        }
        return out;
      },
      async record(_outcomes: SendOutcome[]): Promise<void> {},
    };
    const sender = createSender(
      {
        outbox,
        clock: { now: () => new Date() },
        notifier: createTelegramNotifier({ token: api.token, apiRoot: api.apiRoot }),
        render: () => ({ blocks: [{ kind: "text", text: TEXT }] }),
        onUnreachable: async () => {},
      },
      { limits: { telegram: { globalPerSecond: options.limit, perChatPerSecond: 1, perGroupPerMinute: 20 } }, maxInFlight: 32 },
    );
    const started = performance.now();
    await sender.drain();
    const seconds = (performance.now() - started) / 1000;
    const sent = api.sent("sendMessage").length;
    return {
      name: "Chibo sender (budget = limit, in-memory outbox)",
      sent,
      seconds,
      ratio: sent / seconds / options.limit,
      rateLimited: api.stats().rateLimited,
    };
  } finally {
    await api.close();
  }
}

export async function runBaseline(options: BaselineOptions): Promise<BaselineLine[]> {
  return [await grammyRecipe(options, 1), await grammyRecipe(options, 3), await chiboSender(options)];
}
