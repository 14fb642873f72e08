import { sql } from "drizzle-orm";
import { date, foreignKey, index, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id } from "./columns.ts";

/**
 * The tree above branches (province → commune/ward → …). Depth is not fixed: a level is
 * just a row with a parent, and `level_name` is free text for display ("Đảng ủy xã").
 */
export const orgUnits = pgTable(
  "org_units",
  {
    id: id(),
    parentId: uuid("parent_id"),
    name: text("name").notNull(),
    levelName: text("level_name"),
    // Per-unit rule settings (absence thresholds, rolling vs calendar year, …);
    // read with defaults, so an empty object means "use the defaults".
    settings: jsonb("settings")
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [foreignKey({ name: "org_units_parent_fk", columns: [t.parentId], foreignColumns: [t.id] }), index("org_units_parent_idx").on(t.parentId)],
);

/** Extra non-working days an org unit announces each year (e.g. the longer Tết break). */
export const orgUnitDaysOff = pgTable(
  "org_unit_days_off",
  {
    id: id(),
    orgUnitId: uuid("org_unit_id")
      .notNull()
      .references(() => orgUnits.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    note: text("note"),
    createdAt: createdAt(),
  },
  (t) => [unique("org_unit_days_off_unit_day_uq").on(t.orgUnitId, t.day)],
);
