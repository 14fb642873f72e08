import { can, forbidden, type Action, type BranchScope, type Forbidden } from "../access/permissions.ts";
import { branchesFor } from "../access/service.ts";
import type { Branch } from "../branches/types.ts";
import type { CoreDeps } from "../deps.ts";
import { dedupeKey } from "../delivery/dedupe.ts";
import { notify } from "../delivery/notify.ts";
import type { NoticeParams } from "../notices.ts";
import type { Actor } from "../roles.ts";
import { addDays, localDay, zonedInstant } from "../time.ts";
import type { AlertHistoryEntry, AlertRow, AlertVisit } from "./types.ts";

/**
 * Following an alert up (SPEC §7): sending a committee member to talk with the member by a
 * day ("Giao gặp gỡ"), a kind message to the member ("Nhắc đồng chí này"), and closing it
 * with a note ("Đã xử lý"). Each step is kept in the alert's history.
 */

/** The kind messages a secretary may send a member an alert is about; the words are in the locales. */
export const MEMBER_TEMPLATES = ["care", "nextMeeting", "talk"] as const;
export type MemberTemplate = (typeof MEMBER_TEMPLATES)[number];
/** Days a visit may be given: a talk within the week is usual, a fortnight at most. */
export const VISIT_DAYS = [3, 7, 14] as const;
/** When the visitor is reminded, the day before the visit is due. */
const VISIT_REMINDER_TIME = "08:00";
export const MAX_NOTE_LENGTH = 1000;
/** Rules about one member: only they can be visited or sent a kind word. */
const MEMBER_RULES = new Set(["A1", "A2", "A3", "A4"]);

type Unknown = { ok: false; reason: "unknown" };
const unknown: Unknown = { ok: false, reason: "unknown" };
type Closed = { ok: false; reason: "closed" };

export interface AlertListItem {
  alertId: string;
  branchId: string;
  branchName: string;
  rule: string;
  name: string | null;
  day: string | null;
  /** The rule's period: A7's quarter ("2026-Q4"). */
  period: string;
  raisedAt: Date;
  /** A visit assigned and not yet made. */
  visitPending: boolean;
}

export interface AlertCard {
  alert: AlertRow & { resolvedAt: Date | null };
  branchName: string;
  timezone: string;
  history: AlertHistoryEntry[];
  visits: Array<AlertVisit & { assigneeName: string }>;
  canHandle: boolean;
  /** Who may be sent to talk with the member: the branch's committee with a chat account. */
  assignable: Array<{ personId: string; name: string; role: string }>;
  /** Whether the member the alert is about can be written to. */
  memberReachable: boolean;
  /** The next meeting a kind word to the member would name. */
  nextMeeting: { startsAt: Date; place: string | null } | null;
}

interface Loaded {
  alert: AlertRow & { resolvedAt: Date | null };
  branch: Branch;
  /** Kept for the checks after the first: whether the person may also act on it. */
  scope: BranchScope;
}

async function load(deps: CoreDeps, actor: Actor, alertId: string, action: Action): Promise<Loaded | Forbidden | Unknown> {
  const alert = await deps.store.alerts.get(alertId);
  if (!alert) return unknown;
  const scope = await deps.store.orgUnits.branchScope(alert.branchId);
  if (!scope || !can(actor, action, scope)) return forbidden;
  const branch = await deps.store.branches.get(alert.branchId);
  return branch ? { alert, branch, scope } : unknown;
}

const isLoaded = (x: Loaded | Forbidden | Unknown): x is Loaded => "alert" in x;

/** The order alerts are listed in: the gravest first (A4 may lead to removal), then the newest. */
const GRAVITY = ["A4", "A2", "A3", "A1", "A6", "A5", "A7"];

