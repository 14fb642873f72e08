import { index, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns.ts";
import { branches } from "./branches.ts";
import { meetings } from "./meetings.ts";
import { memberships } from "./memberships.ts";

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
