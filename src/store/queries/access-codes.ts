import { and, count, desc, eq, gt, gte, isNull, lt, or, sql } from "drizzle-orm";
import type { CodeKind, StoredCode } from "../../core/access/codes.ts";
import type { NewCode } from "../../core/ports.ts";
import type { Database } from "../database.ts";
import { accessCodes, codeAttempts } from "../schema/index.ts";

const columns = {
  id: accessCodes.id,
  code: accessCodes.code,
  kind: accessCodes.kind,
  orgUnitId: accessCodes.orgUnitId,
  branchId: accessCodes.branchId,
  personId: accessCodes.personId,
  createdBy: accessCodes.createdBy,
  expiresAt: accessCodes.expiresAt,
  maxUses: accessCodes.maxUses,
  uses: accessCodes.uses,
  revokedAt: accessCodes.revokedAt,
};

const toStored = (row: Omit<StoredCode, "kind"> & { kind: string }): StoredCode => ({ ...row, kind: row.kind as CodeKind });

export async function createCode(db: Database, params: NewCode): Promise<StoredCode> {
  const [row] = await db.insert(accessCodes).values(params).returning(columns);
  return toStored(row!);
}

export async function findCode(db: Database, params: { code: string }): Promise<StoredCode | undefined> {
  const [row] = await db.select(columns).from(accessCodes).where(eq(accessCodes.code, params.code));
  return row ? toStored(row) : undefined;
}

/**
 * Counts one use, only if the code is still usable at `now`; false when another use got
 * there first (the last use of a single-use code), so a code is never used twice.
 */
export async function consumeCode(db: Database, params: { id: string; now: Date }): Promise<boolean> {
  const rows = await db
    .update(accessCodes)
    .set({ uses: sql`${accessCodes.uses} + 1` })
    .where(
      and(
        eq(accessCodes.id, params.id),
        isNull(accessCodes.revokedAt),
        gt(accessCodes.expiresAt, params.now),
        or(isNull(accessCodes.maxUses), lt(accessCodes.uses, accessCodes.maxUses)),
      ),
    )
    .returning({ id: accessCodes.id });
  return rows.length === 1;
}

export async function revokeCode(db: Database, params: { id: string; now: Date }): Promise<void> {
  await db
    .update(accessCodes)
    .set({ revokedAt: params.now })
    .where(and(eq(accessCodes.id, params.id), isNull(accessCodes.revokedAt)));
}

/** Usable codes of one kind for a branch or an org unit, newest first. */
export async function listUsableCodes(db: Database, params: { kind: CodeKind; branchId?: string; orgUnitId?: string; now: Date }): Promise<StoredCode[]> {
  const rows = await db
    .select(columns)
    .from(accessCodes)
    .where(
      and(
        eq(accessCodes.kind, params.kind),
        params.branchId ? eq(accessCodes.branchId, params.branchId) : undefined,
        params.orgUnitId ? eq(accessCodes.orgUnitId, params.orgUnitId) : undefined,
        isNull(accessCodes.revokedAt),
        gt(accessCodes.expiresAt, params.now),
        or(isNull(accessCodes.maxUses), lt(accessCodes.uses, accessCodes.maxUses)),
      ),
    )
    .orderBy(desc(accessCodes.createdAt));
  return rows.map(toStored);
}

export async function recordCodeFailure(db: Database, params: { personId: string; at: Date }): Promise<void> {
  await db.insert(codeAttempts).values(params);
}

export async function countCodeFailures(db: Database, params: { personId: string; since: Date }): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(codeAttempts)
    .where(and(eq(codeAttempts.personId, params.personId), gte(codeAttempts.at, params.since)));
  return row?.n ?? 0;
}

export async function pruneCodeFailures(db: Database, params: { before: Date }): Promise<number> {
  const rows = await db.delete(codeAttempts).where(lt(codeAttempts.at, params.before)).returning({ id: codeAttempts.id });
  return rows.length;
}
