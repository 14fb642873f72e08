/**
 * The machinery of the fan-out bench: databases (a PGlite data directory, or a fresh database
 * on a PostgreSQL server), sender child processes (bench/sender-worker.ts), and one scenario
 * run against a fake Bot API in a process of its own (bench/fake-api-process.ts), measured from
 * the API's calls and the outbox rows.
 */
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import type { SenderStats } from "../src/core/delivery/sender.ts";
import type { CoreDeps } from "../src/core/deps.ts";
import { planDueReminders } from "../src/core/meetings/planner.ts";
import { openDatabase, type DatabaseHandle, type DatabaseOptions } from "../src/store/client.ts";
import { createStore } from "../src/store/index.ts";
import type { FakeBotApiOptions } from "../test/helpers/fake-bot-api.ts";
import { FakeClock } from "../test/helpers/fake-clock.ts";
import type { FakeApiMessage, FakeApiRequest, FakeApiSummary } from "./fake-api-process.ts";
import { outboxFigures, PLAN_AT, resetOutbox, seedFanout, type FanoutShape } from "./seed.ts";
import type { DbTimes, WorkerConfig, WorkerMessage } from "./sender-worker.ts";

const WORKER = fileURLToPath(new URL("./sender-worker.ts", import.meta.url));
const FAKE_API = fileURLToPath(new URL("./fake-api-process.ts", import.meta.url));
const START_POSTGRES = fileURLToPath(new URL("../scripts/start-postgres.sh", import.meta.url));
const TOKEN = "123456:BENCH";

// ---------------------------------------------------------------------------------------------
// Sender child processes
// ---------------------------------------------------------------------------------------------

export interface Worker {
  child: ChildProcess;
  ready: Promise<{ anchorWall: number }>;
  done: Promise<Extract<WorkerMessage, { type: "done" }>>;
  exited: Promise<number | string | null>;
}

const children = new Set<ChildProcess>();
/** What the senders logged (record failures, claim failures), by event. */
export const workerLogs = new Map<string, number>();

export function startWorker(config: WorkerConfig, execArgv: string[] = []): Worker {
  const child = fork(WORKER, [], { env: { ...process.env, BENCH_WORKER: JSON.stringify(config) }, execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.add(child);
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => {
      children.delete(child);
      resolve(signal ?? code);
    }),
  );
  let onReady: (v: { anchorWall: number }) => void = () => {};
  let onDone: (v: Extract<WorkerMessage, { type: "done" }>) => void = () => {};
  const ready = new Promise<{ anchorWall: number }>((resolve) => (onReady = resolve));
  const done = new Promise<Extract<WorkerMessage, { type: "done" }>>((resolve, reject) => {
    onDone = resolve;
    void exited.then((how) => reject(new Error(`sender worker ended (${String(how)}) before it was done`)));
  });
  // A worker killed on purpose never finishes: its rejection is expected.
  done.catch(() => {});
  child.on("message", (message: WorkerMessage) => {
    if (message.type === "ready") onReady({ anchorWall: message.anchorWall });
    else if (message.type === "done") onDone(message);
    else workerLogs.set(message.event, (workerLogs.get(message.event) ?? 0) + 1);
  });
  return { child, ready, done, exited };
}

/** The fake Bot API's process (bench/fake-api-process.ts) and the questions the scenario asks it. */
interface FakeApiProcess {
  apiRoot: string;
  /** Resolves once this many calls have succeeded. */
  reached(ok: number): Promise<number>;
  ok(): Promise<number>;
  /** The figures of the run; the process closes the server and ends. */
  summary(): Promise<FakeApiSummary>;
}

async function startFakeApiProcess(options: FakeBotApiOptions): Promise<FakeApiProcess> {
  const child = fork(FAKE_API, [], { env: { ...process.env, BENCH_FAKE_API: JSON.stringify(options) }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  children.add(child);
  child.once("exit", () => children.delete(child));
  const ended = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) => reject(new Error(`fake Bot API process ended (${String(signal ?? code)})`))),
  );
  ended.catch(() => {});
  /** The next message of this type, or the process's end. */
  const next = <T extends FakeApiMessage["type"]>(type: T) =>
    Promise.race([
      ended,
      new Promise<Extract<FakeApiMessage, { type: T }>>((resolve) => {
        const on = (message: FakeApiMessage) => {
          if (message.type !== type) return;
          child.off("message", on);
          resolve(message as Extract<FakeApiMessage, { type: T }>);
        };
        child.on("message", on);
      }),
    ]);
  const ask = (request: FakeApiRequest) => child.send(request);
  const { apiRoot } = await withTimeout(next("ready"), 60_000, "fake Bot API start");
  return {
    apiRoot,
    async reached(ok) {
      const answer = next("reached");
      ask({ type: "notifyAt", ok });
      return (await answer).ok;
    },
    async ok() {
      const answer = next("stats");
      ask({ type: "stats" });
      return (await answer).ok;
    },
    async summary() {
      const answer = next("summary");
      ask({ type: "summary" });
      const { type: _, ...summary } = await answer;
      return summary;
    },
  };
}

