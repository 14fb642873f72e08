import { and, eq, gt, gte, lte } from "drizzle-orm";
import type { Database } from "../database.ts";
import { offeredChoices } from "../schema/index.ts";

/** Remembers the actions just offered as numbered text in a chat; an empty list forgets them. */
export async function offerChoices(db: Database, params: { address: string; payloads: string[]; at: Date; expiresAt: Date }): Promise<void> {
  if (params.payloads.length === 0) {
    await db.delete(offeredChoices).where(eq(offeredChoices.address, params.address));
    return;
  }
  const values = { payloads: params.payloads, offeredAt: params.at, expiresAt: params.expiresAt };
  await db
    .insert(offeredChoices)
    .values({ address: params.address, ...values })
    .onConflictDoUpdate({ target: offeredChoices.address, set: values });
}

/** The payloads offered in a chat and still valid, in their numbered order. */
export async function offeredIn(db: Database, params: { address: string; now: Date }): Promise<string[] | undefined> {
  const [row] = await db
    .select({ payloads: offeredChoices.payloads })
    .from(offeredChoices)
    .where(and(eq(offeredChoices.address, params.address), gt(offeredChoices.expiresAt, params.now)));
  return row?.payloads;
}

/** The payloads offered to a chat since `since` (and not expired), or undefined. */
export async function offeredSince(db: Database, params: { address: string; since: Date; now: Date }): Promise<string[] | undefined> {
  const [row] = await db
    .select({ payloads: offeredChoices.payloads })
    .from(offeredChoices)
    .where(and(eq(offeredChoices.address, params.address), gte(offeredChoices.offeredAt, params.since), gt(offeredChoices.expiresAt, params.now)));
  return row?.payloads;
}

export async function deleteExpiredChoices(db: Database, params: { now: Date }): Promise<number> {
  const rows = await db.delete(offeredChoices).where(lte(offeredChoices.expiresAt, params.now)).returning({ address: offeredChoices.address });
  return rows.length;
}
