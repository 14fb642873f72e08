/**
 * Every kind of proactive message the core sends. A producer can only name one of these
 * (Notice.kind), and handlers/index.ts checks at compile time that each has its renderer:
 * a kind added here without a renderer does not build, instead of failing at send time.
 */
export const NOTICE_KINDS = [
  "join.requested",
  "join.approved",
  "join.rejected",
  "meeting.notice",
  "meeting.reminder",
  "meeting.committee",
  "meeting.moved",
  "meeting.updated",
  "meeting.cancelled",
  "member.unreachable",
  "resolution.summary",
  "task.assigned",
  "task.reminder",
  "task.done",
  "rollcall.overridden",
  "rollcall.allowed",
  "rollcall.withdrawn",
  "alert.raised",
  "alert.withdrawn",
  "alert.visit",
  "alert.visitReminder",
  "alert.visitDone",
  "alert.memberReminder",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** A meeting as every notice about one names it (times are ISO instants, read in `timezone`). */
export type MeetingParams = { meetingId: string; meetingKind: string; branchName: string; startsAt: string; timezone: string; place: string | null };
/** A notice or reminder of a meeting, to a member, a supervisor or a group chat. */
type MeetingStepParams = MeetingParams & {
  agenda: string | null;
  /** The documents, as JSON of { name, url }[] (notice parameters are flat values). */
  documents: string | null;
  thematicTopic: string | null;
  minutesBefore: number;
  supervisor: boolean;
  group: boolean;
};
type TaskParams = { taskId: string; meetingId: string; description: string; dueOn: string; branchName: string; startsAt: string; timezone: string };
type BranchOnly = { branchName: string };
/** An absentee alert: the rule, the member (none for a meeting's rule), its period, and its facts as JSON. */
type AlertParams = { alertId: string; rule: string; branchName: string; name: string | null; period: string; details: string };
/** A committee member sent to talk with a member ("Giao gặp gỡ"): told, reminded, and the assigner told the outcome. */
type VisitParams = {
  visitId: string;
  alertId: string;
  rule: string;
  branchName: string;
  /** The member to talk with. */
  name: string;
  dueOn: string;
  assignedBy: string;
  assignee: string;
  outcome: string | null;
};

/**
 * What each kind carries. Parameters are flat values (they are stored as JSON in the outbox
 * row and rendered when sent); producers are checked against these at compile time, and so
 * is each renderer.
 */
export type NoticeParams = {
  "join.requested": { requestId: string; name: string; claimName: string | null; branchName: string };
  "join.approved": BranchOnly;
  "join.rejected": BranchOnly;
  "meeting.notice": MeetingStepParams;
  "meeting.reminder": MeetingStepParams;
  "meeting.committee": MeetingStepParams;
  "meeting.moved": MeetingParams & { previousStartsAt: string };
  "meeting.updated": MeetingParams & { agenda: string | null };
  "meeting.cancelled": MeetingParams & { reason: string | null };
  "member.unreachable": { name: string; channel: string; branchName: string };
  "resolution.summary": {
    meetingId: string;
    branchName: string;
    startsAt: string;
    timezone: string;
    format: string;
    body: string | null;
    results: string | null;
    /** JSON of { owner, description, dueOn }[]. */
    tasks: string;
    votesFor: number | null;
    votesAgainst: number | null;
    votesAbstain: number | null;
    votingBase: number;
    valid: boolean | null;
    present: number;
    expected: number;
    /** present ÷ expected; null when nobody was expected. */
    rate: number | null;
    supervisor: boolean;
    reminder: boolean;
  };
  "task.assigned": TaskParams;
  "task.reminder": TaskParams;
  "task.done": { owner: string; description: string; by: string };
  "rollcall.overridden": { by: string; name: string; present: boolean; absence: string | null };
  "rollcall.allowed": BranchOnly;
  "rollcall.withdrawn": BranchOnly;
  "alert.raised": AlertParams;
  "alert.withdrawn": AlertParams;
  "alert.visit": VisitParams;
  "alert.visitReminder": VisitParams;
  "alert.visitDone": VisitParams;
  /** A kind word to the member an alert is about, in the words of a template; the next meeting, if any, as an ISO instant. */
  "alert.memberReminder": { template: string; branchName: string; from: string; nextMeeting: string | null; place: string | null; timezone: string };
};

/**
 * What a renderer reads: its kind's parameters, and what is added on the way — the moment
 * the sender sends it, and on a group's notice the live tally of answers.
 */
export type RenderedParams<K extends NoticeKind> = NoticeParams[K] & {
  sendingAt?: string;
  tallyYes?: number;
  tallyNo?: number;
  tallyMaybe?: number;
  tallyNone?: number;
};

/** A notice as a producer writes it: its parameters are those of its kind. */
export type TypedNotice<K extends NoticeKind = NoticeKind> = { [P in K]: { kind: P; params: NoticeParams[P] } }[K];
