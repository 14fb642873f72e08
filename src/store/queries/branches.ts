import { asc, eq, inArray, sql } from "drizzle-orm";
import type { Branch, BranchSettings } from "../../core/branches/types.ts";
import type { Database } from "../database.ts";
import { branches, orgUnits } from "../schema/index.ts";

const columns = {
  id: branches.id,
  orgUnitId: branches.orgUnitId,
  orgUnitName: orgUnits.name,
  name: branches.name,
  timezone: branches.timezone,
  meetingDay: branches.meetingDay,
  meetingTime: branches.meetingTime,
  holidayPolicy: branches.holidayPolicy,
  committeeDaysBefore: branches.committeeDaysBefore,
  reminderPlan: branches.reminderPlan,
  attendanceThreshold: branches.attendanceThreshold,
  groupChats: sql<string[]>`coalesce((select array_agg(c.address order by c.linked_at) from branch_chats c where c.branch_id = ${branches.id}), '{}')`,
  defaultPlace: branches.defaultPlace,
  locality: branches.locality,
};

const toBranch = (row: { holidayPolicy: string } & Omit<Branch, "holidayPolicy">): Branch => ({
  ...row,
  holidayPolicy: row.holidayPolicy as Branch["holidayPolicy"],
});

export async function createBranch(db: Database, params: { orgUnitId: string } & BranchSettings): Promise<string> {
  const [row] = await db.insert(branches).values(params).returning({ id: branches.id });
  return row!.id;
}

export async function getBranch(db: Database, params: { branchId: string }): Promise<Branch | undefined> {
  const [row] = await db.select(columns).from(branches).innerJoin(orgUnits, eq(orgUnits.id, branches.orgUnitId)).where(eq(branches.id, params.branchId));
  return row ? toBranch(row) : undefined;
}

/** Many branches in one query (the reports of a whole org unit), by name. */
export async function getBranches(db: Database, params: { branchIds: string[] }): Promise<Branch[]> {
  if (params.branchIds.length === 0) return [];
  const rows = await db
    .select(columns)
    .from(branches)
    .innerJoin(orgUnits, eq(orgUnits.id, branches.orgUnitId))
    .where(inArray(branches.id, params.branchIds))
    .orderBy(asc(branches.name));
  return rows.map(toBranch);
}

export async function updateBranch(db: Database, params: { branchId: string; patch: Partial<BranchSettings> }): Promise<void> {
  await db.update(branches).set(params.patch).where(eq(branches.id, params.branchId));
}

/** Every branch's id, for the daily rule tick. */
export async function allBranchIds(db: Database): Promise<string[]> {
  return (await db.select({ id: branches.id }).from(branches).orderBy(asc(branches.id))).map((r) => r.id);
}

export async function listBranchesUnder(db: Database, params: { orgUnitIds: string[] }): Promise<Array<{ id: string; name: string; orgUnitId: string }>> {
  if (params.orgUnitIds.length === 0) return [];
  return db
    .select({ id: branches.id, name: branches.name, orgUnitId: branches.orgUnitId })
    .from(branches)
    .where(inArray(branches.orgUnitId, params.orgUnitIds))
    .orderBy(asc(branches.name));
}
