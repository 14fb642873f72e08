/**
 * `npm run bench:fanout` — 5,000 branches × 10 members = 50,000 reminders due at the same
 * minute, delivered through the real sender, the real notice renderer and the real Telegram
 * notifier to a fake Bot API on 127.0.0.1 that enforces a global limit (429 + retry_after)
 * and adds 80 ms to every call; on PGlite, then on PostgreSQL.
 *
 * Per database:
 *   1. seed the data set with set-based SQL, time planDueReminders (50,000 rows), plan again (0);
 *   2. rate: the sender's budget = the fake API's limit (default 1000 msg/s, so ~50 s);
 *   3. capacity: no limit anywhere; messages per second ÷ 30 (Telegram's limit);
 *   4. lateness p50/p99 = sent_at − due_at of the rows;
 *   5. 429s answered by the fake API;
 *   6. duplicates (each member chat gets exactly one message in this set-up: a second one to a
 *      chat is a duplicate) and misses (a row not sent at the end, or whose chat got nothing);
 *   7. kill -9 of the sender half-way through a rate run, restart, drain; the same counts.
 *
 * The sender runs in a child process (bench/sender-worker.ts) that opens the database itself;
 * for PGlite the child owns the data directory (this process closes it first; the restarted
 * child takes over the lock the killed one left). The fake Bot API runs in a process of its own
 * (bench/fake-api-process.ts), fresh for each run, as a real server would: its arrival times are
 * then not held up by this process's bookkeeping or by the previous run's garbage.
 *
 * The clocks: planning runs on a FakeClock at T0 + 1 min (T0 = the tests' FakeClock start), so
 * every row is due at T0 + 1 min. The sender's clock is real time shifted so that T0 + 1 min is
 * the moment the first sender process of a run is ready: lateness counts from then (planning is
 * timed apart), leases of a killed sender run out in real seconds, and the meetings (T0 + 3 days
 * + 1 min) stay days away, so nothing goes stale.
 *
 * Environment: BENCH_DATABASE_URL (a PostgreSQL server; else one is started with
 * scripts/start-postgres.sh and stopped at the end; the bench works in a database of its own
 * on it, dropped at the end), BENCH_BRANCHES (5000), BENCH_MEMBERS (10), BENCH_LIMIT (1000),
 * BENCH_MAX_IN_FLIGHT (512), BENCH_BATCH (256), BENCH_LEASE_MS (5000), BENCH_TARGETS
 * ("pglite,postgres"), BENCH_BASELINE=0 to skip the grammY baseline.
 *
 * The last line, for scripts (PostgreSQL figures; the line before: PGlite):
 *   fanout: rate_ratio=<x> capacity_ratio=<x> misses=<n> duplicates=<n> crash_duplicates=<n> crash_misses=<n>
 */
import { runBaseline, type BaselineLine } from "./baseline.ts";
import {
  killWorkers,
  prepareTarget,
  runBench,
  runScenario,
  seedAndPlan,
  stopPostgresServer,
  withDatabase,
  workerLogs,
  type ScenarioOptions,
  type ScenarioResult,
  type TargetName,
} from "./harness.ts";
import { PLAN_AT, resetOutbox, T0 } from "./seed.ts";

const env = process.env;
const SHAPE = { branches: Number(env.BENCH_BRANCHES ?? 5000), members: Number(env.BENCH_MEMBERS ?? 10) };
const TOTAL = SHAPE.branches * SHAPE.members;
const LIMIT = Number(env.BENCH_LIMIT ?? 1000);
const LATENCY_MS = 80;
const RETRY_AFTER_S = 1;
/**
 * 80 ms of latency at 1000 msg/s keeps ~80 sends under way; the rest covers the budget's queue
 * and recording, and lets the sender claim 256 rows at a time (each claim reads every due row).
 */
const MAX_IN_FLIGHT = Number(env.BENCH_MAX_IN_FLIGHT ?? 512);
const BATCH_SIZE = Number(env.BENCH_BATCH ?? 256);
const LEASE_MS = Number(env.BENCH_LEASE_MS ?? 5000);
const TARGETS = (env.BENCH_TARGETS ?? "pglite,postgres").split(",").map((t) => t.trim()) as TargetName[];
const BASELINE_SECONDS = 8;

