import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns.ts";
import { meetings } from "./meetings.ts";
import { memberships } from "./memberships.ts";
import { people } from "./people.ts";

/** A member's stated intention before a meeting (RSVP). Changeable until the meeting starts. */
export const attendanceReplies = pgTable(
  "attendance_replies",
  {
    id: id(),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    membershipId: uuid("membership_id")
      .notNull()
      .references(() => memberships.id, { onDelete: "cascade" }),
    // yes | no | maybe
    answer: text("answer").notNull(),
    reason: text("reason"),
    repliedAt: instant("replied_at").notNull().defaultNow(),
  },
  (t) => [
    unique("attendance_replies_meeting_member_uq").on(t.meetingId, t.membershipId),
    check("attendance_replies_answer_ck", sql`${t.answer} in ('yes', 'no', 'maybe')`),
  ],
);

/** Who actually came (roll call). A reply alone never makes a record. */
export const attendanceRecords = pgTable(
  "attendance_records",
  {
    id: id(),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    membershipId: uuid("membership_id")
      .notNull()
      .references(() => memberships.id, { onDelete: "cascade" }),
    present: boolean("present").notNull(),
    // For absentees: excused | unexcused (decided by the secretary); null while undecided.
    absence: text("absence"),
    reason: text("reason"),
    // How presence was established: roll_call | check_in
    source: text("source").notNull().default("roll_call"),
    recordedBy: uuid("recorded_by").references(() => people.id),
    recordedAt: instant("recorded_at").notNull().defaultNow(),
  },
  (t) => [
    unique("attendance_records_meeting_member_uq").on(t.meetingId, t.membershipId),
    check("attendance_records_absence_ck", sql`${t.absence} is null or ${t.absence} in ('excused', 'unexcused')`),
    check("attendance_records_present_ck", sql`not (${t.present} and ${t.absence} is not null)`),
  ],
);

/** People at a meeting who are not on the roster (e.g. the supervisor). */
export const meetingGuests = pgTable(
  "meeting_guests",
  {
    id: id(),
    meetingId: uuid("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [index("meeting_guests_meeting_idx").on(t.meetingId)],
);
