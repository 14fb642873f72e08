import type { Actor } from "../roles.ts";

/**
 * Where a person stands relative to one branch. A secretary of one branch is a stranger to
 * the next; a supervisor stands over every branch under the org unit they follow. A roll
 * caller is a committee member the secretary has allowed to mark people present.
 */
export type Standing = "admin" | "secretary" | "deputy" | "committee" | "rollCaller" | "member" | "supervisor";

/**
 * Every action a person can take, with who may take it. This table is the rule: core
 * services check it before doing anything, and a test tries every action as every kind
 * of person (including one of another branch and a stranger).
 */
export const PERMISSIONS = {
  // The deployment: org units and the codes that let secretaries and supervisors in.
  "orgUnit.manage": ["admin"],
  "code.issue": ["admin"],
  // A branch's own data.
  "branch.view": ["secretary", "deputy", "committee", "member", "supervisor"],
  "branch.edit": ["secretary", "deputy"],
  "roster.view": ["secretary", "deputy", "committee", "supervisor"],
  "roster.edit": ["secretary", "deputy"],
  "roster.import": ["secretary", "deputy"],
  "roster.export": ["secretary", "deputy", "supervisor"],
  "invite.manage": ["secretary", "deputy"],
  "join.decide": ["secretary", "deputy"],
  "group.link": ["secretary", "deputy"],
  "contact.erase": ["secretary", "deputy"],
  "meeting.view": ["secretary", "deputy", "committee", "member", "supervisor"],
  "meeting.manage": ["secretary", "deputy"],
  // The committee sees who answered and who came; marking people present is for the
  // secretary, the deputy and the committee members the secretary has allowed to call the roll.
  "attendance.view": ["secretary", "deputy", "committee"],
  "rollcall.mark": ["secretary", "deputy", "rollCaller"],
  "rollcall.manage": ["secretary", "deputy"],
  "resolution.read": ["secretary", "deputy", "committee", "member", "supervisor"],
  "resolution.send": ["secretary", "deputy"],
  // The committee hears of a member's absences (A1–A4) and may be sent to talk with them.
  "alerts.view": ["secretary", "deputy", "committee", "supervisor"],
  // Following an alert up: sending someone to talk with the member, a kind reminder, closing it.
  "alerts.handle": ["secretary", "deputy", "supervisor"],
  "reports.view": ["secretary", "deputy", "supervisor"],
  // An org unit's thresholds and who hears of which alert; checked against the unit's chain.
  "alerts.configure": ["admin", "supervisor"],
} as const satisfies Record<string, readonly Standing[]>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/** A branch and the chain of org units above it (nearest first), for supervisor checks. */
export interface BranchScope {
  branchId: string;
  orgUnitIds: string[];
}

/** Deployment-wide actions take no branch. */
const DEPLOYMENT_ACTIONS: ReadonlySet<Action> = new Set(["orgUnit.manage", "code.issue"]);

export function standingsIn(actor: Actor, scope: BranchScope | undefined): Set<Standing> {
  const standings = new Set<Standing>();
  if (actor.person.isAdmin) standings.add("admin");
  if (!scope) return standings;
  for (const m of actor.memberships) {
    if (m.branchId !== scope.branchId) continue;
    standings.add(m.role);
    if (m.role === "committee" && m.callsRoll) standings.add("rollCaller");
  }
  const supervises = actor.supervision.some(
    (s) => (s.branchId !== null && s.branchId === scope.branchId) || (s.orgUnitId !== null && scope.orgUnitIds.includes(s.orgUnitId)),
  );
  if (supervises) standings.add("supervisor");
  return standings;
}

export function can(actor: Actor, action: Action, scope?: BranchScope): boolean {
  if (!DEPLOYMENT_ACTIONS.has(action) && !scope) return false;
  const allowed: readonly Standing[] = PERMISSIONS[action];
  for (const standing of standingsIn(actor, scope)) if (allowed.includes(standing)) return true;
  return false;
}

export type Forbidden = { ok: false; reason: "forbidden" };
export const forbidden: Forbidden = { ok: false, reason: "forbidden" };
