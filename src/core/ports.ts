import type { AlertEventInput, AlertHistoryEntry, AlertInput, AlertRow, AlertVisit, BookRow } from "./alerts/types.ts";
import type { NoticeKind } from "./notices.ts";
import type { CodeKind, StoredCode } from "./access/codes.ts";
import type { BranchScope } from "./access/permissions.ts";
import type { Branch, BranchSettings } from "./branches/types.ts";
import type { ChannelName } from "./inbound.ts";
import type { OutgoingMessage } from "./message.ts";
import type { BranchMembership, BranchRole, MemberStatus, MemberType, Person, Supervision } from "./roles.ts";
import type { RollCallEntry } from "./attendance/counts.ts";
import type { ReplyRow } from "./attendance/service.ts";
import type { ClaimedMessage, OutboxItem, SendOutcome } from "./delivery/types.ts";
import type { Meeting, MeetingKind, PlannableMeeting, Recipient } from "./meetings/types.ts";
import type { Resolution, ResolutionContent, SummaryRecipient } from "./resolutions/types.ts";
import type { JoinRequest } from "./roster/join.ts";
import type { RosterEntry, TermChange } from "./roster/types.ts";

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
  /** Replaces a message sent earlier, on channels that can (Telegram); absent where they cannot. */
  edit?(address: string, externalMessageId: string, message: OutgoingMessage): Promise<DeliveryResult>;
  /** Whether the address is a group chat, as its channel knows (group send limits apply). */
  isGroup?(address: string): boolean;
}

/**
 * Something to tell a person who is not the one talking (a secretary about a join request,
 * a member about their approval). Rendered in the recipient's language by the notice
 * renderers, from its kind and parameters, when it is sent (see delivery/notify.ts).
 */
export interface Notice {
  kind: NoticeKind;
  params: Record<string, string | number | boolean | null>;
}

export interface Notifications {
  /** Re-renders a message sent earlier in place (e.g. a notice's live tally); false where the channel cannot. */
  edit(address: string, externalMessageId: string, notice: Notice, locale: string): Promise<boolean>;
}

/**
 * Runs a job a little later, once for any number of requests with the same key in the
 * meantime: a burst of replies refreshes a group's notice once, within Telegram's edit limits.
 */
export interface Later {
  run(key: string, job: () => Promise<void>): void;
}

/** Builds links that open a chat with the bot (Telegram deep links), when a channel has them. */
export interface Links {
  startLink(code: string): string | undefined;
  /** Opens the private chat with the bot and nothing more (its start parameter is OPEN_CHAT_START). */
  openChat(): string | undefined;
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

/** A file kept behind a download link, for channels that cannot send documents. */
export interface StoredDownload {
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
  expiresAt: Date;
}

export interface OrgUnit {
  id: string;
  parentId: string | null;
  name: string;
  levelName: string | null;
}

export interface NewMemberInput {
  branchId: string;
  personId: string | null;
  name: string;
  phone: string | null;
  role: BranchRole;
  memberType: MemberType;
  status: MemberStatus;
  validFrom: string;
  statusUntil: string | null;
  createdBy: string | null;
}

export interface NewCode {
  code: string;
  kind: CodeKind;
  orgUnitId?: string | null;
  branchId?: string | null;
  personId?: string | null;
  createdBy?: string | null;
  expiresAt: Date;
  /** Null = unlimited uses until expiry. */
  maxUses: number | null;
  createdAt: Date;
}

export interface NewMeeting {
  branchId: string;
  kind: MeetingKind;
  /** "2026-12" for the rule's December occurrence; null for one-off meetings. */
  occurrenceKey: string | null;
  startsAt: Date;
  place: string | null;
  agenda: string | null;
  thematicTopic?: string | null;
  createdBy: string | null;
}

export type MeetingPatch = Partial<
  Pick<
    Meeting,
    | "startsAt"
    | "plannedStartsAt"
    | "place"
    | "agenda"
    | "documents"
    | "thematicTopic"
    | "status"
    | "cancelReason"
    | "checkInCode"
    | "checkInExpiresAt"
    | "rollCallClosedAt"
  >
>;

/** Who a reminder leaves out: nobody, those who answered yes or no, or those who said they will be absent. */
export type RecipientSkip = "none" | "answered" | "absent";

export interface RecipientQuery {
  meetingId: string;
  branchId: string;
  /** The meeting's day in the branch timezone: statuses are read as of that day. */
  day: string;
}

export interface BranchRuleRow {
  id: string;
  orgUnitId: string;
  name: string;
  timezone: string;
  meetingDay: number;
  meetingTime: string;
  holidayPolicy: string;
  committeeDaysBefore: number;
  defaultPlace: string | null;
}

export interface AuditEntry {
  actorPersonId: string | null;
  branchId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
  at: Date;
}

/** The store functions the core needs; implemented over drizzle in src/store. */
export interface Store {
  /** Runs fn with a store bound to one transaction; everything inside commits or rolls back together. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  people: {
    findByIdentity(channel: ChannelName, externalId: string): Promise<Person | undefined>;
    /** The language of everyone on a channel, by external id (the sandbox's persona list). */
    localesOnChannel(channel: ChannelName): Promise<Record<string, string>>;
    /** Creates the person and their first channel identity together. */
    createWithIdentity(input: IdentityInput): Promise<Person>;
    /** Records that the identity was just used: refreshes its address and clears "unreachable". */
    touchIdentity(channel: ChannelName, externalId: string, address: string): Promise<void>;
    get(personId: string): Promise<(Person & { phone: string | null; preferredChannel: string | null }) | undefined>;
    setLocale(personId: string, locale: string): Promise<void>;
    /** The name others see (a supervisor's full name instead of a chat first name). */
    setDisplayName(personId: string, name: string): Promise<void>;
    setAdmin(personId: string): Promise<void>;
    countAdmins(): Promise<number>;
    setPreferredChannel(personId: string, channel: ChannelName | null): Promise<void>;
    identities(personId: string): Promise<Array<{ channel: ChannelName; address: string; linkedAt: Date; unreachableAt: Date | null }>>;
    deliveryAddress(personId: string): Promise<{ address: string; locale: string } | undefined>;
    moveIdentity(channel: ChannelName, externalId: string, toPersonId: string, at: Date): Promise<void>;
    /** The platform refuses messages to this person's account on a channel (blocked, left). */
    markUnreachable(personId: string, channel: ChannelName, at: Date): Promise<void>;
    delete(personId: string): Promise<void>;
    eraseContact(personId: string, at: Date): Promise<void>;
    /** Memberships with the role, type and status in force on `day` (YYYY-MM-DD). */
    memberships(personId: string, day: string): Promise<BranchMembership[]>;
    supervision(personId: string): Promise<Supervision[]>;
  };

