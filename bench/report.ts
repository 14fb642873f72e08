/**
 * `npm run bench:report` — the attendance reports and the daily rule tick at the scale of a
 * province: 1 province → 10 districts → 170 communes/wards → 1,700 branches of 40 members
 * (68,000 members), and a tenth of it built as a tree of its own (1 district → 17 communes →
 * 170 branches), both in one database; a year (2026) of monthly regular meetings with their
 * roll calls closed and realistic absences (bench/report-seed.ts). On PGlite, then PostgreSQL.
 *
 * The app's real core runs on it, with the clock at 2026-12-20 10:00 in Vietnam:
 *   tick_ms    the daily rule tick, core.alerts.evaluateAll(), over the tree's branches: the
 *              first run raises the year's alerts (and queues their notices), a second run
 *              raises none — what every later day costs;
 *   branch_ms  one branch's year report, core.reports.branchReport(), as a supervisor of the
 *              root asks for it: the median over 5 branches;
 *   org_ms     the root's ranked year report, core.reports.orgReport(), plus writing it as the
 *              supervisor's XLSX (orgReportXlsx: the ranking, then a sheet per branch) — the
 *              median of BENCH_RUNS runs, the two sizes taking turns;
 *   scale_ratio  org_ms(province) ÷ org_ms(tenth): 10 times the branches should cost at most
 *              12 times the time (linear, or better).
 * The reports run after the ticks, so they read the open alerts a province would have. The
 * report's time is split into the store's (any query under way) and the rest (the core's own
 * work in JavaScript), and the query functions that took longest are listed with their count
 * and average time, to show where it goes. PGlite runs one statement at a time: reads the core
 * issues side by side (the reports' meetings, book and alerts) wait for one another there, and
 * each one's time includes that wait.
 *
 * evaluateAll() takes "every branch" from the store; the bench hands it a store whose list of
 * branches is the one tree's, so each size's tick covers exactly its own branches.
 *
 * With BENCH_EXPLAIN=1, on PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) of the reads the reports and
 * the tick make (the attendance book of a chunk of 200 branches and of one branch, the
 * meetings, the open alerts, the recipients), taken from the store's own query functions.
 *
 * Environment: BENCH_DATABASE_URL (a PostgreSQL server; else one is started with
 * scripts/start-postgres.sh and stopped at the end; the bench works in a database of its own,
 * dropped at the end), BENCH_TARGETS ("pglite,postgres"), BENCH_BRANCHES (1700),
 * BENCH_MEMBERS (40), BENCH_RUNS (3), BENCH_EXPLAIN=1.
 *
 * A full run takes 17–20 minutes on 2 cores, PGlite's ticks of the province the longest part
 * (bench/README.md has the figures).
 *
 * The last line, for scripts (PostgreSQL; the line before: PGlite), the province's figures:
 *   report: scale_ratio=<x> branch_ms=<n> org_ms=<n> tick_ms=<n>
 */
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { createCore, type Core, type CoreDeps } from "../src/core/index.ts";
import type { Store } from "../src/core/ports.ts";
import type { Actor } from "../src/core/roles.ts";
import { zonedInstant } from "../src/core/time.ts";
import { orgReportXlsx } from "../src/files/attendance-report.ts";
import { createI18n, type Translate } from "../src/i18n.ts";
import type { DatabaseHandle } from "../src/store/client.ts";
import type { Database } from "../src/store/database.ts";
import { createStore } from "../src/store/index.ts";
import { openAlerts } from "../src/store/queries/alerts.ts";
import { attendanceBook } from "../src/store/queries/attendance.ts";
import { getBranch, getBranches, listBranchesUnder } from "../src/store/queries/branches.ts";
import { expectedRecipients, listMeetings, listMeetingsOf, supervisorsOf } from "../src/store/queries/meetings.ts";
import * as schema from "../src/store/schema/index.ts";
import { FakeClock } from "../test/helpers/fake-clock.ts";
import { prepareTarget, runBench, stopPostgresServer, withDatabase, type Target, type TargetName } from "./harness.ts";
import { seedReportTree, type ReportTree, type SeededTree } from "./report-seed.ts";
import { rows } from "./seed.ts";