export function killWorkers(): void {
  for (const child of children) child.kill("SIGKILL");
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no result after ${ms / 1000} s`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Databases
// ---------------------------------------------------------------------------------------------

export type TargetName = "pglite" | "postgres";

export interface Target {
  name: TargetName;
  options: DatabaseOptions;
  cleanup(): Promise<void>;
}

let postgresServer: { url: string; dir?: string } | undefined;

/** BENCH_DATABASE_URL, or a throwaway server started with scripts/start-postgres.sh (stopped by stopPostgresServer). */
function postgresServerUrl(): { url: string; dir?: string } {
  if (postgresServer) return postgresServer;
  if (process.env.BENCH_DATABASE_URL) return (postgresServer = { url: process.env.BENCH_DATABASE_URL });
  const started = spawnSync("bash", [START_POSTGRES], { encoding: "utf8" });
  const url = started.stdout.trim().split("\n").at(-1) ?? "";
  if (started.status !== 0 || !url.startsWith("postgres")) throw new Error(`scripts/start-postgres.sh failed:\n${started.stderr}`);
  const dir = /server ready in (\S+)/.exec(started.stderr)?.[1];
  postgresServer = dir ? { url, dir } : { url };
  return postgresServer;
}

export function stopPostgresServer(): void {
  if (postgresServer?.dir) spawnSync("bash", [START_POSTGRES, "stop", postgresServer.dir], { stdio: "ignore" });
  postgresServer = undefined;
}

/**
 * Runs a bench's main and then its cleanup, on success, failure or Ctrl-C alike, so an
 * interrupted run never leaves a PostgreSQL server or worker processes behind.
 */
export async function runBench(main: () => Promise<void>, cleanup: () => void): Promise<void> {
  process.once("SIGINT", () => {
    cleanup();
    process.exit(130);
  });
  try {
    await main();
  } catch (error) {
    console.error(error);
    process.exitCode = 1;
  } finally {
    cleanup();
  }
}

/** A PGlite data directory in a temp folder, or a fresh database on the PostgreSQL server (dropped by cleanup). */
export async function prepareTarget(name: TargetName): Promise<Target> {
  if (name === "pglite") {
    const dir = mkdtempSync(join(tmpdir(), "chibo-bench-pglite-"));
    return { name, options: { driver: "pglite", dataDir: dir }, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const server = postgresServerUrl();
  const database = `chibo_bench_${randomBytes(5).toString("hex")}`;
  const admin = postgres(server.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${database}`);
  const url = new URL(server.url);
  url.pathname = `/${database}`;
  return {
    name,
    options: { driver: "postgres", url: url.toString(), maxConnections: 4 },
    async cleanup() {
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** Opens the target's database for a moment: PGlite allows one process at a time, and the senders need it. */
export async function withDatabase<T>(target: Target, fn: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase(target.options);
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

export interface Planning {
  seedSeconds: number;
  planSeconds: number;
  planned: number;
  secondPass: number;
}

/** Migrates, seeds, and plans the notices with the clock at T0 + 1 min; then plans again. */
export async function seedAndPlan(target: Target, shape: FanoutShape, progress: (message: string) => void = () => {}): Promise<Planning> {
  return withDatabase(target, async (handle) => {
    await handle.migrate();
    progress(`${target.name}: seeding ${shape.branches} branches × ${shape.members} members`);
    let t = performance.now();
    await seedFanout(handle.db, shape);
    const seedSeconds = (performance.now() - t) / 1000;
    const deps: CoreDeps = {
      store: createStore(handle.db),
      clock: new FakeClock(PLAN_AT),
      notifications: { edit: async () => false },
      links: { startLink: () => undefined, openChat: () => undefined },
      later: { run: () => undefined },
      timezone: "Asia/Ho_Chi_Minh",
    };
    progress(`${target.name}: planning`);
    t = performance.now();
    const first = await planDueReminders(deps);
    const planSeconds = (performance.now() - t) / 1000;
    const second = await planDueReminders(deps);
    // Vacuum and analyze the fresh outbox, as autovacuum would soon after such an insert.
    await resetOutbox(handle.db);
    return { seedSeconds, planSeconds, planned: first.messages, secondPass: second.messages };
  });
}

// ---------------------------------------------------------------------------------------------
// One scenario
// ---------------------------------------------------------------------------------------------

export interface ScenarioOptions {
  /** The fake API's global limit (messages per rolling second); null = none. */
  apiLimit: number | null;
  /** The sender's Telegram budget; null = unlimited. */
  senderLimit: number | null;
  latencyMs: number;
  retryAfterSeconds: number;
  maxInFlight: number;
  batchSize: number;
  leaseMs: number;
  /** Kill the sender with SIGKILL once the API has this many messages, then start another. */
  killAt?: number;
  timeoutMs: number;
  /** Node options of the (first) sender process, e.g. --cpu-prof. */
  execArgv?: string[];
}

export interface ScenarioResult {
  /** Seconds from the (first) sender being ready until the last outcome was recorded. */
  drainSeconds: number;
  /** Seconds between the first and the last successful sendMessage the fake API received. */
  sendWindowSeconds: number;
  /** Chats that received the reminder. */
  delivered: number;
  rateLimited: number;
  /** Messages beyond the first one to a chat (each member chat gets exactly one in this set-up). */
  duplicates: number;
  /** Rows not sent at the end, or whose chat never received a message. */
  misses: number;
  latenessP50: number;
  latenessP99: number;
  stats: SenderStats;
  /** The fake Bot API's event loop delay (its own process), ms: its own jitter, which can draw 429s. */
  apiLoopDelay: { p99: number; max: number };
  /** 429 answers bunch: episodes are runs of them less than a second apart. */
  rateLimitEpisodes: number;
  /** The most requests that arrived at the API within any rolling second (by arrival time, 1 ms resolution). */
  peakPerSecond: number;
  /** Of the (last) sender: its claim and record statements, event loop delay (ms) and CPU time (ms). */
  db: DbTimes;
  senderLoopDelay: { p99: number; max: number };
  senderCpuMs: number;
  crash?: { killedAfter: number; deliveredBeforeRestart: number; reclaimed: number };
}

export async function runScenario(target: Target, options: ScenarioOptions): Promise<ScenarioResult> {
  const api = await startFakeApiProcess({
    token: TOKEN,
    latencyMs: options.latencyMs,
    retryAfterSeconds: options.retryAfterSeconds,
    ...(options.apiLimit === null ? {} : { globalLimitPerSecond: options.apiLimit }),
  });
  const config: WorkerConfig = {
    database: target.options,
    apiRoot: api.apiRoot,
    token: TOKEN,
    limit: options.senderLimit,
    maxInFlight: options.maxInFlight,
    batchSize: options.batchSize,
    leaseMs: options.leaseMs,
    anchorFake: PLAN_AT.getTime(),
  };
  const first = startWorker(config, options.execArgv);
  const { anchorWall } = await withTimeout(first.ready, 60_000, "sender worker start");
  let done: Extract<WorkerMessage, { type: "done" }>;
  let crash: ScenarioResult["crash"];
  if (options.killAt !== undefined) {
    await withTimeout(api.reached(options.killAt), options.timeoutMs, "waiting for the kill point");
    first.child.kill("SIGKILL");
    await first.exited;
    const killedAfter = await api.ok();
    // Requests already on their way still arrive: what the API has once they are in is what went out.
    await sleep(options.latencyMs * 3);
    const deliveredBeforeRestart = await api.ok();
    // The same clock anchor: the restarted sender sees the dead one's leases run out in real time.
    const second = startWorker({ ...config, anchorWall });
    done = await withTimeout(second.done, options.timeoutMs, "restarted sender");
    crash = { killedAfter, deliveredBeforeRestart, reclaimed: done.stats.ambiguous };
    await second.exited;
  } else {
    done = await withTimeout(first.done, options.timeoutMs, "sender");
    await first.exited;
  }
  // Until the last outcome was written, not until the bench's worker process has closed its database and ended.
  const drainSeconds = (done.finishedWall - anchorWall) / 1000;
  const sent = await withTimeout(api.summary(), 60_000, "fake Bot API summary");
  const delivered = new Set(sent.chats);
  const figures = await withDatabase(target, (handle) => outboxFigures(handle.db));
  const misses = figures.rows.filter((row) => row.status !== "sent" || !delivered.has(row.chat)).length;
  return {
    drainSeconds,
    sendWindowSeconds: (sent.lastAt - sent.firstAt) / 1000,
    delivered: delivered.size,
    rateLimited: sent.rateLimited,
    rateLimitEpisodes: sent.rateLimitEpisodes,
    peakPerSecond: sent.peakPerSecond,
    duplicates: sent.duplicates,
    misses,
    latenessP50: figures.latenessP50,
    latenessP99: figures.latenessP99,
    stats: done.stats,
    db: done.db,
    senderLoopDelay: done.loopDelay,
    senderCpuMs: done.cpuMs,
    apiLoopDelay: sent.loopDelay,
    ...(crash ? { crash } : {}),
  };
}
