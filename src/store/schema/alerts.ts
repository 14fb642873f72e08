import { bigserial, date, index, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns.ts";
import { branches } from "./branches.ts";
import { meetings } from "./meetings.ts";
import { memberships } from "./memberships.ts";
import { people } from "./people.ts";

/** An absence-rule alert (SPEC §7). The unique key makes each one fire once per period. */
export const alerts = pgTable(
  "alerts",
  {
    id: id(),
    // A1 … A7
    rule: text("rule").notNull(),
    branchId: uuid("branch_id")
      .notNull()
      .references(() => branches.id, { onDelete: "cascade" }),
    membershipId: uuid("membership_id").references(() => memberships.id, { onDelete: "cascade" }),
    meetingId: uuid("meeting_id").references(() => meetings.id, { onDelete: "cascade" }),
    // The member or meeting the alert is about, as text, so one unique key covers both.
    subjectKey: text("subject_key").notNull(),
    // The period the rule counts in ("2026", "2026-Q4", "2026-12").
    periodKey: text("period_key").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    resolvedAt: instant("resolved_at"),
  },
  (t) => [unique("alerts_rule_subject_period_uq").on(t.rule, t.subjectKey, t.periodKey), index("alerts_branch_idx").on(t.branchId, t.createdAt)],
);

/**
 * What became of an alert, in order (raised, reopened, read, assigned, visited, reminded,
 * handled, withdrawn), with who did it and their note. Deliveries are not copied here: the
 * outbox rows of the alert's notices say when it reached whom.
 */
export const alertEvents = pgTable(
  "alert_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    // Who acted (read it, assigned, closed); null for the rules themselves.
    personId: uuid("person_id").references(() => people.id, { onDelete: "set null" }),
    note: text("note"),
    at: instant("at").notNull(),
  },
  (t) => [index("alert_events_alert_idx").on(t.alertId, t.at)],
);

/**
 * "Giao gặp gỡ": a committee member sent to talk with the member an alert is about, by a
 * day; reminded the day before, closed with what the talk found.
 */
export const alertVisits = pgTable(
  "alert_visits",
  {
    id: id(),
    alertId: uuid("alert_id")
      .notNull()
      .references(() => alerts.id, { onDelete: "cascade" }),
    assigneePersonId: uuid("assignee_person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    assignedBy: uuid("assigned_by").references(() => people.id, { onDelete: "set null" }),
    dueOn: date("due_on").notNull(),
    doneAt: instant("done_at"),
    outcome: text("outcome"),
    createdAt: createdAt(),
  },
  (t) => [index("alert_visits_alert_idx").on(t.alertId), index("alert_visits_assignee_idx").on(t.assigneePersonId, t.doneAt)],
);
