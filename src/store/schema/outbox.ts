import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgTable, smallint, text, unique, uuid } from "drizzle-orm/pg-core";
import { createdAt, instant } from "./columns.ts";
import { meetings } from "./meetings.ts";
import { people } from "./people.ts";

/**
 * Every proactive message (notices, reminders, summaries, alerts) is a row here before it
 * is sent. Planning inserts with a unique key, so re-planning never duplicates; senders
 * claim due rows with FOR UPDATE SKIP LOCKED under a lease, so several instances never
 * send one row twice.
 */
export const outbox = pgTable(
  "outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    // e.g. "reminder:<meetingId>:1d:<personId>:telegram" — one row per (subject, kind, recipient, channel).
    dedupeKey: text("dedupe_key").notNull(),
    kind: text("kind").notNull(),
    meetingId: uuid("meeting_id").references(() => meetings.id, { onDelete: "cascade" }),
    personId: uuid("person_id").references(() => people.id, { onDelete: "cascade" }),
    // Prefixed address, e.g. "telegram:123456" or "zalo:abc".
    address: text("address").notNull(),
    // What to render: a message kind plus its parameters, rendered in the recipient's
    // language at send time so a language change before sending is honoured.
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    // Lower sends first when many rows are due together (e.g. absentees' summaries first).
    priority: smallint("priority").notNull().default(100),
    dueAt: instant("due_at").notNull(),
    // After this moment the message is pointless (the meeting has started): drop, never send late.
    staleAt: instant("stale_at"),
    // pending | sending | sent | failed | dropped
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    leaseUntil: instant("lease_until"),
    nextAttemptAt: instant("next_attempt_at"),
    lastError: text("last_error"),
    sentAt: instant("sent_at"),
    // The platform's id of the sent message, for later edits (live tally) and read receipts.
    externalMessageId: text("external_message_id"),
    createdAt: createdAt(),
  },
  (t) => [
    unique("outbox_dedupe_key_uq").on(t.dedupeKey),
    // In the claim's own order, so a claim reads a batch instead of sorting every due row.
    index("outbox_claim_idx")
      .on(t.priority, t.dueAt, t.id)
      .where(sql`${t.status} in ('pending', 'sending')`),
    index("outbox_meeting_idx").on(t.meetingId),
    check("outbox_status_ck", sql`${t.status} in ('pending', 'sending', 'sent', 'failed', 'dropped')`),
  ],
);