const env = process.env;
const BRANCHES = Number(env.BENCH_BRANCHES ?? 1700);
const MEMBERS = Number(env.BENCH_MEMBERS ?? 40);
const RUNS = Number(env.BENCH_RUNS ?? 3);
const BRANCH_RUNS = 5;
const TARGETS = (env.BENCH_TARGETS ?? "pglite,postgres").split(",").map((t) => t.trim()) as TargetName[];
const EXPLAIN = env.BENCH_EXPLAIN === "1";
/** 10:00 in Vietnam on 20 December 2026: the year's twelve meetings are all behind, their roll calls closed. */
const NOW = new Date("2026-12-20T03:00:00Z");
const PERIOD = "2026";
const TIMEZONE = "Asia/Ho_Chi_Minh";
/** The reports read branches in chunks of this many (src/core/reports/service.ts). */
const CHUNK = 200;

const TREES: Array<{ size: Size; tree: ReportTree }> = [
  { size: "tenth", tree: { key: "tenth", root: "district", branches: Math.max(1, Math.round(BRANCHES / 10)), members: MEMBERS, telegramBase: 8_100_000_000 } },
  { size: "province", tree: { key: "province", root: "province", branches: BRANCHES, members: MEMBERS, telegramBase: 8_000_000_000 } },
];
type Size = "tenth" | "province";

interface TickResult {
  firstMs: number;
  secondMs: number;
  /** Of each run: while a store query was under way, and the query functions that took longest. */
  firstStore: { ms: number; top: string };
  secondStore: { ms: number; top: string };
  raised: number;
  secondRaised: number;
  withdrawn: number;
  failed: number;
  notices: number;
}

interface OrgRun {
  reportMs: number;
  /** Of reportMs: while a store query was under way. */
  storeMs: number;
  xlsxMs: number;
  bytes: number;
  sheets: number;
  top: string;
}

interface SizeResult {
  seeded: SeededTree;
  seedSeconds: number;
  tick: TickResult;
  branchRuns: number[];
  orgRuns: OrgRun[];
}

interface TargetResult {
  name: TargetName;
  sizes: Record<Size, SizeResult>;
}

