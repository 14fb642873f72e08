import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns.ts";
import { branches } from "./branches.ts";
import { orgUnits } from "./org-units.ts";
import { people } from "./people.ts";

/**
 * Every code a person can type or open as a deep link: the one-time setup code, codes for
 * secretaries and supervisors, branch invites, and codes that link a second channel.
 */
export const accessCodes = pgTable(
  "access_codes",
  {
    id: id(),
    code: text("code").notNull(),
    // setup | secretary | supervisor | invite | link
    kind: text("kind").notNull(),
    orgUnitId: uuid("org_unit_id").references(() => orgUnits.id, { onDelete: "cascade" }),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "cascade" }),
    // For link codes: the person whose other channel is being linked.
    personId: uuid("person_id").references(() => people.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => people.id),
    expiresAt: instant("expires_at").notNull(),
    // Null = unlimited uses until expiry.
    maxUses: integer("max_uses"),
    uses: integer("uses").notNull().default(0),
    revokedAt: instant("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("access_codes_code_uq").on(t.code),
    index("access_codes_branch_idx").on(t.branchId),
    check("access_codes_kind_ck", sql`${t.kind} in ('setup', 'secretary', 'supervisor', 'invite', 'link')`),
  ],
);