  /** Absentee alerts (SPEC §7), one per (rule, subject, period). */
  alerts: {
    /** The branches' open alerts, oldest first. */
    open(branchIds: string[]): Promise<AlertRow[]>;
    raise(alert: AlertInput, at: Date): Promise<{ id: string; raised: "new" | "reopened" } | undefined>;
    withdraw(id: string, at: Date): Promise<boolean>;
    get(id: string): Promise<(AlertRow & { resolvedAt: Date | null }) | undefined>;
    /** Closes an open alert as followed up; false when it was closed already. */
    handle(id: string, at: Date): Promise<boolean>;
    addEvent(event: AlertEventInput): Promise<void>;
    hasRead(alertId: string, personId: string): Promise<boolean>;
    history(alertId: string): Promise<AlertHistoryEntry[]>;
    insertVisit(input: { alertId: string; assigneePersonId: string; assignedBy: string; dueOn: string; at: Date }): Promise<string>;
    visits(alertId: string): Promise<AlertVisit[]>;
    getVisit(id: string): Promise<AlertVisit | undefined>;
    completeVisit(id: string, outcome: string, at: Date): Promise<boolean>;
    openVisitsOf(personId: string): Promise<AlertVisit[]>;
    /** Which of these alerts have a visit assigned and not yet made. */
    withPendingVisit(alertIds: string[]): Promise<Set<string>>;
  };

  /** Numbered choices offered in chats without buttons (see core/conversation/choices.ts). */
  choices: {
    offer(address: string, payloads: string[], at: Date, expiresAt: Date): Promise<void>;
    offered(address: string, now: Date): Promise<string[] | undefined>;
    offeredSince(address: string, since: Date, now: Date): Promise<string[] | undefined>;
    deleteExpired(now: Date): Promise<number>;
  };

  /** Files behind short-lived download links (see channels/downloads.ts). */
  downloads: {
    /** The new link's id. */
    create(input: { filename: string; mimeType: string; bytes: Uint8Array; expiresAt: Date; at: Date }): Promise<string>;
    /** Undefined when the link is unknown or has expired. */
    get(id: string, now: Date): Promise<StoredDownload | undefined>;
    prune(before: Date): Promise<number>;
  };

  /** Updates a platform will not deliver again, kept from arrival until handled (see schema/channel-inbox.ts). */
  inbox: {
    /** The stored row's id; undefined when the same update is already there. */
    receive(channel: ChannelName, key: string, payload: unknown, at: Date): Promise<number | undefined>;
    pending(channel: ChannelName): Promise<Array<{ id: number; payload: unknown }>>;
    handled(channel: ChannelName, id: number): Promise<void>;
  };