const COMMON: Omit<ScenarioOptions, "apiLimit" | "senderLimit"> = {
  latencyMs: LATENCY_MS,
  retryAfterSeconds: RETRY_AFTER_S,
  maxInFlight: MAX_IN_FLIGHT,
  batchSize: BATCH_SIZE,
  leaseMs: LEASE_MS,
  // A run that takes longer than this is stuck: the worker is killed and the bench fails.
  timeoutMs: 4 * 60_000,
};

interface TargetResult {
  name: TargetName;
  seedSeconds: number;
  planSeconds: number;
  planned: number;
  secondPass: number;
  rate: ScenarioResult;
  capacity: ScenarioResult;
  crash: ScenarioResult;
}

function progress(message: string): void {
  process.stderr.write(`  … ${message}\n`);
}

async function runTarget(name: TargetName): Promise<TargetResult> {
  const target = await prepareTarget(name);
  try {
    const planning = await seedAndPlan(target, SHAPE, progress);
    if (planning.planned !== TOTAL) throw new Error(`${name}: planning made ${planning.planned} rows, expected ${TOTAL}`);
    progress(`${name}: rate run (limit ${LIMIT}/s)`);
    const rate = await runScenario(target, { ...COMMON, apiLimit: LIMIT, senderLimit: LIMIT });
    await withDatabase(target, (handle) => resetOutbox(handle.db));
    progress(`${name}: capacity run (no limit)`);
    const capacity = await runScenario(target, { ...COMMON, apiLimit: null, senderLimit: null });
    await withDatabase(target, (handle) => resetOutbox(handle.db));
    progress(`${name}: kill -9 run (limit ${LIMIT}/s, killed after ${Math.round(TOTAL / 2)} sent)`);
    const crash = await runScenario(target, { ...COMMON, apiLimit: LIMIT, senderLimit: LIMIT, killAt: Math.round(TOTAL / 2) });
    return { name, ...planning, rate, capacity, crash };
  } finally {
    await target.cleanup();
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const n0 = (x: number) => Math.round(x).toLocaleString("en-US");
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const rateRatio = (r: TargetResult) => r.rate.delivered / r.rate.drainSeconds / LIMIT;
const capacityRatio = (r: TargetResult) => r.capacity.delivered / r.capacity.drainSeconds / 30;
const avg = (ms: number, n: number) => (n ? ms / n : 0);

function table(results: TargetResult[]): string {
  const cells = (f: (r: TargetResult) => string) => results.map(f);
  const rows: string[][] = [
    ["", ...cells((r) => (r.name === "pglite" ? "PGlite" : "PostgreSQL"))],
    [`seed: ${n0(SHAPE.branches)} branches, ${n0(TOTAL)} members, s`, ...cells((r) => f1(r.seedSeconds))],
    ["1 enqueue: planDueReminders", ...cells((r) => `${n0(r.planned)} rows in ${f1(r.planSeconds)} s`)],
    ["  second planning pass inserts", ...cells((r) => String(r.secondPass))],
    [`2 rate run: limit ${n0(LIMIT)}/s, budget = limit`, ...cells(() => "")],
    ["  delivered rate ÷ limit", ...cells((r) => f2(rateRatio(r)))],
    ["  drain, s (send window, s)", ...cells((r) => `${f1(r.rate.drainSeconds)} (${f1(r.rate.sendWindowSeconds)})`)],
    ["4 lateness p50 / p99, s", ...cells((r) => `${f1(r.rate.latenessP50)} / ${f1(r.rate.latenessP99)}`)],
    ["5 429s (episodes)", ...cells((r) => `${r.rate.rateLimited} (${r.rate.rateLimitEpisodes})`)],
    ["6 duplicates / misses", ...cells((r) => `${r.rate.duplicates} / ${r.rate.misses}`)],
    ["3 capacity run: no limit", ...cells(() => "")],
    ["  msg/s (÷ 30)", ...cells((r) => `${n0(r.capacity.delivered / r.capacity.drainSeconds)} (${f1(capacityRatio(r))})`)],
    ["  lateness p50 / p99, s", ...cells((r) => `${f1(r.capacity.latenessP50)} / ${f1(r.capacity.latenessP99)}`)],
    ["  duplicates / misses", ...cells((r) => `${r.capacity.duplicates} / ${r.capacity.misses}`)],
    [`7 kill -9 half-way (limit ${n0(LIMIT)}/s), restart`, ...cells(() => "")],
    ["  sent before the kill", ...cells((r) => n0(r.crash.crash?.deliveredBeforeRestart ?? 0))],
    [`  reclaimed after the ${LEASE_MS / 1000} s lease`, ...cells((r) => String(r.crash.crash?.reclaimed ?? 0))],
    ["  drain incl. restart, s", ...cells((r) => f1(r.crash.drainSeconds))],
    ["  lateness p50 / p99, s", ...cells((r) => `${f1(r.crash.latenessP50)} / ${f1(r.crash.latenessP99)}`)],
    ["  429s (episodes)", ...cells((r) => `${r.crash.rateLimited} (${r.crash.rateLimitEpisodes})`)],
    [`  duplicates (≤ ${MAX_IN_FLIGHT} in flight) / misses`, ...cells((r) => `${r.crash.duplicates} / ${r.crash.misses}`)],
    ["where the rate run's time went", ...cells(() => "")],
    [
      "  claims: n × avg ms (rows each)",
      ...cells((r) => `${r.rate.db.claims} × ${f1(avg(r.rate.db.claimMs, r.rate.db.claims))} (${Math.round(avg(r.rate.db.claimedRows, r.rate.db.claims))})`),
    ],
    ["  records: n × avg ms", ...cells((r) => `${r.rate.db.records} × ${f1(avg(r.rate.db.recordMs, r.rate.db.records))}`)],
    ["  sender CPU, s", ...cells((r) => f1(r.rate.senderCpuMs / 1000))],
    ["  event loop delay p99 / max, ms: sender", ...cells((r) => `${Math.round(r.rate.senderLoopDelay.p99)} / ${Math.round(r.rate.senderLoopDelay.max)}`)],
    ["  … fake Bot API", ...cells((r) => `${Math.round(r.rate.apiLoopDelay.p99)} / ${Math.round(r.rate.apiLoopDelay.max)}`)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]! + 3))).join("")).join("\n");
}

