import { and, asc, desc, eq, gt, isNull, lte, or } from "drizzle-orm";
import type { NewMemberInput } from "../../core/ports.ts";
import type { RosterEntry, TermChange } from "../../core/roster/types.ts";
import type { BranchRole, MemberStatus, MemberType } from "../../core/roles.ts";
import type { Database } from "../database.ts";
import { membershipTerms, memberships } from "../schema/index.ts";

const termOn = (day: string) =>
  and(
    eq(membershipTerms.membershipId, memberships.id),
    lte(membershipTerms.validFrom, day),
    or(isNull(membershipTerms.validTo), gt(membershipTerms.validTo, day)),
  );

const entryColumns = {
  membershipId: memberships.id,
  branchId: memberships.branchId,
  personId: memberships.personId,
  name: memberships.rosterName,
  phone: memberships.phone,
  callsRoll: memberships.callsRoll,
  state: memberships.state,
  removedAt: memberships.removedAt,
  role: membershipTerms.role,
  memberType: membershipTerms.memberType,
  status: membershipTerms.status,
  statusUntil: membershipTerms.statusUntil,
  termFrom: membershipTerms.validFrom,
};

interface EntryRow {
  membershipId: string;
  branchId: string;
  personId: string | null;
  name: string;
  phone: string | null;
  callsRoll: boolean;
  state: string;
  removedAt: Date | null;
  role: string;
  memberType: string;
  status: string;
  statusUntil: string | null;
  termFrom: string;
}

const toEntry = (row: EntryRow): RosterEntry => ({
  membershipId: row.membershipId,
  branchId: row.branchId,
  personId: row.personId,
  name: row.name,
  phone: row.phone,
  removed: row.state === "removed",
  role: row.role as BranchRole,
  memberType: row.memberType as MemberType,
  status: row.status as MemberStatus,
  statusUntil: row.statusUntil,
  termFrom: row.termFrom,
  callsRoll: row.callsRoll,
});

export async function addMember(db: Database, params: NewMemberInput): Promise<string> {
  const [membership] = await db
    .insert(memberships)
    .values({ branchId: params.branchId, personId: params.personId, rosterName: params.name, phone: params.phone })
    .returning({ id: memberships.id });
  await db.insert(membershipTerms).values({
    membershipId: membership!.id,
    role: params.role,
    memberType: params.memberType,
    status: params.status,
    validFrom: params.validFrom,
    statusUntil: params.statusUntil,
    createdBy: params.createdBy,
  });
  return membership!.id;
}

/** The active roster of a branch as it stood on `day`. */
export async function listRoster(db: Database, params: { branchId: string; day: string }): Promise<RosterEntry[]> {
  const rows = await db
    .select(entryColumns)
    .from(memberships)
    .innerJoin(membershipTerms, termOn(params.day))
    .where(and(eq(memberships.branchId, params.branchId), eq(memberships.state, "active")))
    .orderBy(asc(memberships.rosterName));
  return rows.map(toEntry);
}

/** One roster row with its term on `day` (or its last term, for a removed row). */
export async function getRosterEntry(db: Database, params: { membershipId: string; day: string }): Promise<RosterEntry | undefined> {
  const [current] = await db
    .select(entryColumns)
    .from(memberships)
    .innerJoin(membershipTerms, termOn(params.day))
    .where(eq(memberships.id, params.membershipId));
  if (current) return toEntry(current);
  const [last] = await db
    .select(entryColumns)
    .from(memberships)
    .innerJoin(membershipTerms, eq(membershipTerms.membershipId, memberships.id))
    .where(eq(memberships.id, params.membershipId))
    .orderBy(asc(membershipTerms.validFrom))
    .limit(1);
  return last ? toEntry(last) : undefined;
}

/** First day of the latest term (possibly one starting in the future): changes may not predate it. */
export async function latestTermStart(db: Database, params: { membershipId: string }): Promise<string | undefined> {
  const [row] = await db
    .select({ from: membershipTerms.validFrom })
    .from(membershipTerms)
    .where(eq(membershipTerms.membershipId, params.membershipId))
    .orderBy(desc(membershipTerms.validFrom))
    .limit(1);
  return row?.from;
}

/**
 * Applies a change from `change.from`: the open term ends there and a new one starts with
 * the change applied. A change dated on the open term's first day rewrites that term
 * instead, so no zero-length term is left behind.
 */
export async function changeTerm(db: Database, params: { membershipId: string; change: TermChange; by: string | null }): Promise<void> {
  const [open] = await db
    .select()
    .from(membershipTerms)
    .where(and(eq(membershipTerms.membershipId, params.membershipId), isNull(membershipTerms.validTo)));
  if (!open) throw new Error(`membership ${params.membershipId} has no open term`);
  const { from, ...fields } = params.change;
  const next = {
    role: fields.role ?? open.role,
    memberType: fields.memberType ?? open.memberType,
    status: fields.status ?? open.status,
    statusUntil: fields.status !== undefined || fields.statusUntil !== undefined ? (fields.statusUntil ?? null) : open.statusUntil,
    note: fields.note ?? null,
    createdBy: params.by,
  };
  if (from === open.validFrom) {
    await db.update(membershipTerms).set(next).where(eq(membershipTerms.id, open.id));
    return;
  }
  await db.update(membershipTerms).set({ validTo: from }).where(eq(membershipTerms.id, open.id));
  await db.insert(membershipTerms).values({ membershipId: params.membershipId, validFrom: from, ...next });
}

/** Takes a row off the roster from `day`; its terms stay as history. */
export async function removeMember(db: Database, params: { membershipId: string; day: string; at: Date }): Promise<void> {
  await db.update(memberships).set({ state: "removed", removedAt: params.at }).where(eq(memberships.id, params.membershipId));
  await db
    .update(membershipTerms)
    .set({ validTo: params.day })
    .where(and(eq(membershipTerms.membershipId, params.membershipId), isNull(membershipTerms.validTo), lte(membershipTerms.validFrom, params.day)));
}

export async function setMemberPhone(db: Database, params: { membershipId: string; phone: string | null }): Promise<void> {
  await db.update(memberships).set({ phone: params.phone }).where(eq(memberships.id, params.membershipId));
}

export async function setCallsRoll(db: Database, params: { membershipId: string; on: boolean }): Promise<void> {
  await db.update(memberships).set({ callsRoll: params.on }).where(eq(memberships.id, params.membershipId));
}

export async function renameMember(db: Database, params: { membershipId: string; name: string }): Promise<void> {
  await db.update(memberships).set({ rosterName: params.name }).where(eq(memberships.id, params.membershipId));
}

/** Links an unclaimed roster row to a person; false when someone claimed it meanwhile. */
export async function claimMembership(db: Database, params: { membershipId: string; personId: string }): Promise<boolean> {
  const rows = await db
    .update(memberships)
    .set({ personId: params.personId })
    .where(and(eq(memberships.id, params.membershipId), isNull(memberships.personId), eq(memberships.state, "active")))
    .returning({ id: memberships.id });
  return rows.length === 1;
}

export async function unclaimedRows(db: Database, params: { branchId: string }): Promise<Array<{ membershipId: string; name: string }>> {
  return db
    .select({ membershipId: memberships.id, name: memberships.rosterName })
    .from(memberships)
    .where(and(eq(memberships.branchId, params.branchId), isNull(memberships.personId), eq(memberships.state, "active")));
}
