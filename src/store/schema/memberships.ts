import { sql } from "drizzle-orm";
import { boolean, check, date, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns.ts";
import { branches } from "./branches.ts";
import { orgUnits } from "./org-units.ts";
import { people } from "./people.ts";

/**
 * A roster row: one person (or a name not yet claimed by a chat account) in one branch.
 * What the member is at a given date lives in membership_terms.
 */
export const memberships = pgTable(
  "memberships",
  {
    id: id(),
    branchId: uuid("branch_id")
      .notNull()
      .references(() => branches.id, { onDelete: "cascade" }),
    // Null until someone claims this roster row from a chat.
    personId: uuid("person_id").references(() => people.id),
    // The name as written in the branch roster (may differ from the chat display name).
    rosterName: text("roster_name").notNull(),
    phone: text("phone"),
    // active | removed (kept for history; people waiting to join are join_requests)
    state: text("state").notNull().default("active"),
    // Members may opt out of resolution summaries (used by exempt members).
    wantsSummaries: boolean("wants_summaries").notNull().default(true),
    // A committee member the secretary has allowed to mark people present at roll call.
    callsRoll: boolean("calls_roll").notNull().default(false),
    createdAt: createdAt(),
    removedAt: instant("removed_at"),
  },
  (t) => [
    index("memberships_branch_idx").on(t.branchId),
    index("memberships_person_idx").on(t.personId),
    // A person is on a branch roster at most once at a time.
    uniqueIndex("memberships_branch_person_uq")
      .on(t.branchId, t.personId)
      .where(sql`${t.personId} is not null and ${t.state} <> 'removed'`),
    check("memberships_state_ck", sql`${t.state} in ('active', 'removed')`),
  ],
);

/**
 * The history of a roster row: each row is a period during which role, type and status
 * were constant. A change closes the open term and opens a new one, so a report for March
 * reads the terms that covered March.
 */
export const membershipTerms = pgTable(
  "membership_terms",
  {
    id: id(),
    membershipId: uuid("membership_id")
      .notNull()
      .references(() => memberships.id, { onDelete: "cascade" }),
    // secretary | deputy | committee | member
    role: text("role").notNull(),
    // full | probationary
    memberType: text("member_type").notNull(),
    // active | exempt | temporarily_exempt | transferred_out | attached | special_duty
    status: text("status").notNull(),
    validFrom: date("valid_from").notNull(),
    // Exclusive end; null while the term is current.
    validTo: date("valid_to"),
    // For time-boxed statuses (temporarily exempt / transferred / attached): the announced end,
    // after which the member is expected again.
    statusUntil: date("status_until"),
    note: text("note"),
    createdBy: uuid("created_by").references(() => people.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("membership_terms_membership_idx").on(t.membershipId, t.validFrom),
    uniqueIndex("membership_terms_open_uq")
      .on(t.membershipId)
      .where(sql`${t.validTo} is null`),
    check("membership_terms_role_ck", sql`${t.role} in ('secretary', 'deputy', 'committee', 'member')`),
    check("membership_terms_type_ck", sql`${t.memberType} in ('full', 'probationary')`),
    check("membership_terms_status_ck", sql`${t.status} in ('active', 'exempt', 'temporarily_exempt', 'transferred_out', 'attached', 'special_duty')`),
    check("membership_terms_period_ck", sql`${t.validTo} is null or ${t.validTo} > ${t.validFrom}`),
  ],
);

/** A higher-committee member following an org unit (all its branches) or one branch. */
export const supervisorAssignments = pgTable(
  "supervisor_assignments",
  {
    id: id(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    orgUnitId: uuid("org_unit_id").references(() => orgUnits.id, { onDelete: "cascade" }),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => people.id),
    createdAt: createdAt(),
    endedAt: instant("ended_at"),
  },
  (t) => [
    index("supervisor_assignments_person_idx").on(t.personId),
    check("supervisor_assignments_target_ck", sql`(${t.orgUnitId} is null) <> (${t.branchId} is null)`),
  ],
);
