import { and, asc, eq } from "drizzle-orm";
import type { JoinRequest } from "../../core/roster/join.ts";
import type { Database } from "../database.ts";
import { branches, joinRequests, memberships } from "../schema/index.ts";

const columns = {
  id: joinRequests.id,
  branchId: joinRequests.branchId,
  branchName: branches.name,
  personId: joinRequests.personId,
  name: joinRequests.name,
  claimMembershipId: joinRequests.claimMembershipId,
  claimName: memberships.rosterName,
  status: joinRequests.status,
  createdAt: joinRequests.createdAt,
};

const toRequest = (row: { status: string } & Omit<JoinRequest, "status">): JoinRequest => ({ ...row, status: row.status as JoinRequest["status"] });

const select = (db: Database) =>
  db
    .select(columns)
    .from(joinRequests)
    .innerJoin(branches, eq(branches.id, joinRequests.branchId))
    .leftJoin(memberships, eq(memberships.id, joinRequests.claimMembershipId));

export async function createJoinRequest(
  db: Database,
  params: { branchId: string; personId: string; name: string; claimMembershipId: string | null; codeId: string | null; at: Date },
): Promise<string> {
  const { at, ...values } = params;
  const [row] = await db
    .insert(joinRequests)
    .values({ ...values, createdAt: at })
    .returning({ id: joinRequests.id });
  return row!.id;
}

export async function getJoinRequest(db: Database, params: { id: string }): Promise<JoinRequest | undefined> {
  const [row] = await select(db).where(eq(joinRequests.id, params.id));
  return row ? toRequest(row) : undefined;
}

export async function listPendingJoins(db: Database, params: { branchId?: string; personId?: string }): Promise<JoinRequest[]> {
  const rows = await select(db)
    .where(
      and(
        eq(joinRequests.status, "pending"),
        params.branchId ? eq(joinRequests.branchId, params.branchId) : undefined,
        params.personId ? eq(joinRequests.personId, params.personId) : undefined,
      ),
    )
    .orderBy(asc(joinRequests.createdAt));
  return rows.map(toRequest);
}

/** Records the decision only if the request is still pending; false when someone decided first. */
export async function decideJoinRequest(
  db: Database,
  params: { id: string; status: "approved" | "rejected" | "withdrawn"; by: string; at: Date },
): Promise<boolean> {
  const rows = await db
    .update(joinRequests)
    .set({ status: params.status, decidedBy: params.by, decidedAt: params.at })
    .where(and(eq(joinRequests.id, params.id), eq(joinRequests.status, "pending")))
    .returning({ id: joinRequests.id });
  return rows.length === 1;
}
