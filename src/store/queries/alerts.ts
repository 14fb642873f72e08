import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { AlertInput, AlertRow } from "../../core/alerts/types.ts";
import type { Database } from "../database.ts";
import { alerts } from "../schema/index.ts";

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