  dialogs: {
    get(personId: string, now: Date): Promise<DialogState | undefined>;
    set(personId: string, state: DialogState, now: Date): Promise<void>;
    clear(personId: string): Promise<void>;
    deleteExpired(now: Date): Promise<number>;
  };

  /** Refreshes the planner's statistics (daily, before the rule tick). */
  refreshStatistics(): Promise<void>;

  updates: {
    /** Remembers an update id; false when it was already there (a redelivery). */
    markProcessed(channel: ChannelName, updateId: number, at: Date): Promise<boolean>;
    prune(before: Date): Promise<number>;
  };

  orgUnits: {
    create(input: { name: string; levelName: string | null; parentId: string | null }): Promise<OrgUnit>;
    list(): Promise<OrgUnit[]>;
    get(id: string): Promise<OrgUnit | undefined>;
    /** The unit and every unit above it, nearest first. */
    chain(orgUnitId: string): Promise<string[]>;
    /** The unit and every unit below it. */
    subtree(orgUnitId: string): Promise<string[]>;
    branchScope(branchId: string): Promise<BranchScope | undefined>;
    /** The `settings` of the unit and of every unit above it, nearest first. */
    settingsChain(orgUnitId: string): Promise<Array<Record<string, unknown>>>;
    /** Replaces one section ("alerts") of the unit's settings. */
    setSettingsSection(orgUnitId: string, section: string, value: Record<string, unknown>): Promise<boolean>;
    branchesUnder(orgUnitIds: string[]): Promise<Array<{ id: string; name: string; orgUnitId: string }>>;
  };

  codes: {
    create(input: NewCode): Promise<StoredCode>;
    find(code: string): Promise<StoredCode | undefined>;
    /** Counts one use if the code is still usable; false when it no longer is. */
    consume(id: string, now: Date): Promise<boolean>;
    revoke(id: string, now: Date): Promise<void>;
    usable(filter: { kind: CodeKind; branchId?: string; orgUnitId?: string }, now: Date): Promise<StoredCode[]>;
    recordFailure(personId: string, at: Date): Promise<void>;
    countFailures(personId: string, since: Date): Promise<number>;
    pruneFailures(before: Date): Promise<number>;
  };

  branches: {
    create(input: { orgUnitId: string } & BranchSettings): Promise<string>;
    get(branchId: string): Promise<Branch | undefined>;
    getMany(branchIds: string[]): Promise<Branch[]>;
    update(branchId: string, patch: Partial<BranchSettings>): Promise<void>;
    /** Group chats linked to a branch, by their prefixed address, on any channel. */
    allIds(): Promise<string[]>;
    linkChat(branchId: string, address: string, channel: ChannelName, at: Date): Promise<void>;
    branchOfChat(address: string): Promise<string | undefined>;
    unlinkChats(branchId: string): Promise<number>;
    forgetChat(address: string): Promise<boolean>;
    moveChat(from: string, to: string): Promise<number>;
  };

  roster: {
    add(input: NewMemberInput): Promise<string>;
    list(branchId: string, day: string): Promise<RosterEntry[]>;
    get(membershipId: string, day: string): Promise<RosterEntry | undefined>;
    changeTerm(membershipId: string, change: TermChange, by: string | null): Promise<void>;
    /** First day of the latest term, which may lie in the future. */
    latestTermStart(membershipId: string): Promise<string | undefined>;
    remove(membershipId: string, day: string, at: Date): Promise<void>;
    setPhone(membershipId: string, phone: string | null): Promise<void>;
    setCallsRoll(membershipId: string, on: boolean): Promise<void>;
    rename(membershipId: string, name: string): Promise<void>;
    claim(membershipId: string, personId: string): Promise<boolean>;
    unclaimed(branchId: string): Promise<Array<{ membershipId: string; name: string }>>;
  };

  joins: {
    create(input: { branchId: string; personId: string; name: string; claimMembershipId: string | null; codeId: string | null; at: Date }): Promise<string>;
    get(id: string): Promise<JoinRequest | undefined>;
    pending(filter: { branchId?: string; personId?: string }): Promise<JoinRequest[]>;
    decide(id: string, status: "approved" | "rejected" | "withdrawn", by: string, at: Date): Promise<boolean>;
  };

