import { index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { branches } from "./branches.ts";
import { instant } from "./columns.ts";

/**
 * Group chats linked to a branch, on any channel (a Telegram group, later a Zalo group):
 * notices are posted there too. A chat belongs to one branch at most.
 */
export const branchChats = pgTable(
  "branch_chats",
  {
    // The chat's prefixed address ("telegram:-100123"); it changes when a Telegram group becomes a supergroup.
    address: text("address").primaryKey(),
    branchId: uuid("branch_id")
      .notNull()
      .references(() => branches.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(),
    linkedAt: instant("linked_at").notNull(),
  },
  (t) => [index("branch_chats_branch_idx").on(t.branchId)],
);
