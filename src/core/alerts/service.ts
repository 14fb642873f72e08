import type { Branch } from "../branches/types.ts";
import type { CoreDeps } from "../deps.ts";
import { dedupeKey } from "../delivery/dedupe.ts";
import type { OutboxItem } from "../delivery/types.ts";
import type { NoticeParams } from "../notices.ts";
import { addMonths, lastMonthOfQuarter, quarterOf } from "../meetings/occurrences.ts";
import { localDay, zonedInstant } from "../time.ts";
import { branchYear, type BranchYear } from "./attendance-year.ts";
import { memberAlerts, rateBelow, type Thresholds, type Window } from "./rules.ts";
import { effectiveSettings, isAlertRule, readUnitSettings, type AlertRule, type AlertSettings, type Recipients } from "./settings.ts";
import type { AlertInput, AlertRow } from "./types.ts";
import type { Meeting } from "../meetings/types.ts";
import { rollCallOverdue } from "./rules.ts";

interface OverdueMeeting {
  meeting: Meeting;
  day: string;
  escalate: boolean;
}

/** A6: the branch's meetings of the window, started two days ago or more, whose roll call is still open. */
async function overdueRollCalls(deps: CoreDeps, branch: Branch, from: string, now: Date): Promise<OverdueMeeting[]> {
  const { timezone } = branch;
  const meetings = await deps.store.meetings.list(branch.id, zonedInstant(from, "00:00", timezone), now, false);
  return meetings
    .filter((m) => m.kind !== "committee" && m.status !== "cancelled")
    .map((meeting) => ({ meeting, day: localDay(meeting.startsAt, timezone), ...rollCallOverdue(meeting.startsAt, meeting.rollCallClosedAt !== null, now) }))
    .filter((m) => m.overdue)
    .map(({ meeting, day, escalate }) => ({ meeting, day, escalate }));
}

const RULES = new Set(["A1", "A2", "A3", "A4", "A5", "A6", "A7"]);

/**
 * A7's facts on `asOf`: its quarter ("2026-Q4"), whether this is the quarter's last month (the
 * only month A7 is judged in), and whether the quarter has a thematic meeting, held or
 * planned (a regular meeting with a thematic topic counts, as HD 12 allows combining them).
 */
async function thematicQuarter(deps: CoreDeps, branch: Branch, asOf: string): Promise<{ quarter: string; lastMonth: boolean; missing: boolean }> {
  const month = asOf.slice(0, 7);
  const quarter = quarterOf(month);
  if (!lastMonthOfQuarter(month)) return { quarter, lastMonth: false, missing: false };
  const from = zonedInstant(`${addMonths(month, -2)}-01`, "00:00", branch.timezone);
  const to = zonedInstant(`${addMonths(month, 1)}-01`, "00:00", branch.timezone);
  const meetings = await deps.store.meetings.list(branch.id, from, to, false);
  const held = meetings.some((m) => m.kind === "thematic" || (m.kind !== "committee" && m.thematicTopic !== null));
  return { quarter, lastMonth: true, missing: !held };
}

/** Alerts go ahead of reminders, after people's own business (join requests, decisions). */
const ALERT_PRIORITY = 45;

