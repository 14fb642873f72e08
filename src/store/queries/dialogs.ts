import { and, eq, gt, lte } from "drizzle-orm";
import type { DialogState } from "../../core/ports.ts";
import type { Database } from "../database.ts";
import { dialogStates } from "../schema/index.ts";

export async function getDialog(db: Database, params: { personId: string; now: Date }): Promise<DialogState | undefined> {
  const rows = await db
    .select({ kind: dialogStates.kind, data: dialogStates.data, expiresAt: dialogStates.expiresAt })
    .from(dialogStates)
    .where(and(eq(dialogStates.personId, params.personId), gt(dialogStates.expiresAt, params.now)))
    .limit(1);
  return rows[0];
}

export async function setDialog(db: Database, params: { personId: string; state: DialogState; now: Date }): Promise<void> {
  const values = { kind: params.state.kind, data: params.state.data, expiresAt: params.state.expiresAt, updatedAt: params.now };
  await db
    .insert(dialogStates)
    .values({ personId: params.personId, ...values })
    .onConflictDoUpdate({ target: dialogStates.personId, set: values });
}

export async function clearDialog(db: Database, params: { personId: string }): Promise<void> {
  await db.delete(dialogStates).where(eq(dialogStates.personId, params.personId));
}

export async function deleteExpiredDialogs(db: Database, params: { now: Date }): Promise<number> {
  const rows = await db.delete(dialogStates).where(lte(dialogStates.expiresAt, params.now)).returning({ id: dialogStates.personId });
  return rows.length;
}
