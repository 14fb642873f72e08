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
  "thematic.missing",
  "member.unreachable",
  "resolution.summary",
  "task.assigned",
  "task.reminder",
  "task.done",
  "rollcall.overridden",
  "rollcall.allowed",
  "rollcall.withdrawn",
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];
