import type { BranchRole, MemberStatus, MemberType } from "../roles.ts";

/** One roster row as the secretary sees it on a given day. */
export interface RosterEntry {
  membershipId: string;
  branchId: string;
  /** Null while nobody has claimed the row from a chat. */
  personId: string | null;
  name: string;
  phone: string | null;
  removed: boolean;
  role: BranchRole;
  memberType: MemberType;
  status: MemberStatus;
  /** End of a time-boxed status (temporarily exempt, transferred out, attached). */
  statusUntil: string | null;
  /** First day of the term in force. */
  termFrom: string;
  /** A committee member the secretary has allowed to mark people present at roll call. */
  callsRoll: boolean;
}

/** A change to a member's role, type or status, effective from a day (YYYY-MM-DD). */
export interface TermChange {
  from: string;
  role?: BranchRole;
  memberType?: MemberType;
  status?: MemberStatus;
  statusUntil?: string | null;
  note?: string;
}

/** Statuses that last until a date, after which the member is expected again. */
export const TIME_BOXED_STATUSES: ReadonlySet<MemberStatus> = new Set(["temporarily_exempt", "transferred_out", "attached"]);
