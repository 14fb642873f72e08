import type { CoreDeps } from "../deps.ts";
import { applyRule } from "../meetings/service.ts";
import type { Actor } from "../roles.ts";
import { codeProblem, DEFAULT_CODE_DAYS, generateCode, normalizeCode, type CodeKind, type CodeProblem, type StoredCode } from "./codes.ts";
import { can, forbidden, PERMISSIONS, type Action, type Forbidden, type Standing } from "./permissions.ts";

const DAY = 24 * 3600_000;
/** Wrong codes a person may type per hour before we stop checking: makes guessing hopeless. */
export const MAX_CODE_FAILURES_PER_HOUR = 10;

/**
 * On an empty deployment, the one-time code that makes its first admin; printed in the log
 * at start. Undefined once an admin exists. An unused, unexpired code is reused, so a
 * restart prints the same code.
 */
export async function ensureSetupCode(deps: CoreDeps): Promise<StoredCode | undefined> {
  const { store, clock } = deps;
  if ((await store.people.countAdmins()) > 0) return undefined;
  const [existing] = await store.codes.usable({ kind: "setup" }, clock.now());
  if (existing) return existing;
  return createCode(deps, { kind: "setup", maxUses: 1 });
}

async function createCode(
  deps: CoreDeps,
  input: { kind: CodeKind; orgUnitId?: string; branchId?: string; personId?: string; createdBy?: string; days?: number; maxUses: number | null },
): Promise<StoredCode> {
  const now = deps.clock.now();
  // A collision among 31^8 codes is unlikely but possible; the unique key catches it and we draw again.
  for (let attempt = 0; ; attempt++) {
    try {
      return await deps.store.codes.create({
        code: generateCode(input.kind),
        kind: input.kind,
        orgUnitId: input.orgUnitId ?? null,
        branchId: input.branchId ?? null,
        personId: input.personId ?? null,
        createdBy: input.createdBy ?? null,
        expiresAt: new Date(now.getTime() + (input.days ?? DEFAULT_CODE_DAYS[input.kind]) * DAY),
        maxUses: input.maxUses,
        createdAt: now,
      });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

export { createCode as createAccessCode };

export type LookupResult = { ok: true; code: StoredCode } | { ok: false; reason: CodeProblem | "too_many_attempts" | "not_a_code" };

/**
 * Finds a typed or linked code for a person. Failures are counted, and after too many in an
 * hour every lookup is refused without checking, so codes cannot be guessed.
 */
export async function lookUpCode(deps: CoreDeps, actor: Actor, input: string): Promise<LookupResult> {
  const { store, clock } = deps;
  const now = clock.now();
  const normalized = normalizeCode(input);
  if (!normalized) return { ok: false, reason: "not_a_code" };
  const failures = await store.codes.countFailures(actor.person.id, new Date(now.getTime() - 3600_000));
  if (failures >= MAX_CODE_FAILURES_PER_HOUR) return { ok: false, reason: "too_many_attempts" };
  const code = await store.codes.find(normalized);
  const problem = codeProblem(code, now);
  if (problem) {
    await store.codes.recordFailure(actor.person.id, now);
    return { ok: false, reason: problem };
  }
  return { ok: true, code: code! };
}

/** A code found again while a dialog continues: its state is checked, but no failure is counted. */
export async function reloadCode(deps: CoreDeps, input: string): Promise<{ ok: true; code: StoredCode } | { ok: false; reason: CodeProblem }> {
  const normalized = normalizeCode(input);
  const code = normalized ? await deps.store.codes.find(normalized) : undefined;
  const problem = codeProblem(code, deps.clock.now());
  return problem ? { ok: false, reason: problem } : { ok: true, code: code! };
}

/** Redeems the setup code: the person becomes the deployment's admin. */
export async function becomeAdmin(deps: CoreDeps, actor: Actor, code: StoredCode): Promise<{ ok: true } | { ok: false; reason: "used" }> {
  return deps.store.transaction(async (tx) => {
    if (!(await tx.codes.consume(code.id, deps.clock.now()))) return { ok: false, reason: "used" };
    await tx.people.setAdmin(actor.person.id);
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: null,
      action: "admin.bootstrap",
      entity: "person",
      entityId: actor.person.id,
      at: deps.clock.now(),
    });
    return { ok: true };
  });
}

/** Whether the person may take an action in a branch (for showing only the buttons that will work). */
export async function allows(deps: CoreDeps, actor: Actor, action: Action, branchId: string): Promise<boolean> {
  const scope = await deps.store.orgUnits.branchScope(branchId);
  return scope !== undefined && can(actor, action, scope);
}

/**
 * The branches where the person may take an action: their own (by role) and, for actions
 * supervisors may take, every branch under what they follow.
 */
export async function branchesFor(deps: CoreDeps, actor: Actor, action: Action): Promise<Array<{ id: string; name: string }>> {
  const allowed: readonly Standing[] = PERMISSIONS[action];
  const found = new Map<string, string>();
  for (const m of actor.memberships) if (allowed.includes(m.role)) found.set(m.branchId, m.branchName);
  if (allowed.includes("supervisor")) {
    for (const s of actor.supervision) {
      if (s.branchId) found.set(s.branchId, s.name);
      if (s.orgUnitId) for (const b of await deps.store.orgUnits.branchesUnder(await deps.store.orgUnits.subtree(s.orgUnitId))) found.set(b.id, b.name);
    }
  }
  return [...found].map(([id, name]) => ({ id, name }));
}

export interface OrgUnitInput {
  name: string;
  levelName: string | null;
  parentId: string | null;
}

export async function createOrgUnit(deps: CoreDeps, actor: Actor, input: OrgUnitInput) {
  if (!can(actor, "orgUnit.manage")) return forbidden;
  const name = input.name.replace(/\s+/g, " ").trim();
  if (name.length < 3 || name.length > 150) return { ok: false as const, reason: "bad_name" as const };
  if (input.parentId && !(await deps.store.orgUnits.get(input.parentId))) return { ok: false as const, reason: "unknown_parent" as const };
  const unit = await deps.store.orgUnits.create({ ...input, name });
  await deps.store.audit.record({
    actorPersonId: actor.person.id,
    branchId: null,
    action: "orgUnit.create",
    entity: "org_unit",
    entityId: unit.id,
    after: unit,
    at: deps.clock.now(),
  });
  return { ok: true as const, unit };
}

export async function listOrgUnits(deps: CoreDeps, actor: Actor) {
  if (!can(actor, "orgUnit.manage")) return forbidden;
  return { ok: true as const, units: await deps.store.orgUnits.list() };
}

/**
 * A code for a secretary to register a branch under an org unit (single use), or for a
 * supervisor to follow an org unit or one branch.
 */
export async function issueCode(
  deps: CoreDeps,
  actor: Actor,
  input: { kind: "secretary" | "supervisor"; orgUnitId?: string; branchId?: string; days?: number },
): Promise<{ ok: true; code: StoredCode; link: string | undefined; targetName: string } | Forbidden | { ok: false; reason: "unknown_target" | "bad_days" }> {
  if (!can(actor, "code.issue")) return forbidden;
  // A secretary registers under an org unit; a supervisor follows an org unit or one branch.
  const target = input.kind === "secretary" || !input.branchId ? { orgUnitId: input.orgUnitId } : { branchId: input.branchId };
  const exists = target.orgUnitId
    ? await deps.store.orgUnits.get(target.orgUnitId)
    : target.branchId
      ? await deps.store.branches.get(target.branchId)
      : undefined;
  if (!exists) return { ok: false, reason: "unknown_target" };
  if (input.days !== undefined && (input.days < 1 || input.days > 90)) return { ok: false, reason: "bad_days" };
  const code = await createCode(deps, {
    kind: input.kind,
    ...target,
    createdBy: actor.person.id,
    maxUses: 1,
    ...(input.days ? { days: input.days } : {}),
  });
  return { ok: true, code, link: deps.links.startLink(code.code), targetName: exists.name };
}

/** Branches in an org unit's subtree, for an admin choosing one to assign a supervisor to. */
export async function branchesUnder(deps: CoreDeps, actor: Actor, orgUnitId: string) {
  if (!can(actor, "orgUnit.manage")) return forbidden;
  return { ok: true as const, branches: await deps.store.orgUnits.branchesUnder(await deps.store.orgUnits.subtree(orgUnitId)) };
}

/** Withdraws a code: admins for secretary and supervisor codes; invites are the secretary's (roster service). */
export async function revokeIssuedCode(deps: CoreDeps, actor: Actor, input: string): Promise<{ ok: true } | Forbidden | { ok: false; reason: "unknown" }> {
  if (!can(actor, "code.issue")) return forbidden;
  const normalized = normalizeCode(input);
  const code = normalized ? await deps.store.codes.find(normalized) : undefined;
  if (!code || (code.kind !== "secretary" && code.kind !== "supervisor")) return { ok: false, reason: "unknown" };
  await deps.store.codes.revoke(code.id, deps.clock.now());
  return { ok: true };
}

/**
 * Extra days off an org unit announces (the government's Tết break, a bridge day). Branches
 * below it see them at once: their future rule meetings are placed again.
 */
export async function addDaysOff(
  deps: CoreDeps,
  actor: Actor,
  orgUnitId: string,
  days: string[],
  note: string | null,
): Promise<{ ok: true; added: number; moved: number } | Forbidden | { ok: false; reason: "unknown_target" | "too_many" }> {
  if (!can(actor, "orgUnit.manage")) return forbidden;
  if (!(await deps.store.orgUnits.get(orgUnitId))) return { ok: false, reason: "unknown_target" };
  if (days.length > 60) return { ok: false, reason: "too_many" };
  let added = 0;
  for (const day of days) if (await deps.store.meetings.addDayOff(orgUnitId, day, note)) added++;
  await deps.store.audit.record({
    actorPersonId: actor.person.id,
    branchId: null,
    action: "orgUnit.daysOff",
    entity: "org_unit",
    entityId: orgUnitId,
    after: { days, note },
    at: deps.clock.now(),
  });
  let moved = 0;
  for (const branch of await deps.store.orgUnits.branchesUnder(await deps.store.orgUnits.subtree(orgUnitId))) moved += await applyRule(deps, branch.id);
  return { ok: true, added, moved };
}
