import { and, eq, gt, inArray, isNull, lte, or } from "drizzle-orm";
import type { BranchMembership, BranchRole, MemberStatus, MemberType, Supervision } from "../../core/roles.ts";
import type { Database } from "../database.ts";
import { branches, membershipTerms, memberships, orgUnits, supervisorAssignments } from "../schema/index.ts";

/** The person's roster rows with the term in force on `day` (a YYYY-MM-DD date). */
export async function listMembershipsOfPerson(db: Database, params: { personId: string; day: string }): Promise<BranchMembership[]> {
  const rows = await db
    .select({
      membershipId: memberships.id,
      branchId: branches.id,
      branchName: branches.name,
      orgUnitName: orgUnits.name,
      role: membershipTerms.role,
      memberType: membershipTerms.memberType,
      status: membershipTerms.status,
      wantsSummaries: memberships.wantsSummaries,
      callsRoll: memberships.callsRoll,
    })
    .from(memberships)
    .innerJoin(branches, eq(branches.id, memberships.branchId))
    .innerJoin(orgUnits, eq(orgUnits.id, branches.orgUnitId))
    .innerJoin(
      membershipTerms,
      and(
        eq(membershipTerms.membershipId, memberships.id),
        lte(membershipTerms.validFrom, params.day),
        or(isNull(membershipTerms.validTo), gt(membershipTerms.validTo, params.day)),
      ),
    )
    .where(and(eq(memberships.personId, params.personId), eq(memberships.state, "active")))
    .orderBy(branches.name);
  return rows.map((row) => ({
    ...row,
    role: row.role as BranchRole,
    memberType: row.memberType as MemberType,
    status: row.status as MemberStatus,
  }));
}

export async function listSupervisionOfPerson(db: Database, params: { personId: string }): Promise<Supervision[]> {
  const assignments = await db
    .select({ orgUnitId: supervisorAssignments.orgUnitId, branchId: supervisorAssignments.branchId })
    .from(supervisorAssignments)
    .where(and(eq(supervisorAssignments.personId, params.personId), isNull(supervisorAssignments.endedAt)));
  if (assignments.length === 0) return [];
  const unitIds = assignments.flatMap((a) => (a.orgUnitId ? [a.orgUnitId] : []));
  const branchIds = assignments.flatMap((a) => (a.branchId ? [a.branchId] : []));
  const [units, branchRows] = await Promise.all([
    unitIds.length ? db.select({ id: orgUnits.id, name: orgUnits.name }).from(orgUnits).where(inArray(orgUnits.id, unitIds)) : [],
    branchIds.length ? db.select({ id: branches.id, name: branches.name }).from(branches).where(inArray(branches.id, branchIds)) : [],
  ]);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  const branchName = new Map(branchRows.map((b) => [b.id, b.name]));
  return assignments.map((a) => ({
    orgUnitId: a.orgUnitId,
    branchId: a.branchId,
    name: (a.orgUnitId ? unitName.get(a.orgUnitId) : a.branchId ? branchName.get(a.branchId) : undefined) ?? "",
  }));
}

export async function assignSupervision(
  db: Database,
  params: { personId: string; target: { orgUnitId: string } | { branchId: string }; by: string | null; at: Date },
): Promise<void> {
  const orgUnitId = "orgUnitId" in params.target ? params.target.orgUnitId : null;
  const branchId = "branchId" in params.target ? params.target.branchId : null;
  const existing = await db
    .select({ id: supervisorAssignments.id })
    .from(supervisorAssignments)
    .where(
      and(
        eq(supervisorAssignments.personId, params.personId),
        isNull(supervisorAssignments.endedAt),
        orgUnitId ? eq(supervisorAssignments.orgUnitId, orgUnitId) : eq(supervisorAssignments.branchId, branchId!),
      ),
    );
  if (existing.length > 0) return;
  await db.insert(supervisorAssignments).values({ personId: params.personId, orgUnitId, branchId, createdBy: params.by, createdAt: params.at });
}
