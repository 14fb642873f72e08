import type { ChannelName } from "./inbound.ts";
import type { OutgoingMessage } from "./message.ts";
import type { BranchMembership, Person, Supervision } from "./roles.ts";

/** Time is injected: the system clock in production, a movable one in the sandbox and tests. */
export interface Clock {
  now(): Date;
}

/** Result of handing one message to a channel. */
export type DeliveryResult =
  | { ok: true; externalMessageId?: string }
  // unreachable: the person blocked the bot or left; retry: try again later (after retryAfterMs if given).
  | { ok: false; reason: "unreachable" | "retry" | "rejected"; retryAfterMs?: number; detail: string };

/** Sends a message to a prefixed address through the right channel. */
export interface Notifier {
  send(address: string, message: OutgoingMessage): Promise<DeliveryResult>;
}

export interface IdentityInput {
  channel: ChannelName;
  externalId: string;
  displayName: string;
  address: string;
  locale: string;
}

export interface DialogState {
  kind: string;
  data: Record<string, unknown>;
  expiresAt: Date;
}

/** The store functions the core needs; implemented over drizzle in src/store. */
export interface Store {
  /** Runs fn with a store bound to one transaction; everything inside commits or rolls back together. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  findPersonByIdentity(channel: ChannelName, externalId: string): Promise<Person | undefined>;
  /** Creates the person and their first channel identity together. */
  createPersonWithIdentity(input: IdentityInput): Promise<Person>;
  /** Records that the identity was just used: refreshes its address and clears "unreachable". */
  touchIdentity(channel: ChannelName, externalId: string, address: string): Promise<void>;
  setPersonLocale(personId: string, locale: string): Promise<void>;
  listIdentities(personId: string): Promise<Array<{ channel: ChannelName; address: string; linkedAt: Date; unreachableAt: Date | null }>>;

  /** Memberships (pending and active) with the role, type and status in force on `day` (YYYY-MM-DD). */
  listMembershipsOfPerson(personId: string, day: string): Promise<BranchMembership[]>;
  listSupervisionOfPerson(personId: string): Promise<Supervision[]>;

  getDialog(personId: string, now: Date): Promise<DialogState | undefined>;
  setDialog(personId: string, state: DialogState, now: Date): Promise<void>;
  clearDialog(personId: string): Promise<void>;

  /** Remembers an update id; false when it was already there (a redelivery). */
  markUpdateProcessed(channel: ChannelName, updateId: number, at: Date): Promise<boolean>;
  pruneProcessedUpdates(before: Date): Promise<number>;
  deleteExpiredDialogs(now: Date): Promise<number>;
}
