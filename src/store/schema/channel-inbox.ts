import { bigserial, jsonb, pgTable, text, unique } from "drizzle-orm/pg-core";
import { instant } from "./columns.ts";

/**
 * Updates a platform will not deliver again, stored the moment they arrive and deleted once
 * handled. Zalo forgets an update as soon as getUpdates has answered it and is answered at once
 * by the webhook, so without this a crash between receiving and storing the handling would
 * lose what a person sent; with it, a restart handles what is left, in the order received.
 */
export const channelInbox = pgTable(
  "channel_inbox",
  {
    // In the order received: leftovers are handled in that order after a restart.
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channel: text("channel").notNull(),
    // The platform's key of a delivery (Zalo: event name and message id): a repeat is stored once.
    updateKey: text("update_key").notNull(),
    payload: jsonb("payload").notNull(),
    receivedAt: instant("received_at").notNull().defaultNow(),
  },
  (t) => [unique("channel_inbox_channel_key_uq").on(t.channel, t.updateKey)],
);
