/**
 * Every outbox dedupe key, built here and nowhere else. A key names one message to one
 * recipient about one event: planning it twice inserts it once. Keys that a later step looks
 * up by prefix (the last nudge, a task's pending reminder) have their prefix built here too,
 * so the two can never drift apart.
 */
export const dedupeKey = {
  /** A notice or reminder step of a meeting, to a person (or a group chat, by its address). */
  meetingStep: (kind: string, meetingId: string, step: string, recipient: string) => `${kind}:${meetingId}:${step}:${recipient}`,
  /** A move or cancellation of a meeting (its version counts the changes), to a person. */
  meetingChange: (kind: string, meetingId: string, version: number | string, personId: string) => `${kind}:${meetingId}:${version}:${personId}`,
  /** The secretary's one-off "remind those who have not answered". */
  nudge: (meetingId: string, at: Date, personId: string) => `${dedupeKey.nudgesOf(meetingId)}${at.getTime()}:${personId}`,
  nudgesOf: (meetingId: string) => `meeting.nudge:${meetingId}:`,
  /** A notice telling someone of an event (a join request, a decision, a task done); `about` names the event. */
  notify: (kind: string, about: string, personId: string) => `${kind}:${about}:${personId}`,
  /**
   * A message sent again on the person's other channel, the first having refused it. It keeps
   * the first key as its prefix, so lookups by prefix (the last nudge) still find it.
   */
  fallback: (firstKey: string, address: string) => `${firstKey}@${address}`,
  /** The officers told that a member cannot be reached on a channel. */
  unreachable: (personId: string, channel: string, officerId: string) => `member.unreachable:${personId}:${channel}:${officerId}`,
  /** The resolution's summary, to a person. */
  summary: (resolutionId: string, personId: string) => `resolution.summary:${resolutionId}:${personId}`,
  /** "Remind those who have not read it": a summary sent again. */
  summaryNudge: (resolutionId: string, at: Date, personId: string) => `${dedupeKey.summaryNudgesOf(resolutionId)}${at.getTime()}:${personId}`,
  summaryNudgesOf: (resolutionId: string) => `resolution.nudge:${resolutionId}:`,
  taskAssigned: (taskId: string) => `task.assigned:${taskId}`,
  /** An alert raised or withdrawn, to one recipient; raised again after a withdrawal, it is told again. */
  alert: (event: "raised" | "withdrawn", alertId: string, at: Date, personId: string) => `alert.${event}:${alertId}:${at.getTime()}:${personId}`,
  taskReminder: (taskId: string) => `task.reminder:${taskId}`,
  /** The morning-before reminder of a visit to a member; dropped when the visit is made. */
  visitReminder: (visitId: string) => `alert.visitReminder:${visitId}`,
};
