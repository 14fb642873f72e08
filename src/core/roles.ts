/** Roles inside a branch, from the roster (SPEC §1). Deputy has the secretary's rights. */
export const BRANCH_ROLES = ["secretary", "deputy", "committee", "member"] as const;
export type BranchRole = (typeof BRANCH_ROLES)[number];

export const MEMBER_TYPES = ["full", "probationary"] as const;
export type MemberType = (typeof MEMBER_TYPES)[number];

export const MEMBER_STATUSES = ["active", "exempt", "temporarily_exempt", "transferred_out", "attached", "special_duty"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** A person's place in one branch at a given moment. */
export interface BranchMembership {
  membershipId: string;
  branchId: string;
  branchName: string;
  orgUnitName: string;
  role: BranchRole;
  memberType: MemberType;
  status: MemberStatus;
  /** Whether resolution summaries reach this member (exempt members often opt out). */
  wantsSummaries: boolean;
  /** A committee member allowed by the secretary to mark people present at roll call. */
  callsRoll: boolean;
}

/** What a supervisor follows: a whole org unit or one branch. */
export interface Supervision {
  orgUnitId: string | null;
  branchId: string | null;
  name: string;
}

export interface Person {
  id: string;
  displayName: string;
  locale: string;
  isAdmin: boolean;
}

/** Everything the handlers need to know about who is talking. */
export interface Actor {
  person: Person;
  /** Active roster rows only; a removed row is history, not a standing. */
  memberships: BranchMembership[];
  supervision: Supervision[];
  /** Branches the person asked to join and the secretary has not decided on yet. */
  pendingJoins: Array<{ branchId: string; branchName: string }>;
}

/** Secretary and deputy run the branch in the bot with the same rights. */
export const runsBranch = (m: BranchMembership) => m.role === "secretary" || m.role === "deputy";
