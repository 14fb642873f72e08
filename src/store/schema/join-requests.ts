import { sql } from "drizzle-orm";
import { check, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { accessCodes } from "./access-codes.ts";
import { branches } from "./branches.ts";
import { createdAt, id, instant } from "./columns.ts";
import { memberships } from "./memberships.ts";
import { people } from "./people.ts";

/**
 * Someone who opened a branch invite and is waiting for the secretary: either claiming an
 * existing roster row (matched by the name they typed) or asking to be added. Until the
 * secretary approves, the person sees nothing of the branch.
 */
export const joinRequests = pgTable(
  "join_requests",
  {
    id: id(),
    branchId: uuid("branch_id")
      .notNull()
      .references(() => branches.id, { onDelete: "cascade" }),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    // The name as the person typed it.
    name: text("name").notNull(),
    // The unclaimed roster row whose name matched, if any; the secretary confirms the match.
    claimMembershipId: uuid("claim_membership_id").references(() => memberships.id, { onDelete: "set null" }),
    codeId: uuid("code_id").references(() => accessCodes.id, { onDelete: "set null" }),
    // pending | approved | rejected | withdrawn
    status: text("status").notNull().default("pending"),
    decidedBy: uuid("decided_by").references(() => people.id),
    decidedAt: instant("decided_at"),
    createdAt: createdAt(),
  },
  (t) => [
    index("join_requests_branch_idx").on(t.branchId, t.status),
    // One open request per person and branch.
    uniqueIndex("join_requests_open_uq")
      .on(t.branchId, t.personId)
      .where(sql`${t.status} = 'pending'`),
    check("join_requests_status_ck", sql`${t.status} in ('pending', 'approved', 'rejected', 'withdrawn')`),
  ],
);

/** Failed code entries, to slow down anyone guessing codes. Pruned by housekeeping. */
export const codeAttempts = pgTable(
  "code_attempts",
  {
    id: id(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    at: instant("at").notNull(),
  },
  (t) => [index("code_attempts_person_at_idx").on(t.personId, t.at)],
);