function finalLine(r: TargetResult): string {
  return (
    `fanout: rate_ratio=${f2(rateRatio(r))} capacity_ratio=${f1(capacityRatio(r))} misses=${r.rate.misses + r.capacity.misses} ` +
    `duplicates=${r.rate.duplicates + r.capacity.duplicates} crash_duplicates=${r.crash.duplicates} crash_misses=${r.crash.misses}`
  );
}

function baselineTable(lines: BaselineLine[], limit: number): string {
  const width = Math.max(...lines.map((l) => l.name.length));
  return lines.map((l) => `  ${l.name.padEnd(width)}  ${f2(l.ratio)} of ${limit}/s  (${l.sent} sent in ${f1(l.seconds)} s, ${l.rateLimited} × 429)`).join("\n");
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `fan-out: ${n0(SHAPE.branches)} branches × ${SHAPE.members} members = ${n0(TOTAL)} reminders due at ${PLAN_AT.toISOString()} (T0 ${T0.toISOString()} + 1 min)\n` +
      `fake Bot API on 127.0.0.1: +${LATENCY_MS} ms per call, 429 with retry_after ${RETRY_AFTER_S} s over its limit\n` +
      `sender (own process, real renderer and Telegram notifier): maxInFlight ${MAX_IN_FLIGHT}, batch ${BATCH_SIZE}, lease ${LEASE_MS / 1000} s`,
  );
  if (env.BENCH_BASELINE !== "0") {
    progress("baseline: grammY broadcast recipe at 30 msg/s");
    const lines = await runBaseline({ limit: 30, latencyMs: LATENCY_MS, retryAfterSeconds: RETRY_AFTER_S, seconds: BASELINE_SECONDS });
    console.log(
      `\nbaseline at Telegram's limit (30 msg/s, +${LATENCY_MS} ms, retry_after ${RETRY_AFTER_S} s), ${BASELINE_SECONDS} s each, no database:\n${baselineTable(lines, 30)}`,
    );
  }
  const results: TargetResult[] = [];
  for (const name of TARGETS) results.push(await runTarget(name));
  console.log(`\n${table(results)}`);
  if (workerLogs.size) console.log(`sender log events: ${[...workerLogs].map(([event, n]) => `${event} × ${n}`).join(", ")}`);
  console.log(`total ${f1((performance.now() - started) / 1000)} s`);
  // PGlite's line first, PostgreSQL's last (for scripts).
  for (const name of ["pglite", "postgres"] as const) {
    const result = results.find((r) => r.name === name);
    if (result) console.log(finalLine(result));
  }
}

function cleanup(): void {
  killWorkers();
  stopPostgresServer();
}

await runBench(main, cleanup);
