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
  /** pending = joined, waiting for the secretary's approval; sees no branch data yet. */
  state: "pending" | "active";
  role: BranchRole;
  memberType: MemberType;
  status: MemberStatus;
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
  memberships: BranchMembership[];
  supervision: Supervision[];
}

/** The headline role used to greet someone and to choose what /help lists. */
export type Persona = "admin" | "secretary" | "committee" | "member" | "pending" | "supervisor" | "stranger";

export const runsBranch = (m: BranchMembership) => m.state === "active" && (m.role === "secretary" || m.role === "deputy");

export function personaOf(actor: Actor): Persona {
  const active = actor.memberships.filter((m) => m.state === "active");
  if (active.some(runsBranch)) return "secretary";
  if (active.some((m) => m.role === "committee")) return "committee";
  if (active.length > 0) return "member";
  if (actor.supervision.length > 0) return "supervisor";
  if (actor.person.isAdmin) return "admin";
  if (actor.memberships.some((m) => m.state === "pending")) return "pending";
  return "stranger";
}
