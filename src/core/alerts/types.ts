/** An alert as stored: which rule, about which member or meeting, for which period. */
export interface AlertRow {
  id: string;
  rule: string;
  membershipId: string | null;
  meetingId: string | null;
  subjectKey: string;
  periodKey: string;
  details: Record<string, unknown>;
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
