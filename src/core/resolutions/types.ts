import type { MinutesCounts } from "../attendance/counts.ts";
import type { MeetingKind } from "../meetings/types.ts";

export interface Votes {
  for: number;
  against: number;
  abstain: number;
}

/** A task the resolution gives one roster member, due on a day of the branch calendar. */
export interface TaskDraft {
  ownerMembershipId: string;
  ownerName: string;
  description: string;
  /** YYYY-MM-DD in the branch timezone. */
  dueOn: string;
}

export interface Task extends TaskDraft {
  id: string;
  doneAt: Date | null;
}

/**
 * What the secretary adopted: the whole text as written ("text"), or the guided form's parts
 * ("form": results of last month, tasks with owners and deadlines, anything else in body).
 */
export interface ResolutionContent {
  format: "text" | "form";
  body: string | null;
  results: string | null;
  tasks: TaskDraft[];
  votes: Votes | null;
}

/** Everything the minutes and the resolution documents show, already read and counted. */
export interface MeetingDocumentData {
  /** The org unit directly above the branch, e.g. "Đảng ủy phường Bến Nghé". */
  orgUnitName: string;
  branchName: string;
  meetingKind: MeetingKind;
  startsAt: Date;
  timezone: string;
  /** Where the meeting was held (the venue, for the minutes' "Địa điểm"). */
  place: string | null;
  /** The commune, ward or village of the date line; null leaves it to be written by hand. */
  locality: string | null;
  agenda: string | null;
  thematicTopic: string | null;
  counts: MinutesCounts;
  presentNames: string[];
  guestNames: string[];
  /** Who chaired (the secretary) and who kept the minutes; a blank line to sign when unknown. */
  chairName: string | null;
  minuteTakerName: string | null;
  resolution: { number: number; content: ResolutionContent; votingBase: number; valid: boolean | null } | null;
}

/** A resolution as stored, with its tasks. */
export interface Resolution {
  id: string;
  branchId: string;
  meetingId: string;
  /** The number of the year ("01" of "Số: 01-NQ/CB"), counted per branch. */
  number: number;
  year: number;
  format: "text" | "form";
  body: string | null;
  results: string | null;
  votes: Votes | null;
  votingBase: number | null;
  valid: boolean | null;
  tasks: Array<Task & { ownerPersonId: string | null }>;
  createdBy: string | null;
  createdAt: Date;
  sentAt: Date | null;
}

/** Someone the summary goes to: a roster member (membershipId set) or a supervisor. */
export interface SummaryRecipient {
  personId: string | null;
  membershipId: string | null;
  name: string;
  /** From the roster, for the secretary to call someone Chibo cannot reach. */
  phone: string | null;
  /** Where their messages go; null when they have no reachable chat account. */
  address: string | null;
  wantsSummaries: boolean;
}
