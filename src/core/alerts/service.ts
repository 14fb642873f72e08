import type { CoreDeps } from "../deps.ts";
import { dedupeKey } from "../delivery/dedupe.ts";
import type { OutboxItem } from "../delivery/types.ts";
import type { NoticeParams } from "../notices.ts";
import { localDay } from "../time.ts";
import { branchYear, type BranchYear } from "./attendance-year.ts";
import { DEFAULT_THRESHOLDS, memberAlerts, rateBelow, type Thresholds, type Window } from "./rules.ts";
import type { AlertInput, AlertRow } from "./types.ts";

/** Who hears of each rule by default (SPEC §7); per-unit recipients come with the unit's settings. */
const RECIPIENTS: Record<string, { committee: boolean; supervisors: boolean }> = {
  A1: { committee: true, supervisors: true },
  A2: { committee: true, supervisors: true },
  A3: { committee: true, supervisors: false },
  A4: { committee: true, supervisors: true },
  A5: { committee: false, supervisors: true },
};
/** Alerts go ahead of reminders, after people's own business (join requests, decisions). */
const ALERT_PRIORITY = 45;

/** The alerts the year's record makes true now, keyed as they are stored. */
function alertsOf(year: BranchYear, branchId: string, asOf: string, window: Window, thresholds: Thresholds): AlertInput[] {
  const wanted: AlertInput[] = [];
  const dayOf = new Map(year.meetings.map((m) => [m.meeting.id, m.day]));
  for (const member of year.members) {
    const reasons = new Map(member.records.map((r) => [r.meetingId, r.reason]));
    for (const alert of memberAlerts(member.records, asOf, window, thresholds)) {
      wanted.push({
        rule: alert.rule,
        branchId,
        membershipId: member.membershipId,
        meetingId: alert.rule === "A1" ? alert.period : null,
        subjectKey: member.membershipId,
        periodKey: alert.period,
        details: {
          name: member.name,
          meetings: alert.meetingIds.map((id) => ({ day: dayOf.get(id), reason: reasons.get(id) ?? null })),
          // The last meeting it stands on: an alert from before the window is left as it is.
          lastDay: dayOf.get(alert.meetingIds.at(-1)!),
        },
      });
    }
  }
  for (const m of year.meetings) {
    if (!rateBelow(m.facts.rate, thresholds)) continue;
    wanted.push({
      rule: "A5",
      branchId,
      membershipId: null,
      meetingId: m.meeting.id,
      subjectKey: m.meeting.id,
      periodKey: m.day,
      details: { day: m.day, lastDay: m.day, present: m.present, expected: m.expected, rate: m.facts.rate, threshold: thresholds.rate },
    });
  }
  return wanted;
}

const keyOf = (a: { rule: string; subjectKey: string; periodKey: string }) => `${a.rule}|${a.subjectKey}|${a.periodKey}`;

/**
 * Evaluates a branch's absentee rules on today's record: raises the alerts that became true
 * (once per rule, subject and period) and withdraws open ones that no longer are (a roll call
 * edited after closing), telling the same people either way. Runs in the caller's
 * transaction: when a roll call closes or is edited, and from the daily tick.
 */
export async function evaluateBranch(deps: CoreDeps, branchId: string): Promise<{ raised: number; withdrawn: number }> {
  const branch = await deps.store.branches.get(branchId);
  if (!branch) return { raised: 0, withdrawn: 0 };
  const now = deps.clock.now();
  const asOf = localDay(now, branch.timezone);
  const window: Window = "calendar";
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, rate: branch.attendanceThreshold / 100 };
  const year = await branchYear(deps, branchId, asOf, window, thresholds);
  const wanted = alertsOf(year, branchId, asOf, window, thresholds);
  const wantedKeys = new Set(wanted.map(keyOf));

  const told: Array<{ alert: AlertInput | AlertRow; id: string; event: "raised" | "withdrawn" }> = [];
  for (const alert of wanted) {
    const raised = await deps.store.alerts.raise(alert, now);
    if (raised) told.push({ alert, id: raised.id, event: "raised" });
  }
  // Only the rules evaluated here, and only within the window: an alert of last year stays.
  for (const open of await deps.store.alerts.open(branchId)) {
    if (!(open.rule in RECIPIENTS) || wantedKeys.has(keyOf(open))) continue;
    const lastDay = typeof open.details.lastDay === "string" ? open.details.lastDay : "";
    if (lastDay < year.from) continue;
    if (await deps.store.alerts.withdraw(open.id, now)) told.push({ alert: open, id: open.id, event: "withdrawn" });
  }
  if (told.length) await deps.store.outbox.enqueue(await noticesFor(deps, branchId, branch.name, told, now), now);
  return { raised: told.filter((t) => t.event === "raised").length, withdrawn: told.filter((t) => t.event === "withdrawn").length };
}

/** The daily tick: every branch, each on its own, so one branch's failure does not stop the rest. */
export async function evaluateAll(deps: CoreDeps): Promise<{ branches: number; raised: number; withdrawn: number; failed: number }> {
  const totals = { branches: 0, raised: 0, withdrawn: 0, failed: 0 };
  for (const branchId of await deps.store.branches.allIds()) {
    try {
      const result = await deps.store.transaction((tx) => evaluateBranch({ ...deps, store: tx }, branchId));
      totals.branches++;
      totals.raised += result.raised;
      totals.withdrawn += result.withdrawn;
    } catch {
      totals.failed++;
    }
  }
  return totals;
}

async function noticesFor(
  deps: CoreDeps,
  branchId: string,
  branchName: string,
  told: Array<{ alert: AlertInput | AlertRow; id: string; event: "raised" | "withdrawn" }>,
  now: Date,
): Promise<OutboxItem[]> {
  const day = localDay(now, deps.timezone);
  const committee = await deps.store.meetings.recipients([{ meetingId: branchId, branchId, day }], {
    roles: ["secretary", "deputy", "committee"],
    skip: "none",
  });
  const supervisors = await deps.store.meetings.supervisorsOf([branchId]);
  const items: OutboxItem[] = [];
  for (const { alert, id, event } of told) {
    const who = RECIPIENTS[alert.rule]!;
    const people = new Map<string, string>();
    if (who.committee) for (const r of committee) people.set(r.personId, r.address);
    if (who.supervisors) for (const s of supervisors) people.set(s.personId, s.address);
    const params: NoticeParams["alert.raised"] = {
      alertId: id,
      rule: alert.rule,
      branchName,
      name: typeof alert.details.name === "string" ? alert.details.name : null,
      period: alert.periodKey,
      details: JSON.stringify(alert.details),
    };
    for (const [personId, address] of people) {
      items.push({
        dedupeKey: dedupeKey.alert(event, id, now, personId),
        kind: event === "raised" ? "alert.raised" : "alert.withdrawn",
        meetingId: null,
        personId,
        address,
        notice: event === "raised" ? { kind: "alert.raised", params } : { kind: "alert.withdrawn", params },
        dueAt: now,
        staleAt: null,
        priority: ALERT_PRIORITY,
      });
    }
  }
  return items;
}