/** The open alerts of every branch the person may see alerts of, the gravest and newest first. */
export async function openAlertsFor(deps: CoreDeps, actor: Actor): Promise<AlertListItem[]> {
  const branches = await branchesFor(deps, actor, "alerts.view");
  const names = new Map(branches.map((b) => [b.id, b.name]));
  const gravity = (rule: string) => (GRAVITY.includes(rule) ? GRAVITY.indexOf(rule) : GRAVITY.length);
  const open = (await deps.store.alerts.open([...names.keys()])).reverse().sort((a, b) => gravity(a.rule) - gravity(b.rule));
  const visiting = await deps.store.alerts.withPendingVisit(open.map((a) => a.id));
  return open.map((a) => ({
    alertId: a.id,
    branchId: a.branchId,
    branchName: names.get(a.branchId) ?? "",
    rule: a.rule,
    name: typeof a.details.name === "string" ? a.details.name : null,
    day: typeof a.details.lastDay === "string" ? a.details.lastDay : null,
    period: a.periodKey,
    raisedAt: a.raisedAt,
    visitPending: visiting.has(a.id),
  }));
}

/** The branch's next meeting the members are called to, within the six weeks a kind word may speak of. */
async function nextMeeting(deps: CoreDeps, branchId: string, now: Date) {
  return (await deps.store.meetings.list(branchId, now, new Date(now.getTime() + 45 * 24 * 3600_000), false)).find((m) => m.kind !== "committee");
}

/** An alert with its history; the first opening by each person is its "read". */
export async function alertCard(deps: CoreDeps, actor: Actor, alertId: string): Promise<{ ok: true; card: AlertCard } | Forbidden | Unknown> {
  const found = await load(deps, actor, alertId, "alerts.view");
  if (!isLoaded(found)) return found;
  const { alert, branch } = found;
  const now = deps.clock.now();
  if (!(await deps.store.alerts.hasRead(alertId, actor.person.id))) {
    await deps.store.alerts.addEvent({ alertId, event: "read", personId: actor.person.id, note: null, at: now });
  }
  const day = localDay(now, branch.timezone);
  const roster = await deps.store.roster.list(branch.id, day);
  const nameOf = new Map(roster.filter((e) => e.personId).map((e) => [e.personId!, e.name]));
  const visits = [];
  for (const v of await deps.store.alerts.visits(alertId)) {
    visits.push({ ...v, assigneeName: nameOf.get(v.assigneePersonId) ?? (await deps.store.people.get(v.assigneePersonId))?.displayName ?? "" });
  }
  const member = alert.membershipId ? roster.find((e) => e.membershipId === alert.membershipId) : undefined;
  return {
    ok: true,
    card: {
      alert,
      branchName: branch.name,
      timezone: branch.timezone,
      history: await deps.store.alerts.history(alertId),
      visits,
      canHandle: can(actor, "alerts.handle", found.scope),
      assignable: roster
        .filter((e) => e.personId && !e.removed && (e.role === "secretary" || e.role === "deputy" || e.role === "committee"))
        .map((e) => ({ personId: e.personId!, name: e.name, role: e.role })),
      memberReachable: Boolean(member?.personId && (await deps.store.people.deliveryAddress(member.personId))),
      nextMeeting: await nextMeeting(deps, branch.id, now).then((m) => (m ? { startsAt: m.startsAt, place: m.place ?? branch.defaultPlace } : null)),
    },
  };
}

/**
 * Sends a committee member to talk with the member, within `days`: they are told now and
 * reminded the morning before the day, through the outbox.
 */
export async function assignVisit(
  deps: CoreDeps,
  actor: Actor,
  alertId: string,
  assigneePersonId: string,
  days: number,
): Promise<
  { ok: true; visitId: string; dueOn: string } | Forbidden | Unknown | Closed | { ok: false; reason: "not_member_alert" | "bad_assignee" | "bad_days" }
