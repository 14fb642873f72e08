/** An alert as stored: which rule, about which member or meeting, for which period. */
export interface AlertRow {
  id: string;
  branchId: string;
  rule: string;
  membershipId: string | null;
  meetingId: string | null;
  subjectKey: string;
  periodKey: string;
  details: Record<string, unknown>;
  raisedAt: Date;
}

export interface AlertInput {
  rule: string;
  branchId: string;
  membershipId: string | null;
  meetingId: string | null;
  subjectKey: string;
  periodKey: string;
  details: Record<string, unknown>;
}

/** One line of the attendance book: a member expected at a meeting whose roll call is closed. */
export interface BookRow {
  meetingId: string;
  branchId: string;
  membershipId: string;
  name: string;
  /** Null when the roll call has no line for the member (counted as undecided). */
  present: boolean | null;
  absence: "excused" | "unexcused" | null;
  /** The roll call's reason, else the one the member gave when replying. */
  reason: string | null;
  /** What the member answered to the notice beforehand, if anything. */
  reply: "yes" | "no" | "maybe" | null;
  /** The member's status that day (their term's): a member on special duty is expected, yet outside the rules. */
  status: string;
}

/** What can happen to an alert (SPEC §7's follow-up); deliveries come from the outbox as "sent". */
export type AlertEvent = "raised" | "reopened" | "read" | "assigned" | "visited" | "reminded" | "handled" | "withdrawn";

export interface AlertEventInput {
  alertId: string;
  event: AlertEvent;
  personId: string | null;
  note: string | null;
  at: Date;
}

export interface AlertHistoryEntry {
  event: string;
  note: string | null;
  at: Date;
  /** Who acted, or whom the notice reached; null for the rules themselves. */
  name: string | null;
}

/** A committee member sent to talk with the member an alert is about ("Giao gặp gỡ"). */
export interface AlertVisit {
  id: string;
  alertId: string;
  assigneePersonId: string;
  assignedBy: string | null;
  dueOn: string;
  doneAt: Date | null;
  outcome: string | null;
}
