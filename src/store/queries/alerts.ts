import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { AlertEventInput, AlertHistoryEntry, AlertInput, AlertRow, AlertVisit } from "../../core/alerts/types.ts";
import type { Database } from "../database.ts";
import { alertEvents, alerts, alertVisits } from "../schema/index.ts";
import { rowsOf } from "../rows.ts";

const columns = {
  id: alerts.id,
  rule: alerts.rule,
  membershipId: alerts.membershipId,
  meetingId: alerts.meetingId,
  subjectKey: alerts.subjectKey,
  periodKey: alerts.periodKey,
  details: alerts.details,
  branchId: alerts.branchId,
  raisedAt: alerts.createdAt,
};

/** The branches' alerts still open (neither handled nor withdrawn), oldest first. */
export async function openAlerts(db: Database, params: { branchIds: string[] }): Promise<AlertRow[]> {
  if (params.branchIds.length === 0) return [];
  return db
    .select(columns)
    .from(alerts)
    .where(and(inArray(alerts.branchId, params.branchIds), isNull(alerts.resolvedAt)))
    .orderBy(asc(alerts.createdAt), asc(alerts.id));
}

/**
 * Raises an alert once per (rule, subject, period): "new" the first time, "reopened" when it
 * had been withdrawn and is true again, undefined when it is open already.
 */
export async function raiseAlert(db: Database, params: { alert: AlertInput; at: Date }): Promise<{ id: string; raised: "new" | "reopened" } | undefined> {
  const { alert, at } = params;
  const [inserted] = await db
    .insert(alerts)
    .values({ ...alert, createdAt: at })
    .onConflictDoNothing()
    .returning({ id: alerts.id });
  if (inserted) return { id: inserted.id, raised: "new" };
  const [reopened] = await db
    .update(alerts)
    .set({ resolvedAt: null, details: alert.details })
    .where(
      and(
        eq(alerts.rule, alert.rule),
        eq(alerts.subjectKey, alert.subjectKey),
        eq(alerts.periodKey, alert.periodKey),
        sql`${alerts.resolvedAt} is not null`,
        sql`(${alerts.details} ->> 'withdrawnAt') is not null`,
      ),
    )
    .returning({ id: alerts.id });
  return reopened ? { id: reopened.id, raised: "reopened" } : undefined;
}

/** An alert no longer true (a roll call edited after closing): closed, and marked withdrawn. */
export async function withdrawAlert(db: Database, params: { id: string; at: Date }): Promise<boolean> {
  const rows = await db
    .update(alerts)
    .set({ resolvedAt: params.at, details: sql`${alerts.details} || jsonb_build_object('withdrawnAt', ${params.at.toISOString()}::text)` })
    .where(and(eq(alerts.id, params.id), isNull(alerts.resolvedAt)))
    .returning({ id: alerts.id });
  return rows.length === 1;
}

export async function getAlert(db: Database, params: { id: string }): Promise<(AlertRow & { resolvedAt: Date | null }) | undefined> {
  const [row] = await db
    .select({ ...columns, resolvedAt: alerts.resolvedAt })
    .from(alerts)
    .where(eq(alerts.id, params.id));
  return row;
}

/** Closes an open alert as followed up ("Đã xử lý"); false when it was closed already. */
export async function handleAlert(db: Database, params: { id: string; at: Date }): Promise<boolean> {
  const rows = await db
    .update(alerts)
    .set({ resolvedAt: params.at, details: sql`${alerts.details} || jsonb_build_object('handledAt', ${params.at.toISOString()}::text)` })
    .where(and(eq(alerts.id, params.id), isNull(alerts.resolvedAt)))
    .returning({ id: alerts.id });
  return rows.length === 1;
}

export async function addEvent(db: Database, params: AlertEventInput): Promise<void> {
  await db.insert(alertEvents).values(params);
}

