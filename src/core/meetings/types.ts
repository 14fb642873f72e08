import type { ReminderStep } from "../branch-defaults.ts";

export type MeetingKind = "regular" | "thematic" | "committee" | "extraordinary";
export type MeetingStatus = "scheduled" | "cancelled" | "held";

export interface MeetingDocument {
  name: string;
  url?: string;
}

export interface Meeting {
  id: string;
  branchId: string;
  kind: MeetingKind;
  occurrenceKey: string | null;
  status: MeetingStatus;
  startsAt: Date;
  plannedStartsAt: Date | null;
  place: string | null;
  agenda: string | null;
  documents: MeetingDocument[];
  thematicTopic: string | null;
  cancelReason: string | null;
  sequence: number;
  durationMinutes: number;
  checkInCode: string | null;
  checkInExpiresAt: Date | null;
  rollCallClosedAt: Date | null;
}

/** A meeting with what planning its reminders needs from its branch. */
export interface PlannableMeeting extends Meeting {
  branchName: string;
  timezone: string;
  reminderPlan: ReminderStep[];
  defaultPlace: string | null;
  /** The branch's linked group chats' addresses. */
  groupChats: string[];
  /** Steps already planned into the outbox. */
  plannedSteps: string[];
}

/** Who gets a message, and where. */
export interface Recipient {
  personId: string;
  address: string;
  meetingId: string;
}
