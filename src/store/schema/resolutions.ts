import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, jsonb, pgTable, smallint, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns.ts";
import { branches } from "./branches.ts";
import { meetings } from "./meetings.ts";
import { memberships } from "./memberships.ts";
import { people } from "./people.ts";

/** The resolution adopted at a meeting: free text or the guided form. */
export const resolutions = pgTable(
  "resolutions",
  {
    id: id(),
    branchId: uuid("branch_id")
      .notNull()
      .references(() => branches.id, { onDelete: "cascade" }),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    // The resolution's number ("Số: 01-NQ/CB"): counted per branch and calendar year of the
    // meeting (in the branch's timezone), given when it is adopted, in the same transaction.
    year: smallint("year").notNull(),
    number: smallint("number").notNull(),
    // text | form
    format: text("format").notNull(),
    body: text("body"),
    // Guided form: results of last month, and anything else that is not a task.
    form: jsonb("form").$type<Record<string, unknown>>(),
    votesFor: integer("votes_for"),
    votesAgainst: integer("votes_against"),
    votesAbstain: integer("votes_abstain"),
    // Voting base at the time of the vote (SPEC §5), and whether votes for exceeded half of it.
    votingBase: integer("voting_base"),
    valid: boolean("valid"),
    createdBy: uuid("created_by").references(() => people.id),
    createdAt: createdAt(),
    sentAt: instant("sent_at"),
  },
  (t) => [
    unique("resolutions_meeting_uq").on(t.meetingId),
    unique("resolutions_number_uq").on(t.branchId, t.year, t.number),
    check("resolutions_format_ck", sql`${t.format} in ('text', 'form')`),
    check("resolutions_number_ck", sql`${t.number} >= 1`),
  ],
);

/** "Đã đọc" acknowledgements of a resolution summary. */
export const resolutionReads = pgTable(
  "resolution_reads",
  {
    id: id(),
    resolutionId: uuid("resolution_id")
      .notNull()
      .references(() => resolutions.id, { onDelete: "cascade" }),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    readAt: instant("read_at").notNull().defaultNow(),
  },
  (t) => [unique("resolution_reads_uq").on(t.resolutionId, t.personId)],
);

/** A task assigned by a resolution to one roster member, with a deadline. */
export const tasks = pgTable(
  "tasks",
  {
    id: id(),
    resolutionId: uuid("resolution_id")
      .notNull()
      .references(() => resolutions.id, { onDelete: "cascade" }),
    ownerMembershipId: uuid("owner_membership_id")
      .notNull()
      .references(() => memberships.id),
    description: text("description").notNull(),
    dueOn: date("due_on").notNull(),
    doneAt: instant("done_at"),
    createdAt: createdAt(),
  },
  (t) => [index("tasks_resolution_idx").on(t.resolutionId), index("tasks_owner_idx").on(t.ownerMembershipId)],
);
