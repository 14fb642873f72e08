import { can, forbidden, type Forbidden } from "../access/permissions.ts";
import { yearOf } from "../alerts/attendance-year.ts";
import { windowStart } from "../alerts/rules.ts";
import { settingsOf } from "../alerts/service.ts";
import { effectiveSettings, readUnitSettings, type AlertSettings } from "../alerts/settings.ts";
import type { Branch } from "../branches/types.ts";
import type { CoreDeps } from "../deps.ts";
import type { Actor } from "../roles.ts";
import { addDays, localDay } from "../time.ts";
import { buildBranchReport, compareRanks, parsePeriod, rankLine } from "./rules.ts";
import type { BranchReport, OrgReport, ReportPeriod } from "./types.ts";

/** Branches read together: big enough that a province is a few hundred queries, small enough for one IN list. */
const CHUNK = 200;
const DAY_MS = 24 * 3600_000;

type BadPeriod = { ok: false; reason: "bad_period" };

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/**
 * The reports of several branches for one period, read in bulk: their meetings, their
 * attendance book over the rules' window and their open alerts, a few queries for the lot.
 * Each branch is judged by its own settings and cut at its own today.
 */
async function reportsOf(deps: CoreDeps, branches: Branch[], period: ReportPeriod): Promise<BranchReport[]> {
  const now = deps.clock.now();
  const settings = new Map<string, AlertSettings>();
  for (const branch of branches) {
    const key = `${branch.orgUnitId}|${branch.attendanceThreshold}`;
    if (!settings.has(key)) settings.set(key, await settingsOf(deps, branch));
  }
  const settingsFor = (b: Branch) => settings.get(`${b.orgUnitId}|${b.attendanceThreshold}`)!;

  const reports: BranchReport[] = [];
  for (let i = 0; i < branches.length; i += CHUNK) {
    const chunk = branches.slice(i, i + CHUNK);
    const span = chunk.map((branch) => {
      const asOf = localDay(now, branch.timezone);
      const to = asOf < period.to ? asOf : period.to;
      const from = windowStart(to, settingsFor(branch).window);
      return { branch, asOf, to, from: from < period.from ? from : period.from };
    });
    // A day either side covers every timezone; each branch's days are cut exactly below.
    const start = new Date(Date.parse(`${span.reduce((m, s) => (s.from < m ? s.from : m), period.from)}T00:00:00Z`) - DAY_MS);
    const end = new Date(Date.parse(`${addDays(period.to, 1)}T00:00:00Z`) + DAY_MS);
    const ids = chunk.map((b) => b.id);
    const [meetings, book, alerts] = await Promise.all([
      deps.store.meetings.listOf(ids, start, end),
      deps.store.attendance.book(ids, start, end),
      deps.store.alerts.open(ids),
    ]);
    // Grouped once: filtering the chunk's rows for each of its branches made the report quadratic in the chunk.
    const meetingsOf = groupBy(meetings, (m) => m.branchId);
    const bookOf = groupBy(book, (l) => l.branchId);
    const alertsOf = groupBy(alerts, (a) => a.branchId);
    for (const { branch, asOf, to, from } of span) {
      const { window, thresholds } = settingsFor(branch);
      const own = meetingsOf.get(branch.id) ?? [];
      const year = yearOf({ meetings: own, book: bookOf.get(branch.id) ?? [], timezone: branch.timezone, from, to, window, thresholds });
      reports.push(
        buildBranchReport({
          branch,
          period,
          asOf,
          threshold: thresholds.rate,
          year,
          meetings: own,
          openAlerts: alertsOf.get(branch.id) ?? [],
        }),
      );
    }
  }
  return reports;
}

/** A branch's month, quarter or year ("2026-11", "2026-Q4", "2026"), for its officers and supervisors. */
export async function branchReport(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
  periodKey: string,
): Promise<{ ok: true; report: BranchReport } | Forbidden | BadPeriod> {
  const scope = await deps.store.orgUnits.branchScope(branchId);
  if (!scope || !can(actor, "reports.view", scope)) return forbidden;
  const period = parsePeriod(periodKey);
  if (!period) return { ok: false, reason: "bad_period" };
  const branch = await deps.store.branches.get(branchId);
  if (!branch) return forbidden;
  const [report] = await reportsOf(deps, [branch], period);
  return { ok: true, report: report! };
}

/**
 * Every branch under an org unit for a period, ranked so the ones needing attention come
 * first, with each branch's own report; for the supervisors of the unit or of one above it.
 */
export async function orgReport(
  deps: CoreDeps,
  actor: Actor,
  orgUnitId: string,
  periodKey: string,
): Promise<{ ok: true; report: OrgReport } | Forbidden | BadPeriod> {
  const unit = await deps.store.orgUnits.get(orgUnitId);
  if (!unit || !can(actor, "reports.view", { branchId: "", orgUnitIds: await deps.store.orgUnits.chain(orgUnitId) })) return forbidden;
  const period = parsePeriod(periodKey);
  if (!period) return { ok: false, reason: "bad_period" };
  const under = await deps.store.orgUnits.branchesUnder(await deps.store.orgUnits.subtree(orgUnitId));
  const branches = await deps.store.branches.getMany(under.map((b) => b.id));
  const reports = await reportsOf(deps, branches, period);
  const unitOf = new Map(branches.map((b) => [b.id, b.orgUnitName]));
  const ranked = reports.map((r) => rankLine(r, unitOf.get(r.branchId) ?? "")).sort(compareRanks);
  const order = new Map(ranked.map((r, i) => [r.branchId, i]));
  reports.sort((a, b) => order.get(a.branchId)! - order.get(b.branchId)!);
  const sum = (f: (r: (typeof ranked)[number]) => number) => ranked.reduce((n, r) => n + f(r), 0);
  const expected = sum((r) => r.expected);
  const present = sum((r) => r.present);
  return {
    ok: true,
    report: {
      orgUnitId,
      orgUnitName: unit.name,
      period,
      threshold: effectiveSettings((await deps.store.orgUnits.settingsChain(orgUnitId)).map(readUnitSettings)).thresholds.rate,
      ranked,
      branches: reports,
      totals: {
        branches: ranked.length,
        meetings: sum((r) => r.meetings),
        withoutRollCall: sum((r) => r.withoutRollCall),
        expected,
        present,
        rate: expected > 0 ? present / expected : null,
        openAlerts: sum((r) => r.openAlerts),
      },
    },
  };
}
