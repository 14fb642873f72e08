import { bigint, boolean, index, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns.ts";

/**
 * A human the bot knows. Deliberately minimal: a display name, language and an optional
 * phone. No national ID or party card number is ever stored.
 */
export const people = pgTable("people", {
  id: id(),
  displayName: text("display_name").notNull(),
  locale: text("locale").notNull().default("vi"),
  phone: text("phone"),
  // Channel the person chose for proactive messages; null = the one linked last.
  preferredChannel: text("preferred_channel"),
  isAdmin: boolean("is_admin").notNull().default(false),
  // Set when a secretary erases a removed person's contact data; the row stays so past
  // attendance records keep their meaning.
  erasedAt: instant("erased_at"),
  createdAt: createdAt(),
});

/** One account of a person on one channel (a Telegram user, a Zalo user, a sandbox persona). */
export const channelIdentities = pgTable(
  "channel_identities",
  {
    id: id(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(),
    // The platform's user id as a string (Telegram ids exceed 2^31, Zalo ids are strings).
    externalId: text("external_id").notNull(),
    // Where proactive messages to this person go on this channel (prefixed, e.g. "telegram:123").
    address: text("address").notNull(),
    linkedAt: instant("linked_at").notNull().defaultNow(),
    // Set when the platform says we can no longer write (blocked, kicked); cleared on next contact.
    unreachableAt: instant("unreachable_at"),
    createdAt: createdAt(),
  },
  (t) => [unique("channel_identities_channel_external_uq").on(t.channel, t.externalId), index("channel_identities_person_idx").on(t.personId)],
);

/**
 * Update ids already handled, so a redelivered update (after a crash or a webhook retry)
 * is handled once. Pruned after a few days by the housekeeping tick.
 */
export const processedUpdates = pgTable(
  "processed_updates",
  {
    channel: text("channel").notNull(),
    updateId: bigint("update_id", { mode: "number" }).notNull(),
    processedAt: instant("processed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "processed_updates_pk", columns: [t.channel, t.updateId] }), index("processed_updates_processed_at_idx").on(t.processedAt)],
);