/** Whether the person has read the alert already (its first opening is the one recorded). */
export async function hasRead(db: Database, params: { alertId: string; personId: string }): Promise<boolean> {
  const [row] = await db
    .select({ id: alertEvents.id })
    .from(alertEvents)
    .where(and(eq(alertEvents.alertId, params.alertId), eq(alertEvents.personId, params.personId), eq(alertEvents.event, "read")))
    .limit(1);
  return row !== undefined;
}

/**
 * The alert's history: its own events, and each delivery of its notices (from the outbox,
 * where they are recorded already), oldest first, with the person's name.
 */
export async function history(db: Database, params: { alertId: string }): Promise<AlertHistoryEntry[]> {
  const result = await db.execute(sql`
    select e.event, e.note, e.at, p.display_name as name
      from alert_events e left join people p on p.id = e.person_id
     where e.alert_id = ${params.alertId}::uuid
    union all
    select 'sent', null, o.sent_at, p.display_name
      from outbox o join people p on p.id = o.person_id
     where o.dedupe_key like ${`alert.raised:${params.alertId}:%`} and o.status = 'sent'
    order by 3, 1`);
  return rowsOf<{ event: string; note: string | null; at: Date | string; name: string | null }>(result).map((r) => ({
    event: r.event,
    note: r.note,
    at: new Date(r.at),
    name: r.name,
  }));
}

export async function insertVisit(
  db: Database,
  params: { alertId: string; assigneePersonId: string; assignedBy: string; dueOn: string; at: Date },
): Promise<string> {
  const [row] = await db
    .insert(alertVisits)
    .values({ alertId: params.alertId, assigneePersonId: params.assigneePersonId, assignedBy: params.assignedBy, dueOn: params.dueOn, createdAt: params.at })
    .returning({ id: alertVisits.id });
  return row!.id;
}

const visitColumns = {
  id: alertVisits.id,
  alertId: alertVisits.alertId,
  assigneePersonId: alertVisits.assigneePersonId,
  assignedBy: alertVisits.assignedBy,
  dueOn: alertVisits.dueOn,
  doneAt: alertVisits.doneAt,
  outcome: alertVisits.outcome,
};

export async function visitsOf(db: Database, params: { alertId: string }): Promise<AlertVisit[]> {
  return db.select(visitColumns).from(alertVisits).where(eq(alertVisits.alertId, params.alertId)).orderBy(asc(alertVisits.createdAt));
}

export async function getVisit(db: Database, params: { id: string }): Promise<AlertVisit | undefined> {
  const [row] = await db.select(visitColumns).from(alertVisits).where(eq(alertVisits.id, params.id));
  return row;
}

/** Closes a visit with what the talk found; false when it was closed already. */
export async function completeVisit(db: Database, params: { id: string; outcome: string; at: Date }): Promise<boolean> {
  const rows = await db
    .update(alertVisits)
    .set({ doneAt: params.at, outcome: params.outcome })
    .where(and(eq(alertVisits.id, params.id), isNull(alertVisits.doneAt)))
    .returning({ id: alertVisits.id });
  return rows.length === 1;
}

/** The visits a person still has to make, soonest first. */
export async function openVisitsOf(db: Database, params: { personId: string }): Promise<AlertVisit[]> {
  return db
    .select(visitColumns)
    .from(alertVisits)
    .where(and(eq(alertVisits.assigneePersonId, params.personId), isNull(alertVisits.doneAt)))
    .orderBy(asc(alertVisits.dueOn));
}

/** Which of these alerts have a visit assigned and not yet made. */
export async function withPendingVisit(db: Database, params: { alertIds: string[] }): Promise<Set<string>> {
  if (params.alertIds.length === 0) return new Set();
  const rows = await db
    .selectDistinct({ alertId: alertVisits.alertId })
    .from(alertVisits)
    .where(and(inArray(alertVisits.alertId, params.alertIds), isNull(alertVisits.doneAt)));
  return new Set(rows.map((r) => r.alertId));
}
