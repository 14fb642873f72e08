import { sql } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns.ts";
import { branches } from "./branches.ts";
import { people } from "./people.ts";

export interface MeetingDocument {
  name: string;
  url?: string;
  // Id of a file already uploaded to a channel, so it can be re-sent without the bytes.
  fileRef?: string;
}

/** One occurrence of a meeting: a regular monthly one, thematic, committee or extraordinary. */
export const meetings = pgTable(
  "meetings",
  {
    id: id(),
    branchId: uuid("branch_id")
      .notNull()
      .references(() => branches.id, { onDelete: "cascade" }),
    // regular | thematic | committee | extraordinary
    kind: text("kind").notNull(),
    // Identifies a rule-generated occurrence ("2026-12" for December's regular meeting), so
    // planning the same month twice finds the existing row. Null for ad-hoc meetings.
    occurrenceKey: text("occurrence_key"),
    // scheduled | cancelled | held (roll call closed)
    status: text("status").notNull().default("scheduled"),
    startsAt: instant("starts_at").notNull(),
    // When the rule put it, before any move; lets "moved from …" be said.
    plannedStartsAt: instant("planned_starts_at"),
    place: text("place"),
    agenda: text("agenda"),
    documents: jsonb("documents")
      .$type<MeetingDocument[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    // A thematic topic combined with this regular meeting, if any.
    thematicTopic: text("thematic_topic"),
    cancelReason: text("cancel_reason"),
    // Grows each time the meeting moves, so a re-sent calendar file updates the phone's event.
    sequence: integer("sequence").notNull().default(0),
    durationMinutes: integer("duration_minutes").notNull().default(120),
    checkInCode: text("check_in_code"),
    checkInExpiresAt: instant("check_in_expires_at"),
    rollCallClosedAt: instant("roll_call_closed_at"),
    createdBy: uuid("created_by").references(() => people.id),
    createdAt: createdAt(),
  },
  (t) => [
    index("meetings_branch_starts_idx").on(t.branchId, t.startsAt),
    uniqueIndex("meetings_occurrence_uq")
      .on(t.branchId, t.kind, t.occurrenceKey)
      .where(sql`${t.occurrenceKey} is not null`),
    check("meetings_kind_ck", sql`${t.kind} in ('regular', 'thematic', 'committee', 'extraordinary')`),
    check("meetings_status_ck", sql`${t.status} in ('scheduled', 'cancelled', 'held')`),
  ],
);

/**
 * Which steps of a meeting's reminder plan have been planned into the outbox. A step is
 * planned once, at its due time, with the recipients of that moment ("only those who have not
 * answered"); a second planning pass finds the step here and does nothing.
 */
export const reminderSteps = pgTable(
  "reminder_steps",
  {
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    // e.g. "notice", "reminder-1440", "committee"
    step: text("step").notNull(),
    plannedAt: instant("planned_at").notNull(),
    recipients: integer("recipients").notNull(),
  },
  (t) => [primaryKey({ name: "reminder_steps_pk", columns: [t.meetingId, t.step] })],
);
