import type { TypedNotice } from "../notices.ts";
import type { Notice } from "../ports.ts";

/**
 * A parameter the sender adds to every notice it renders: the moment it is sent (ISO). Notices
 * are planned ahead and may go out late (after downtime); one worded by the time left (a
 * task "due tomorrow") reads it instead of assuming it leaves when planned.
 */
export const SENDING_AT = "sendingAt";

/** A message to plan into the outbox. */
export interface OutboxItem {
  /** Unique per (subject, kind, recipient): planning the same thing twice inserts it once. */
  dedupeKey: string;
  kind: string;
  meetingId: string | null;
  personId: string | null;
  address: string;
  /** Checked against its kind's parameters when written (see core/notices.ts). */
  notice: TypedNotice;
  dueAt: Date;
  /** After this moment the message is pointless and is dropped instead of sent. */
  staleAt: Date | null;
  /** Lower goes first when many are due at once. */
  priority?: number;
}

/** A row a sender has claimed, with what it needs to render and send it. */
export interface ClaimedMessage {
  id: number;
  dedupeKey: string;
  kind: string;
  meetingId: string | null;
  priority: number;
  personId: string | null;
  address: string;
  notice: Notice;
  /** The recipient's language now (it may have changed since planning). */
  locale: string;
  dueAt: Date;
  staleAt: Date | null;
  attempts: number;
  /** It was claimed before by a sender whose lease ran out: it may or may not have gone out. */
  reclaimed: boolean;
}

export interface SendOutcome {
  id: number;
  /** released: claimed but not sent because the sender is stopping; back to pending at once. */
  status: "sent" | "failed" | "dropped" | "retry" | "released";
  at: Date;
  externalMessageId?: string;
  error?: string;
  /** For retry: when to try again. */
  nextAttemptAt?: Date;
}