/** The alerts the year's record makes true now, keyed as they are stored. */
function alertsOf(year: BranchYear, overdue: OverdueMeeting[], branchId: string, asOf: string, window: Window, thresholds: Thresholds): AlertInput[] {
  const wanted: AlertInput[] = [];
  for (const { meeting, day, escalate } of overdue) {
    for (const stage of escalate ? ["secretary", "supervisors"] : ["secretary"]) {
      wanted.push({
        rule: "A6",
        branchId,
        membershipId: null,
        meetingId: meeting.id,
        subjectKey: meeting.id,
        periodKey: stage,
        details: { day, lastDay: day },
      });
    }
  }
  const dayOf = new Map(year.meetings.map((m) => [m.meeting.id, m.day]));
  for (const member of year.members) {
    const reasons = new Map(member.records.map((r) => [r.meetingId, r.reason]));
    // A member on special duty is outside the rules for exactly those meetings.
    const judged = member.records.map((r) => (r.specialDuty ? { ...r, outcome: "outside" as const } : r));
    for (const alert of memberAlerts(judged, asOf, window, thresholds)) {
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
  const { window, thresholds, recipients } = await settingsOf(deps, branch);
  const year = await branchYear(deps, branch, asOf, window, thresholds);
  const overdue = await overdueRollCalls(deps, branch, year.from, now);
  // A unit that keeps its supervisors out of A6 gets no second stage.
  if (!recipients.A6.supervisors) for (const o of overdue) o.escalate = false;
  const wanted = alertsOf(year, overdue, branchId, asOf, window, thresholds);
  const thematic = await thematicQuarter(deps, branch, asOf);
  if (thematic.missing) {
    wanted.push({
      rule: "A7",
      branchId,
      membershipId: null,
      meetingId: null,
      subjectKey: branchId,
      periodKey: thematic.quarter,
      details: { quarter: thematic.quarter, lastDay: asOf },
    });
  }
  const wantedKeys = new Set(wanted.map(keyOf));

  const told: Array<{ alert: AlertInput | AlertRow; id: string; event: "raised" | "withdrawn" }> = [];
  const alreadyOpen = await deps.store.alerts.open([branchId]);
  const openKeys = new Set(alreadyOpen.map(keyOf));
  for (const alert of wanted) {
    // Most of what is true today was true yesterday: an open alert needs no write.
    if (openKeys.has(keyOf(alert))) continue;
    const raised = await deps.store.alerts.raise(alert, now);
    if (!raised) continue;
    await deps.store.alerts.addEvent({ alertId: raised.id, event: raised.raised === "new" ? "raised" : "reopened", personId: null, note: null, at: now });
    told.push({ alert, id: raised.id, event: "raised" });
  }
  // Only the rules evaluated here, and only within the window: an alert of last year stays.
  for (const open of alreadyOpen) {
    if (!RULES.has(open.rule) || wantedKeys.has(keyOf(open))) continue;
    // A7 is judged only in its quarter's last month: once the quarter is over it stays as it was.
    if (open.rule === "A7" && !(thematic.lastMonth && open.periodKey === thematic.quarter)) continue;
    const lastDay = typeof open.details.lastDay === "string" ? open.details.lastDay : "";
    if (lastDay < year.from) continue;
    // A roll call closed at last ends its A6 without a word: closing it was the answer.
    if (!(await deps.store.alerts.withdraw(open.id, now))) continue;
    await deps.store.alerts.addEvent({ alertId: open.id, event: "withdrawn", personId: null, note: null, at: now });
    if (open.rule !== "A6") told.push({ alert: open, id: open.id, event: "withdrawn" });
  }
  if (told.length) await deps.store.outbox.enqueue(await noticesFor(deps, branch, recipients, told, now), now);
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

/** The settings a branch is judged by: its units' (nearest first) over the defaults. */
export async function settingsOf(deps: CoreDeps, branch: Branch): Promise<AlertSettings> {
  const units = (await deps.store.orgUnits.settingsChain(branch.orgUnitId)).map(readUnitSettings);
  return effectiveSettings(units, branch.attendanceThreshold);
}

/**
 * Who hears of an alert: the rule's roles and supervisors as the unit set them. A6 goes to
 * the roles at its first stage and to the supervisors alone at the second.
 */
function recipientsOf(alert: { rule: string; periodKey: string }, settings: Record<AlertRule, Recipients>): Recipients {
  if (!isAlertRule(alert.rule)) return { roles: [], supervisors: false };
  const set = settings[alert.rule];
  if (alert.rule === "A6") return alert.periodKey === "supervisors" ? { roles: [], supervisors: set.supervisors } : { roles: set.roles, supervisors: false };
  return set;
}

async function noticesFor(
  deps: CoreDeps,
  branch: Branch,
  settings: Record<AlertRule, Recipients>,
  told: Array<{ alert: AlertInput | AlertRow; id: string; event: "raised" | "withdrawn" }>,
  now: Date,
): Promise<OutboxItem[]> {
  const { id: branchId, name: branchName } = branch;
  // Roles on the branch's own calendar day, as everywhere else the roster is read.
  const day = localDay(now, branch.timezone);
  const byRoles = new Map<string, Array<{ personId: string; address: string }>>();
  const holding = async (roles: readonly string[]) => {
    const key = roles.join(",");
    if (!byRoles.has(key))
      byRoles.set(key, roles.length ? await deps.store.meetings.recipients([{ meetingId: branchId, branchId, day }], { roles, skip: "none" }) : []);
    return byRoles.get(key)!;
  };
  const supervisors = await deps.store.meetings.supervisorsOf([branchId]);
  const items: OutboxItem[] = [];
  for (const { alert, id, event } of told) {
    const who = recipientsOf(alert, settings);
    const people = new Map<string, string>();
    for (const r of await holding(who.roles)) people.set(r.personId, r.address);
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