  meetings: {
    insert(meetings: NewMeeting[]): Promise<string[]>;
    get(meetingId: string): Promise<Meeting | undefined>;
    list(branchId: string, from: Date, to: Date, includeCancelled: boolean): Promise<Meeting[]>;
    /** The meetings of many branches starting in (from, to], cancelled ones left out. */
    listOf(branchIds: string[], from: Date, to: Date): Promise<Meeting[]>;
    update(meetingId: string, patch: MeetingPatch, bumpSequence: boolean): Promise<void>;
    existingOccurrences(kind: MeetingKind, months: string[]): Promise<Set<string>>;
    daysOffByUnit(): Promise<Map<string, string[]>>;
    addDayOff(orgUnitId: string, day: string, note: string | null): Promise<boolean>;
    plannable(from: Date, to: Date): Promise<PlannableMeeting[]>;
    markStepPlanned(meetingId: string, step: string, at: Date, recipients: number): Promise<boolean>;
    clearPlannedSteps(meetingId: string): Promise<void>;
    /**
     * Expected members of each meeting (roles: only these roles; null = everyone expected),
     * leaving out those who answered it (skip "answered": yes or no) or said they will be absent.
     */
    recipients(meetings: RecipientQuery[], filter: { roles: readonly string[] | null; skip: RecipientSkip }): Promise<Recipient[]>;
    branchesWithThematic(from: Date, to: Date): Promise<Set<string>>;
    supervisorsOf(branchIds: string[]): Promise<Array<{ branchId: string; personId: string; address: string }>>;
    branchRules(): Promise<BranchRuleRow[]>;
  };

  outbox: {
    enqueue(items: OutboxItem[], now: Date): Promise<number>;
    /** `leaseNow`: the real time leases are measured in, when the app's clock is moved (the sandbox). */
    claim(now: Date, limit: number, leaseMs: number, leaseNow?: Date): Promise<ClaimedMessage[]>;
    record(outcomes: SendOutcome[]): Promise<void>;
    cancelPendingForMeeting(meetingId: string): Promise<number>;
    nextPendingDue(): Promise<Date | undefined>;
    countByStatus(): Promise<Record<string, number>>;
    lastPlanned(keyPrefix: string): Promise<Date | undefined>;
    cancelPendingByKey(keyPrefix: string): Promise<number>;
    /** The notices of a meeting already sent to group chats, with the platform's message id. */
    sentGroupNotices(meetingId: string): Promise<Array<{ address: string; externalMessageId: string; notice: Notice }>>;
  };

  attendance: {
    upsertReply(meetingId: string, membershipId: string, answer: string, reason: string | null, at: Date): Promise<void>;
    /** Everyone expected at the meeting with their reply, if any. */
    expected(meetingId: string, branchId: string, day: string, committeeOnly: boolean): Promise<ReplyRow[]>;
    /** Every member expected at each closed branch meeting of these branches starting in [from, to). */
    book(branchIds: string[], from: Date, to: Date): Promise<BookRow[]>;
  };

  rollCall: {
    records(meetingId: string): Promise<Array<RollCallEntry & { source: string; recordedBy: string | null; recordedAt: Date }>>;
    upsert(input: {
      meetingId: string;
      membershipId: string;
      present: boolean;
      absence: "excused" | "unexcused" | null;
      reason: string | null;
      source: string;
      by: string | null;
      at: Date;
    }): Promise<void>;
    addGuest(meetingId: string, name: string, note: string | null, at: Date): Promise<void>;
    guests(meetingId: string): Promise<Array<{ id: string; name: string }>>;
    /** False when the meeting has no guest with that id. */
    removeGuest(meetingId: string, guestId: string): Promise<boolean>;
  };

  resolutions: {
    /**
     * Undefined when the meeting has its resolution already. Numbers it the next of its
     * branch and year; run it in a transaction, which it holds the branch for until commit.
     */
    insert(input: {
      branchId: string;
      meetingId: string;
      year: number;
      content: ResolutionContent;
      votingBase: number;
      valid: boolean | null;
      createdBy: string;
      at: Date;
    }): Promise<{ id: string; number: number; taskIds: string[] } | undefined>;
    ofMeeting(meetingId: string): Promise<Resolution | undefined>;
    latest(branchId: string): Promise<Resolution | undefined>;
    markRead(resolutionId: string, personId: string, at: Date): Promise<boolean>;
    reads(resolutionId: string): Promise<Array<{ personId: string; readAt: Date }>>;
    summaryRecipients(branchId: string, day: string): Promise<SummaryRecipient[]>;
    getTask(taskId: string): Promise<
      | {
          id: string;
          resolutionId: string;
          meetingId: string;
          branchId: string;
          ownerPersonId: string | null;
          ownerName: string;
          description: string;
          dueOn: string;
          doneAt: Date | null;
        }
      | undefined
    >;
    markTaskDone(taskId: string, at: Date): Promise<boolean>;
    openTasksOf(personId: string): Promise<Array<{ id: string; description: string; dueOn: string; branchId: string }>>;
    setWantsSummaries(membershipId: string, wants: boolean): Promise<void>;
  };

  supervision: {
    /** Starts following an org unit or a branch; an existing identical assignment is kept. */
    assign(personId: string, target: { orgUnitId: string } | { branchId: string }, by: string | null, at: Date): Promise<void>;
  };

  audit: {
    record(entry: AuditEntry): Promise<void>;
  };
}
