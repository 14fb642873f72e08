import { bigserial, index, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { instant } from "./columns.ts";
import { branches } from "./branches.ts";
import { people } from "./people.ts";

/** Who changed what and when, for changes that must stay traceable (roll call after closing, roster). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorPersonId: uuid("actor_person_id").references(() => people.id),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "cascade" }),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    before: jsonb("before"),
    after: jsonb("after"),
    at: instant("at").notNull().defaultNow(),
  },
  (t) => [index("audit_log_branch_at_idx").on(t.branchId, t.at)],
);