function progress(message: string): void {
  process.stderr.write(`  … ${message}\n`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const n0 = (x: number) => Math.round(x).toLocaleString("en-US");
const f1 = (x: number) => x.toFixed(1);
const pct = (part: number, whole: number) => `${((100 * part) / whole).toFixed(1)} %`;
const label = (name: TargetName) => (name === "pglite" ? "PGlite" : "PostgreSQL");

/**
 * Wall time during which at least one of the store's calls is under way, and each query
 * function's calls and time (their own, overlapping where the core runs them side by side).
 */
class StoreMeter {
  busyMs = 0;
  calls = new Map<string, { n: number; ms: number }>();
  #inFlight = 0;
  #since = 0;
  reset(): void {
    this.busyMs = 0;
    this.calls.clear();
  }
  track<T>(name: string, promise: Promise<T>): Promise<T> {
    const started = performance.now();
    if (this.#inFlight++ === 0) this.#since = started;
    return promise.finally(() => {
      const now = performance.now();
      if (--this.#inFlight === 0) this.busyMs += now - this.#since;
      const call = this.calls.get(name) ?? { n: 0, ms: 0 };
      call.n++;
      call.ms += now - started;
      this.calls.set(name, call);
    });
  }
  /** The query functions that took the most time: "alerts.raise 29,896 × 0.9 ms". */
  top(count: number): string {
    return [...this.calls]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, count)
      .map(([name, c]) => `${name} ${n0(c.n)} × ${c.ms / c.n < 10 ? (c.ms / c.n).toFixed(2) : n0(c.ms / c.n)} ms`)
      .join(", ");
  }
}

/** The same store, every query function timed by the meter, inside transactions too. */
function meteredStore(store: Store, meter: StoreMeter): Store {
  const metered: Record<string, unknown> = {};
  for (const [group, fns] of Object.entries(store)) {
    if (typeof fns !== "object" || fns === null) continue;
    metered[group] = Object.fromEntries(
      Object.entries(fns).map(([fn, f]) => [
        fn,
        typeof f === "function" ? (...args: unknown[]) => meter.track(`${group}.${fn}`, Promise.resolve(f(...args))) : f,
      ]),
    );
  }
  metered.transaction = <T>(fn: (tx: Store) => Promise<T>) => store.transaction((tx) => fn(meteredStore(tx, meter)));
  return metered as unknown as Store;
}

/** The store with "every branch" limited to one tree's, for its daily tick. */
function treeStore(store: Store, branchIds: string[]): Store {
  return { ...store, branches: { ...store.branches, allIds: async () => branchIds } };
}

function coreDeps(store: Store, clock: FakeClock): CoreDeps {
  return {
    store,
    clock,
    notifications: { edit: async () => false },
    links: { startLink: () => undefined, openChat: () => undefined },
    later: { run: () => undefined },
    timezone: TIMEZONE,
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

async function outboxCount(db: Database): Promise<number> {
  const [row] = await rows<{ n: number | string }>(db, sql`select count(*) as n from outbox`);
  return Number(row?.n ?? 0);
}

async function tick(db: Database, core: Core, meter: StoreMeter): Promise<TickResult> {
  const before = await outboxCount(db);
  meter.reset();
  const first = await timed(() => core.alerts.evaluateAll());
  const firstStore = { ms: meter.busyMs, top: meter.top(6) };
  const notices = (await outboxCount(db)) - before;
  meter.reset();
  const second = await timed(() => core.alerts.evaluateAll());
  const secondStore = { ms: meter.busyMs, top: meter.top(6) };
  return {
    firstMs: first.ms,
    secondMs: second.ms,
    firstStore,
    secondStore,
    raised: first.value.raised,
    secondRaised: second.value.raised,
    withdrawn: first.value.withdrawn + second.value.withdrawn,
    failed: first.value.failed + second.value.failed,
    notices,
  };
}

async function branchRuns(core: Core, actor: Actor, seeded: SeededTree): Promise<number[]> {
  const ids = seeded.branchIds;
  // One more branch first, unmeasured: the first call compiles what the others reuse.
  const picks = Array.from({ length: BRANCH_RUNS + 1 }, (_, i) => ids[Math.floor((i * ids.length) / (BRANCH_RUNS + 1))]!);
  const times: number[] = [];
  for (const [i, branchId] of picks.entries()) {
    const run = await timed(() => core.reports.branchReport(actor, branchId, PERIOD));
    if (!run.value.ok) throw new Error(`branchReport(${branchId}): ${run.value.reason}`);
    if (run.value.report.meetings.length !== 12) throw new Error(`branchReport(${branchId}): ${run.value.report.meetings.length} meetings, expected 12`);
    if (i > 0) times.push(run.ms);
  }
  return times;
}

async function orgRun(core: Core, meter: StoreMeter, actor: Actor, seeded: SeededTree, t: Translate): Promise<OrgRun> {
  meter.reset();
  const { ms: reportMs, value } = await timed(() => core.reports.orgReport(actor, seeded.rootId, PERIOD));
  if (!value.ok) throw new Error(`orgReport(${seeded.tree.key}): ${value.reason}`);
  const storeMs = meter.busyMs;
  const top = meter.top(4);
  const { report } = value;
  if (report.ranked.length !== seeded.branchIds.length)
    throw new Error(`orgReport(${seeded.tree.key}): ${report.ranked.length} branches, expected ${seeded.branchIds.length}`);
  const xlsx = await timed(() => orgReportXlsx(report, t, "vi"));
  return { reportMs, storeMs, xlsxMs: xlsx.ms, bytes: xlsx.value.byteLength, sheets: report.ranked.length + 1, top };
}

async function runTarget(name: TargetName, t: Translate): Promise<TargetResult> {
  const target = await prepareTarget(name);
  try {
    return await withDatabase(target, (handle) => runOn(target, handle, t));
  } finally {
    await target.cleanup();
  }
}

async function runOn(target: Target, handle: DatabaseHandle, t: Translate): Promise<TargetResult> {
  const { name } = target;
  await handle.migrate();
  const seeded = {} as Record<Size, { seeded: SeededTree; seedSeconds: number }>;
  for (const { size, tree } of TREES) {
    progress(`${name}: seeding the ${size}: ${n0(tree.branches)} branches × ${tree.members} members, 12 meetings each`);
    const run = await timed(() => seedReportTree(handle.db, tree));
    seeded[size] = { seeded: run.value, seedSeconds: run.ms / 1000 };
    console.log(seedLine(name, size, run.value, run.ms / 1000));
  }
  await handle.db.execute(sql`vacuum analyze`);

  const clock = new FakeClock(NOW);
  const store = createStore(handle.db);
  const meter = new StoreMeter();
  const core = createCore(coreDeps(meteredStore(store, meter), clock));
  const actors = {} as Record<Size, Actor>;
  for (const { size } of TREES) {
    // A supervisor of the tree's root, loaded as the app loads a person who writes to it.
    actors[size] = await core.people.reload(seeded[size].seeded.supervisor);
    if (!actors[size].supervision.some((s) => s.orgUnitId === seeded[size].seeded.rootId)) throw new Error(`${size}: the supervisor does not follow the root`);
  }

  const ticks = {} as Record<Size, TickResult>;
  for (const { size } of TREES) {
    const { branchIds } = seeded[size].seeded;
    progress(`${name}: the daily rule tick over the ${size}'s ${n0(branchIds.length)} branches (twice)`);
    ticks[size] = await tick(handle.db, createCore(coreDeps(meteredStore(treeStore(store, branchIds), meter), clock)), meter);
    console.log(tickLine(name, size, branchIds.length, ticks[size]));
    console.log(`  store in the first run: ${n0(ticks[size].firstStore.ms)} ms; ${ticks[size].firstStore.top}`);
    console.log(`  store in the second run: ${n0(ticks[size].secondStore.ms)} ms; ${ticks[size].secondStore.top}`);
  }
  // As autovacuum would soon after the tick's inserts: the reports then read fresh statistics.
  await handle.db.execute(sql`vacuum analyze alerts`);
  await handle.db.execute(sql`vacuum analyze outbox`);

  const branch = {} as Record<Size, number[]>;
  for (const { size } of TREES) {
    progress(`${name}: ${BRANCH_RUNS} branch year reports in the ${size}`);
    branch[size] = await branchRuns(core, actors[size], seeded[size].seeded);
    console.log(
      `branch(${name}, ${size}): branch_ms=${n0(median(branch[size]))} — median of ${BRANCH_RUNS} branches' year reports (${branch[size].map(n0).join(", ")} ms)`,
    );
  }

  progress(`${name}: org reports, warm-up (the tenth)`);
  await orgRun(core, meter, actors.tenth, seeded.tenth.seeded, t);
  const org: Record<Size, OrgRun[]> = { tenth: [], province: [] };
  for (let run = 1; run <= RUNS; run++) {
    for (const { size } of TREES) {
      progress(`${name}: org report ${run}/${RUNS}, the ${size}`);
      const result = await orgRun(core, meter, actors[size], seeded[size].seeded, t);
      org[size].push(result);
      console.log(orgLine(name, size, run, result));
      if (run === RUNS) console.log(`  store: ${result.top}`);
    }
  }

  if (EXPLAIN && name === "postgres" && target.options.driver === "postgres") await explainReads(target.options.url, seeded.province.seeded);

  const sizes = {} as Record<Size, SizeResult>;
  for (const { size } of TREES) sizes[size] = { ...seeded[size], tick: ticks[size], branchRuns: branch[size], orgRuns: org[size] };
  const result: TargetResult = { name, sizes };
  for (const { size } of TREES) console.log(sizeSummary(result, size));
  console.log(`memory: the process's peak RSS so far ${n0(process.resourceUsage().maxRSS / 1024)} MB`);
  console.log(
    `scale(${name}): org_ms province ÷ tenth = ${n0(orgMs(sizes.province))} ÷ ${n0(orgMs(sizes.tenth))} = ${scaleRatio(result).toFixed(2)} (target ≤ 12)`,
  );
  return result;
}

// ---------------------------------------------------------------------------------------------
// EXPLAIN (PostgreSQL)
// ---------------------------------------------------------------------------------------------

/**
 * Runs the store's own query functions on a connection of their own whose drizzle logger keeps
 * the last statement, then EXPLAIN (ANALYZE, BUFFERS) of that statement with its parameters.
 * Each read runs once before it is explained, as it would in a warm app.
 */
async function explainReads(url: string, province: SeededTree): Promise<void> {
  const client = postgres(url, { max: 1, onnotice: () => {} });
  let last: { query: string; params: unknown[] } | undefined;
  const db = drizzle(client, { schema, logger: { logQuery: (query, params) => void (last = { query, params }) } }) as unknown as Database;
  try {
    const branches = await getBranches(db, { branchIds: province.branchIds });
    // The reports' first chunk: branches in name order, so spread over the whole province.
    const chunk = branches.slice(0, CHUNK).map((b) => b.id);
    const one = province.branchIds[Math.floor(province.branchIds.length / 2)]!;
    // The reports' window for the year (a day either side), and the tick's (its branch's calendar year to today).
    const report = { from: new Date("2025-12-31T00:00:00Z"), to: new Date("2027-01-02T00:00:00Z") };
    const tick = { from: zonedInstant("2026-01-01", "00:00", TIMEZONE), to: zonedInstant("2026-12-21", "00:00", TIMEZONE) };
    const reads: Array<[string, () => Promise<unknown>]> = [
      [`attendanceBook, ${chunk.length} branches, the year (reports)`, () => attendanceBook(db, { branchIds: chunk, ...report })],
      [`listMeetingsOf, ${chunk.length} branches (reports)`, () => listMeetingsOf(db, { branchIds: chunk, ...report })],
      [`openAlerts, ${chunk.length} branches (reports)`, () => openAlerts(db, { branchIds: chunk })],
      [`getBranches, ${province.branchIds.length} branches (org report)`, () => getBranches(db, { branchIds: province.branchIds })],
      [`listBranchesUnder, the province's units (org report)`, () => listBranchesUnder(db, { orgUnitIds: [province.rootId] })],
      ["getBranch, one branch (tick, reports)", () => getBranch(db, { branchId: one })],
      ["attendanceBook, one branch (tick)", () => attendanceBook(db, { branchIds: [one], ...tick })],
      ["listMeetings, one branch (tick)", () => listMeetings(db, { branchId: one, ...tick, includeCancelled: false })],
      ["openAlerts, one branch (tick)", () => openAlerts(db, { branchIds: [one] })],
      ["supervisorsOf, one branch (tick's notices)", () => supervisorsOf(db, { branchIds: [one] })],
      [
        "expectedRecipients, the committee of one branch (tick's notices)",
        () =>
          expectedRecipients(db, {
            meetings: [{ meetingId: one, branchId: one, day: "2026-12-20" }],
            roles: ["secretary", "deputy", "committee"],
            skip: "none",
          }),
      ],
    ];
    for (const [title, read] of reads) {
      await read();
      const { query, params } = last!;
      const plan = await client.unsafe(`explain (analyze, buffers) ${query}`, params as never[]);
      const lines = plan.map((r) => String((r as Record<string, unknown>)["QUERY PLAN"]));
      console.log(`explain: ${title}`);
      for (const line of lines) if (!/^\s*(Buffers|Planning:|I\/O Timings)/.test(line)) console.log(`  ${line}`);
      const seqScans = lines.filter((l) => /Seq Scan/.test(l)).map((l) => l.trim().replace(/\s+\(cost.*$/, ""));
      console.log(`explain: ${title}: ${seqScans.length ? `sequential scans: ${seqScans.join("; ")}` : "no sequential scan"}`);
    }
  } finally {
    await client.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function seedLine(name: TargetName, size: Size, s: SeededTree, seconds: number): string {
  const { lines } = s;
  const absent = lines.total - lines.present;
  return (
    `seed(${name}, ${size}): ${n0(s.units)} org units, ${n0(s.branchIds.length)} branches, ${n0(s.branchIds.length * s.tree.members)} members, ` +
    `${n0(s.meetings)} meetings, ${n0(lines.total)} roll-call lines (${pct(lines.present, lines.total)} present; of the absent ${pct(lines.excused, absent)} excused, ` +
    `${pct(lines.unexcused, absent)} unexcused, ${pct(lines.undecided, absent)} undecided), ${n0(s.replies)} replies, in ${f1(seconds)} s`
  );
}

function tickLine(name: TargetName, size: Size, branches: number, r: TickResult): string {
  return (
    `tick(${name}, ${size}): tick_ms=${n0(r.firstMs)} over ${n0(branches)} branches, raising ${n0(r.raised)} alerts and queuing ${n0(r.notices)} notices; ` +
    `a second run ${n0(r.secondMs)} ms raising ${r.secondRaised}${r.withdrawn ? `, withdrawn ${r.withdrawn}` : ""}${r.failed ? `, FAILED branches ${r.failed}` : ""}`
  );
}

function orgLine(name: TargetName, size: Size, run: number, r: OrgRun): string {
  return (
    `org(${name}, ${size}) run ${run}: org_ms=${n0(r.reportMs + r.xlsxMs)} = org_report_ms=${n0(r.reportMs)} (store ${n0(r.storeMs)}, the rest ${n0(r.reportMs - r.storeMs)}) ` +
    `+ org_xlsx_ms=${n0(r.xlsxMs)}; XLSX ${f1(r.bytes / 1024)} KiB, ${n0(r.sheets)} sheets`
  );
}

const orgMs = (s: SizeResult) => median(s.orgRuns.map((r) => r.reportMs + r.xlsxMs));
const scaleRatio = (r: TargetResult) => orgMs(r.sizes.province) / orgMs(r.sizes.tenth);

function sizeSummary(r: TargetResult, size: Size): string {
  const s = r.sizes[size];
  const runs = s.orgRuns;
  return (
    `summary(${r.name}, ${size}): branch_ms=${n0(median(s.branchRuns))} org_ms=${n0(orgMs(s))} (org_report_ms=${n0(median(runs.map((x) => x.reportMs)))}, ` +
    `store ${n0(median(runs.map((x) => x.storeMs)))}; org_xlsx_ms=${n0(median(runs.map((x) => x.xlsxMs)))}; XLSX ${f1(runs[0]!.bytes / 1024 / 1024)} MiB) ` +
    `tick_ms=${n0(s.tick.firstMs)} (second run ${n0(s.tick.secondMs)}), seed ${f1(s.seedSeconds)} s`
  );
}

/** For scripts: plain integers, no thousands separators. */
function finalLine(r: TargetResult): string {
  const p = r.sizes.province;
  const int = (ms: number) => String(Math.round(ms));
  return `scale_ratio=${scaleRatio(r).toFixed(2)} branch_ms=${int(median(p.branchRuns))} org_ms=${int(orgMs(p))} tick_ms=${int(p.tick.firstMs)}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `reports: a province of ${n0(BRANCHES)} branches × ${MEMBERS} members and a tenth of it (${n0(TREES[0]!.tree.branches)} branches), ` +
      `the year ${PERIOD} of monthly meetings, clock at ${NOW.toISOString()}; targets ${TARGETS.map(label).join(", ")}`,
  );
  const t = (await createI18n()).t("vi");
  const results: TargetResult[] = [];
  for (const name of TARGETS) results.push(await runTarget(name, t));
  console.log(`total ${f1((performance.now() - started) / 1000)} s`);
  // PGlite's line first, PostgreSQL's last (for scripts).
  for (const name of ["pglite", "postgres"] as const) {
    const result = results.find((r) => r.name === name);
    if (result) console.log(`${name === "pglite" ? "report(pglite)" : "report"}: ${finalLine(result)}`);
  }
}

await runBench(main, stopPostgresServer);