> {
  const found = await load(deps, actor, alertId, "alerts.handle");
  if (!isLoaded(found)) return found;
  const { alert, branch } = found;
  if (alert.resolvedAt) return { ok: false, reason: "closed" };
  if (!MEMBER_RULES.has(alert.rule)) return { ok: false, reason: "not_member_alert" };
  if (!(VISIT_DAYS as readonly number[]).includes(days)) return { ok: false, reason: "bad_days" };
  const now = deps.clock.now();
  const today = localDay(now, branch.timezone);
  const assignee = (await deps.store.roster.list(branch.id, today)).find(
    (e) => e.personId === assigneePersonId && !e.removed && (e.role === "secretary" || e.role === "deputy" || e.role === "committee"),
  );
  if (!assignee) return { ok: false, reason: "bad_assignee" };
  const dueOn = addDays(today, days);
  const visitId = await deps.store.alerts.insertVisit({ alertId, assigneePersonId, assignedBy: actor.person.id, dueOn, at: now });
  await deps.store.alerts.addEvent({ alertId, event: "assigned", personId: actor.person.id, note: assignee.name, at: now });
  const params = visitParams(alert, branch, { visitId, dueOn, assignedBy: actor.person.displayName, assignee: assignee.name, outcome: null });
  await notify(deps, [assigneePersonId], { kind: "alert.visit", params }, visitId);
  const target = await deps.store.people.deliveryAddress(assigneePersonId);
  const remindAt = zonedInstant(addDays(dueOn, -1), VISIT_REMINDER_TIME, branch.timezone);
  if (target && remindAt > now) {
    await deps.store.outbox.enqueue(
      [
        {
          dedupeKey: dedupeKey.visitReminder(visitId),
          kind: "alert.visitReminder",
          meetingId: null,
          personId: assigneePersonId,
          address: target.address,
          notice: { kind: "alert.visitReminder", params },
          dueAt: remindAt,
          staleAt: zonedInstant(dueOn, "23:59", branch.timezone),
          priority: 45,
        },
      ],
      now,
    );
  }
  return { ok: true, visitId, dueOn };
}

function visitParams(
  alert: AlertRow,
  branch: Branch,
  v: { visitId: string; dueOn: string; assignedBy: string; assignee: string; outcome: string | null },
): NoticeParams["alert.visit"] {
  return {
    visitId: v.visitId,
    alertId: alert.id,
    rule: alert.rule,
    branchName: branch.name,
    name: typeof alert.details.name === "string" ? alert.details.name : "",
    dueOn: v.dueOn,
    assignedBy: v.assignedBy,
    assignee: v.assignee,
    outcome: v.outcome,
  };
}

type BadNote = { ok: false; reason: "empty" | "too_long" };
/** A typed note, on one line; or why it cannot be kept. */
function cleanNote(note: string): { ok: true; text: string } | BadNote {
  const text = note.replace(/\s+/g, " ").trim();
  if (!text) return { ok: false, reason: "empty" };
  return text.length > MAX_NOTE_LENGTH ? { ok: false, reason: "too_long" } : { ok: true, text };
}

/**
 * The visit made: closed with what the talk found, by the one sent (or an officer for them);
 * whoever assigned it is told, and the reminder, if still to come, is dropped.
 */
export async function completeVisit(
  deps: CoreDeps,
  actor: Actor,
  visitId: string,
  outcome: string,
): Promise<{ ok: true } | Forbidden | Unknown | Closed | BadNote> {
  const visit = await deps.store.alerts.getVisit(visitId);
  if (!visit) return unknown;
  const found = await load(deps, actor, visit.alertId, "alerts.view");
  if (!isLoaded(found)) return found;
  const { alert, branch } = found;
  const mayClose = visit.assigneePersonId === actor.person.id || can(actor, "alerts.handle", found.scope);
  if (!mayClose) return forbidden;
  const cleaned = cleanNote(outcome);
  if (!cleaned.ok) return cleaned;
  const note = cleaned.text;
  const now = deps.clock.now();
  if (!(await deps.store.alerts.completeVisit(visitId, note, now))) return { ok: false, reason: "closed" };
  await deps.store.alerts.addEvent({ alertId: alert.id, event: "visited", personId: actor.person.id, note, at: now });
  await deps.store.outbox.cancelPendingByKey(dedupeKey.visitReminder(visitId));
  if (visit.assignedBy && visit.assignedBy !== actor.person.id) {
    const assignedBy = (await deps.store.people.get(visit.assignedBy))?.displayName ?? "";
    const params = visitParams(alert, branch, { visitId, dueOn: visit.dueOn, assignedBy, assignee: actor.person.displayName, outcome: note });
    await notify(deps, [visit.assignedBy], { kind: "alert.visitDone", params }, visitId);
  }
  return { ok: true };
}

