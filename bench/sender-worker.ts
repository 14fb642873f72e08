/**
 * One sender process of the fan-out bench: opens the database itself (a PostgreSQL URL, or a
 * PGlite data directory it then owns, taking over the lock a killed predecessor left), sends
 * through the real Telegram notifier to the fake Bot API, and keeps draining until no row is
 * pending or sending (rows leased by a killed sender come back once their lease ends).
 *
 * Started by bench/fanout.ts with child_process.fork; its configuration is the JSON in
 * BENCH_WORKER. It reports over IPC: { type: "ready" }, { type: "done", ... }, { type: "log", ... }.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { features } from "../handlers/index.ts";
import { createNoticeRenderer } from "../handlers/framework/notices.ts";
import { createTelegramNotifier } from "../src/channels/telegram/notifier.ts";
import { UNLIMITED } from "../src/core/delivery/budget.ts";
import { createSender, type SenderStats } from "../src/core/delivery/sender.ts";
import { toLocale } from "../src/core/locale.ts";
import type { Clock } from "../src/core/ports.ts";
import { createI18n } from "../src/i18n.ts";
import { openDatabase, type DatabaseOptions } from "../src/store/client.ts";
import { createStore } from "../src/store/index.ts";

export interface WorkerConfig {
  database: DatabaseOptions;
  apiRoot: string;
  token: string;
  /** Messages per second for the sender's Telegram budget; null = unlimited. */
  limit: number | null;
  maxInFlight: number;
  batchSize: number;
  leaseMs: number;
  /** The clock: fake time anchorFake at wall time anchorWall (default: when this worker is ready), moving with real time. */
  anchorWall?: number;
  anchorFake: number;
}

export type WorkerMessage =
  | { type: "ready"; pid: number; anchorWall: number }
  | {
      type: "done";
      stats: SenderStats;
      /** Date.now() once no row was left to send. */ finishedWall: number;
      remaining: Record<string, number>;
      db: DbTimes;
      loopDelay: { p99: number; max: number };
      cpuMs: number;
    }
  | { type: "log"; event: string; data: Record<string, unknown> };

/** Time spent in the outbox's two statements, to see where a run goes. */
export interface DbTimes {
  claims: number;
  claimedRows: number;
  claimMs: number;
  records: number;
  recordedRows: number;
  recordMs: number;
}

function report(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve();
    process.send(message, undefined, undefined, () => resolve());
  });
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_WORKER ?? "null") as WorkerConfig | null;
  if (!config) throw new Error("sender-worker: BENCH_WORKER is not set (start it through bench/fanout.ts)");
  const database = await openDatabase(config.database);
  const store = createStore(database.db);
  const i18n = await createI18n();
  const renderNotice = createNoticeRenderer(features);
  // Real time, shifted so that the worker starts at the moment the rows fell due: lateness is
  // measured in real seconds, and leases of a killed sender expire in real seconds too.
  let anchorWall = config.anchorWall ?? Date.now();
  const clock: Clock = { now: () => new Date(config.anchorFake + (Date.now() - anchorWall)) };
  const db: DbTimes = { claims: 0, claimedRows: 0, claimMs: 0, records: 0, recordedRows: 0, recordMs: 0 };
  const sender = createSender(
    {
      outbox: {
        async claim(now, limit, leaseMs) {
          const t = performance.now();
          const rows = await store.outbox.claim(now, limit, leaseMs);
          db.claims++;
          db.claimedRows += rows.length;
          db.claimMs += performance.now() - t;
          return rows;
        },
        async record(outcomes) {
          const t = performance.now();
          await store.outbox.record(outcomes);
          db.records++;
          db.recordedRows += outcomes.length;
          db.recordMs += performance.now() - t;
        },
      },
      clock,
      notifier: createTelegramNotifier({ token: config.token, apiRoot: config.apiRoot }),
      render: (notice, locale) => renderNotice(notice, i18n.t(toLocale(locale)), toLocale(locale)),
      onUnreachable: async () => {},
      log: (event, data) => void report({ type: "log", event, data }),
    },
    {
      limits: { telegram: config.limit === null ? UNLIMITED : { globalPerSecond: config.limit, perChatPerSecond: 1, perGroupPerMinute: 20 } },
      maxInFlight: config.maxInFlight,
      batchSize: config.batchSize,
      leaseMs: config.leaseMs,
      idleMs: 200,
    },
  );
  anchorWall = config.anchorWall ?? Date.now();
  await report({ type: "ready", pid: process.pid, anchorWall });
  const cpu = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();
  let remaining: Record<string, number>;
  let finishedWall: number;
  for (;;) {
    await sender.drain();
    // The drain ends with its last outcome written; counting what is left is the bench's own.
    finishedWall = Date.now();
    const counts = await store.outbox.countByStatus();
    remaining = Object.fromEntries(Object.entries(counts).filter(([status]) => status === "pending" || status === "sending"));
    if (Object.values(remaining).every((n) => n === 0)) break;
    // Rows still leased by a dead sender, or waiting for a retry: look again shortly.
    await sleep(200);
  }
  loopDelay.disable();
  const used = process.cpuUsage(cpu);
  await database.close();
  await report({
    type: "done",
    stats: { ...sender.stats },
    finishedWall,
    remaining,
    db,
    loopDelay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
    cpuMs: (used.user + used.system) / 1000,
  });
  process.disconnect?.();
}

main().catch((error: unknown) => {
  console.error("sender-worker failed:", error);
  process.exit(1);
});
