import { jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { instant } from "./columns.ts";

/**
 * The actions last offered as numbered text in a chat without buttons ("1. ✅ Có mặt"): a
 * typed "1" there means the first of them. One row per chat; the next offer replaces it,
 * and an old list expires so a stray number weeks later is not taken for a choice.
 */
export const offeredChoices = pgTable("offered_choices", {
  // The chat's prefixed address ("zalo:123", "sandbox:hoa").
  address: text("address").primaryKey(),
  // Button payloads in the order they were numbered, the first being "1".
  payloads: jsonb("payloads").$type<string[]>().notNull(),
  offeredAt: instant("offered_at").notNull(),
  expiresAt: instant("expires_at").notNull(),
});