/** The visits the person still has to make, for the typed "đã gặp" and their card. */
export async function visitsToMake(deps: CoreDeps, actor: Actor): Promise<AlertVisit[]> {
  return deps.store.alerts.openVisitsOf(actor.person.id);
}

/** A kind message to the member an alert is about, in the words of the template the officer chose. */
export async function remindMember(
  deps: CoreDeps,
  actor: Actor,
  alertId: string,
  template: MemberTemplate,
): Promise<{ ok: true } | Forbidden | Unknown | Closed | { ok: false; reason: "not_member_alert" | "unreachable" }> {
  const found = await load(deps, actor, alertId, "alerts.handle");
  if (!isLoaded(found)) return found;
  const { alert, branch } = found;
  if (alert.resolvedAt) return { ok: false, reason: "closed" };
  if (!MEMBER_RULES.has(alert.rule) || !alert.membershipId) return { ok: false, reason: "not_member_alert" };
  const now = deps.clock.now();
  const member = await deps.store.roster.get(alert.membershipId, localDay(now, branch.timezone));
  if (!member?.personId || !(await deps.store.people.deliveryAddress(member.personId))) return { ok: false, reason: "unreachable" };
  const next = await nextMeeting(deps, branch.id, now);
  await notify(
    deps,
    [member.personId],
    {
      kind: "alert.memberReminder",
      params: {
        template,
        branchName: branch.name,
        from: actor.person.displayName,
        nextMeeting: next?.startsAt.toISOString() ?? null,
        place: next ? (next.place ?? branch.defaultPlace) : null,
        timezone: branch.timezone,
      },
    },
    `${alertId}:${now.getTime()}`,
  );
  await deps.store.alerts.addEvent({ alertId, event: "reminded", personId: actor.person.id, note: template, at: now });
  return { ok: true };
}

/** "Đã xử lý": the alert closed with what was done; it stays in the history and the reports. */
export async function handleAlert(deps: CoreDeps, actor: Actor, alertId: string, note: string): Promise<{ ok: true } | Forbidden | Unknown | Closed | BadNote> {
  const found = await load(deps, actor, alertId, "alerts.handle");
  if (!isLoaded(found)) return found;
  const cleaned = cleanNote(note);
  if (!cleaned.ok) return cleaned;
  const text = cleaned.text;
  const now = deps.clock.now();
  if (!(await deps.store.alerts.handle(alertId, now))) return { ok: false, reason: "closed" };
  await deps.store.alerts.addEvent({ alertId, event: "handled", personId: actor.person.id, note: text, at: now });
  // Following up a member answers every alert about them: the earlier A1–A3 close with the A4.
  const { alert } = found;
  if (alert.membershipId && MEMBER_RULES.has(alert.rule)) {
    for (const other of await deps.store.alerts.open([alert.branchId])) {
      if (other.membershipId !== alert.membershipId || !MEMBER_RULES.has(other.rule)) continue;
      if (!(await deps.store.alerts.handle(other.id, now))) continue;
      await deps.store.alerts.addEvent({ alertId: other.id, event: "handled", personId: actor.person.id, note: text, at: now });
    }
  }
  return { ok: true };
}
