import { asc, eq, inArray } from "drizzle-orm";
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
  telegramGroupId: branches.telegramGroupId,
  defaultPlace: branches.defaultPlace,
  locality: branches.locality,
};

const toBranch = (row: { holidayPolicy: string } & Omit<Branch, "holidayPolicy">): Branch => ({ ...row, holidayPolicy: row.holidayPolicy as Branch["holidayPolicy"] });

export async function createBranch(db: Database, params: { orgUnitId: string } & BranchSettings): Promise<string> {
  const [row] = await db.insert(branches).values(params).returning({ id: branches.id });
  return row!.id;
}

export async function getBranch(db: Database, params: { branchId: string }): Promise<Branch | undefined> {
  const [row] = await db.select(columns).from(branches).innerJoin(orgUnits, eq(orgUnits.id, branches.orgUnitId)).where(eq(branches.id, params.branchId));
  return row ? toBranch(row) : undefined;
}

export async function updateBranch(db: Database, params: { branchId: string; patch: Partial<BranchSettings> }): Promise<void> {
  await db.update(branches).set(params.patch).where(eq(branches.id, params.branchId));
}

export async function findBranchByTelegramGroup(db: Database, params: { chatId: number }): Promise<Branch | undefined> {
  const [row] = await db.select(columns).from(branches).innerJoin(orgUnits, eq(orgUnits.id, branches.orgUnitId)).where(eq(branches.telegramGroupId, params.chatId));
  return row ? toBranch(row) : undefined;
}

export async function setTelegramGroup(db: Database, params: { branchId: string; chatId: number | null }): Promise<void> {
  await db.update(branches).set({ telegramGroupId: params.chatId }).where(eq(branches.id, params.branchId));
}

/** A group that became a supergroup has a new chat id; the link follows it. */
export async function moveTelegramGroup(db: Database, params: { from: number; to: number }): Promise<number> {
  const rows = await db.update(branches).set({ telegramGroupId: params.to }).where(eq(branches.telegramGroupId, params.from)).returning({ id: branches.id });
  return rows.length;
}

export async function listBranchesUnder(db: Database, params: { orgUnitIds: string[] }): Promise<Array<{ id: string; name: string; orgUnitId: string }>> {
  if (params.orgUnitIds.length === 0) return [];
  return db.select({ id: branches.id, name: branches.name, orgUnitId: branches.orgUnitId }).from(branches).where(inArray(branches.orgUnitId, params.orgUnitIds)).orderBy(asc(branches.name));
}
