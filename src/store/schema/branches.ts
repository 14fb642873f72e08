import { sql } from "drizzle-orm";
import { check, index, jsonb, pgTable, smallint, text, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";
import { orgUnits } from "./org-units.ts";
import type { ReminderStep } from "../../core/branch-defaults.ts";

/** A chi bộ: the unit whose monthly rhythm the bot runs. */
export const branches = pgTable(
  "branches",
  {
    id: id(),
    orgUnitId: uuid("org_unit_id")
      .notNull()
      .references(() => orgUnits.id),
    name: text("name").notNull(),
    timezone: text("timezone").notNull().default("Asia/Ho_Chi_Minh"),
    // Day of month of the regular meeting; -1 means the last day of the month ("cuối tháng").
    meetingDay: smallint("meeting_day").notNull().default(3),
    // Local wall-clock time "HH:mm" in the branch timezone.
    meetingTime: text("meeting_time").notNull().default("19:30"),
    // What to do when the day is a weekend or a day off: keep | next_working_day | previous_working_day.
    holidayPolicy: text("holiday_policy").notNull().default("keep"),
    committeeDaysBefore: smallint("committee_days_before").notNull().default(3),
    reminderPlan: jsonb("reminder_plan").$type<ReminderStep[]>().notNull(),
    // Attendance rate (percent) under which supervisors are alerted.
    attendanceThreshold: smallint("attendance_threshold").notNull().default(85),
    defaultPlace: text("default_place"),
    // The commune, ward or village named in the date line of the branch's documents
    // ("Ngọc Trạo, ngày 03 tháng 12 năm 2026"); null leaves a blank to fill by hand.
    locality: text("locality"),
    createdAt: createdAt(),
  },
  (t) => [
    index("branches_org_unit_idx").on(t.orgUnitId),
    check("branches_meeting_day_ck", sql`${t.meetingDay} = -1 or ${t.meetingDay} between 1 and 28`),
    check("branches_threshold_ck", sql`${t.attendanceThreshold} between 0 and 100`),
    check("branches_holiday_policy_ck", sql`${t.holidayPolicy} in ('keep', 'next_working_day', 'previous_working_day')`),
    check("branches_committee_days_ck", sql`${t.committeeDaysBefore} between 0 and 27`),
  ],
);
