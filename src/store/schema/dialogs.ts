import { sql } from "drizzle-orm";
import { jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { instant } from "./columns.ts";
import { people } from "./people.ts";

/**
 * The one multi-step input a person is in the middle of (a reason for absence, the
 * resolution form, a roster edit). Kept in Postgres so it works the same on every channel
 * and survives restarts; a new command replaces it.
 */
export const dialogStates = pgTable("dialog_states", {
  personId: uuid("person_id")
    .primaryKey()
    .references(() => people.id, { onDelete: "cascade" }),
  // Which handler owns the dialog, e.g. "attendance.reason".
  kind: text("kind").notNull(),
  data: jsonb("data")
    .$type<Record<string, unknown>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  updatedAt: instant("updated_at").notNull().defaultNow(),
  expiresAt: instant("expires_at").notNull(),
});
