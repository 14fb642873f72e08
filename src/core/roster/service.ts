import type { StoredCode } from "../access/codes.ts";
import { can, forbidden, type Action, type BranchScope, type Forbidden } from "../access/permissions.ts";
import { createAccessCode } from "../access/service.ts";
import type { CoreDeps } from "../deps.ts";
import type { Actor, BranchRole } from "../roles.ts";
import { addDays, localDay } from "../time.ts";
import { planImport, type MemberUpdate } from "./import-plan.ts";
import { parseRosterTable, type RosterColumn, type RosterImportRow, type RowError } from "./import-rules.ts";
import { cleanFullName, matchRosterRow, type JoinRequest } from "./join.ts";
import { TIME_BOXED_STATUSES, type RosterEntry, type TermChange } from "./types.ts";
import { notify } from "../delivery/notify.ts";
import { sendNoticesAlreadyOut } from "../meetings/planner.ts";

type Scoped = { ok: true; scope: BranchScope; today: string; timezone: string; branchName: string } | Forbidden;

/** Checks the action on the branch and gives the branch's "today" (its own timezone). */
async function authorize(deps: CoreDeps, actor: Actor, branchId: string, action: Action): Promise<Scoped> {
  const scope = await deps.store.orgUnits.branchScope(branchId);
  if (!scope || !can(actor, action, scope)) return forbidden;
  const branch = await deps.store.branches.get(branchId);
  const timezone = branch?.timezone ?? deps.timezone;
  return { ok: true, scope, timezone, branchName: branch?.name ?? "", today: localDay(deps.clock.now(), timezone) };
}

/** The roster entry and its branch, if the actor may take the action on it. */
async function authorizeEntry(deps: CoreDeps, actor: Actor, membershipId: string, action: Action) {
  const today = localDay(deps.clock.now(), deps.timezone);
  const entry = await deps.store.roster.get(membershipId, today);
  if (!entry) return forbidden;
  const scoped = await authorize(deps, actor, entry.branchId, action);
  if (!scoped.ok) return scoped;
  // Re-read in the branch's own day, which can differ from the deployment's near midnight.
  const current = (await deps.store.roster.get(membershipId, scoped.today)) ?? entry;
  return { ...scoped, entry: current };
}

export async function listRoster(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
): Promise<{ ok: true; branchName: string; entries: RosterEntry[]; pending: JoinRequest[] } | Forbidden> {
  const scoped = await authorize(deps, actor, branchId, "roster.view");
  if (!scoped.ok) return scoped;
  const [entries, pending] = await Promise.all([deps.store.roster.list(branchId, scoped.today), deps.store.joins.pending({ branchId })]);
  return { ok: true, branchName: scoped.branchName, entries: sortRoster(entries), pending: can(actor, "join.decide", scoped.scope) ? pending : [] };
}

const collator = new Intl.Collator("vi", { sensitivity: "base" });
/** Vietnamese rosters are ordered by given name (the last word), then the full name. */
export function sortRoster<T extends { name: string }>(entries: T[]): T[] {
  const given = (name: string) => name.trim().split(/\s+/).at(-1) ?? name;
  return [...entries].sort((a, b) => collator.compare(given(a.name), given(b.name)) || collator.compare(a.name, b.name));
}

/** One member's card; `today` is the branch's own day, the default start of a change. */
export async function viewMember(deps: CoreDeps, actor: Actor, membershipId: string): Promise<{ ok: true; entry: RosterEntry; today: string } | Forbidden> {
  const found = await authorizeEntry(deps, actor, membershipId, "roster.view");
  return found.ok ? { ok: true, entry: found.entry, today: found.today } : found;
}

/** Adds people by name (one per line): full members, active from today. */
export async function addMembers(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
  names: string[],
): Promise<
  | { ok: true; added: string[]; skipped: Array<{ name: string; reason: "bad_name" | "already_on_roster" | "duplicate" }> }
  | Forbidden
  | { ok: false; reason: "too_many" }
> {
  const scoped = await authorize(deps, actor, branchId, "roster.edit");
  if (!scoped.ok) return scoped;
  if (names.length > 50) return { ok: false, reason: "too_many" };
  const existing = await deps.store.roster.list(branchId, scoped.today);
  const added: string[] = [];
  const skipped: Array<{ name: string; reason: "bad_name" | "already_on_roster" | "duplicate" }> = [];
  await deps.store.transaction(async (tx) => {
    for (const raw of names) {
      const name = cleanFullName(raw);
      if (!name) {
        if (raw.trim()) skipped.push({ name: raw.trim().slice(0, 60), reason: "bad_name" });
        continue;
      }
      if (matchRosterRow(name, existing)) {
        skipped.push({ name, reason: "already_on_roster" });
        continue;
      }
      if (
        matchRosterRow(
          name,
          added.map((n) => ({ name: n })),
        )
      ) {
        skipped.push({ name, reason: "duplicate" });
        continue;
      }
      const id = await tx.roster.add({
        branchId,
        personId: null,
        name,
        phone: null,
        role: "member",
        memberType: "full",
        status: "active",
        validFrom: scoped.today,
        statusUntil: null,
        createdBy: actor.person.id,
      });
      await tx.audit.record({
        actorPersonId: actor.person.id,
        branchId,
        action: "roster.add",
        entity: "membership",
        entityId: id,
        after: { name },
        at: deps.clock.now(),
      });
      added.push(name);
    }
  });
  return { ok: true, added, skipped };
}

export type ChangeProblem = "last_secretary" | "before_term" | "until_required" | "until_before_from" | "removed" | "future_too_far";

/**
 * Changes role, type or status from a day. The open term ends that day and a new one
 * starts, so reports for earlier months keep the roster as it was.
 */
export async function changeMember(
  deps: CoreDeps,
  actor: Actor,
  membershipId: string,
  change: TermChange,
): Promise<{ ok: true; entry: RosterEntry } | Forbidden | { ok: false; reason: ChangeProblem }> {
  const found = await authorizeEntry(deps, actor, membershipId, "roster.edit");
  if (!found.ok) return found;
  const { entry } = found;
  if (entry.removed) return { ok: false, reason: "removed" };
  // A change already planned for a later day (a status from next week) is the one to build on.
  if (change.from < ((await deps.store.roster.latestTermStart(membershipId)) ?? entry.termFrom)) return { ok: false, reason: "before_term" };
  if (change.from > addDays(found.today, 366)) return { ok: false, reason: "future_too_far" };
  const status = change.status ?? entry.status;
  if (change.status !== undefined && TIME_BOXED_STATUSES.has(status)) {
    if (!change.statusUntil) return { ok: false, reason: "until_required" };
    if (change.statusUntil <= change.from) return { ok: false, reason: "until_before_from" };
  }
  if (change.role && !isOfficer(change.role) && isOfficer(entry.role) && (await officersLeft(deps, entry.branchId, found.today, membershipId)) === 0) {
    return { ok: false, reason: "last_secretary" };
  }
  const effective: TermChange = change.status !== undefined && !TIME_BOXED_STATUSES.has(status) ? { ...change, statusUntil: null } : change;
  await deps.store.transaction(async (tx) => {
    await tx.roster.changeTerm(membershipId, effective, actor.person.id);
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: entry.branchId,
      action: "roster.change",
      entity: "membership",
      entityId: membershipId,
      before: { role: entry.role, memberType: entry.memberType, status: entry.status, statusUntil: entry.statusUntil },
      after: effective,
      at: deps.clock.now(),
    });
  });
  // The member as they will be from the change's day, which may be in the future.
  return { ok: true, entry: (await deps.store.roster.get(membershipId, change.from)) ?? entry };
}

const isOfficer = (role: BranchRole) => role === "secretary" || role === "deputy";

async function officersLeft(deps: CoreDeps, branchId: string, day: string, except: string): Promise<number> {
  const roster = await deps.store.roster.list(branchId, day);
  return roster.filter((e) => e.membershipId !== except && isOfficer(e.role) && e.personId).length;
}

/** Takes a member off the roster from today. Their past records stay; nobody is deleted. */
export async function removeMember(
  deps: CoreDeps,
  actor: Actor,
  membershipId: string,
): Promise<{ ok: true; entry: RosterEntry } | Forbidden | { ok: false; reason: "last_secretary" | "removed" }> {
  const found = await authorizeEntry(deps, actor, membershipId, "roster.edit");
  if (!found.ok) return found;
  const { entry } = found;
  if (entry.removed) return { ok: false, reason: "removed" };
  if (isOfficer(entry.role) && (await officersLeft(deps, entry.branchId, found.today, membershipId)) === 0) return { ok: false, reason: "last_secretary" };
  await deps.store.transaction(async (tx) => {
    // A row added today and removed today keeps a one-day term rather than none.
    await tx.roster.remove(membershipId, entry.termFrom === found.today ? addDays(found.today, 1) : found.today, deps.clock.now());
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: entry.branchId,
      action: "roster.remove",
      entity: "membership",
      entityId: membershipId,
      before: { name: entry.name },
      at: deps.clock.now(),
    });
  });
  return { ok: true, entry };
}

/** Only removed members' contact data can be erased: chat accounts and phone, not the name in past records. */
export async function eraseContact(
  deps: CoreDeps,
  actor: Actor,
  membershipId: string,
): Promise<{ ok: true } | Forbidden | { ok: false; reason: "still_member" | "other_branch" }> {
  const found = await authorizeEntry(deps, actor, membershipId, "contact.erase");
  if (!found.ok) return found;
  const { entry } = found;
  if (!entry.removed) return { ok: false, reason: "still_member" };
  if (entry.personId && (await deps.store.people.memberships(entry.personId, found.today)).length > 0) return { ok: false, reason: "other_branch" };
  await deps.store.transaction(async (tx) => {
    await tx.roster.setPhone(membershipId, null);
    if (entry.personId) await tx.people.eraseContact(entry.personId, deps.clock.now());
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: entry.branchId,
      action: "contact.erase",
      entity: "membership",
      entityId: membershipId,
      at: deps.clock.now(),
    });
  });
  return { ok: true };
}

export async function setMemberPhone(deps: CoreDeps, actor: Actor, membershipId: string, phone: string | null): Promise<{ ok: true } | Forbidden> {
  const found = await authorizeEntry(deps, actor, membershipId, "roster.edit");
  if (!found.ok) return found;
  await deps.store.roster.setPhone(membershipId, phone);
  return { ok: true };
}

/**
 * Lets a committee member mark people present at roll call, or takes it back. Deciding
 * whether an absence is excused and closing the roll call stay with the secretary and deputy.
 */
export async function setCallsRoll(
  deps: CoreDeps,
  actor: Actor,
  membershipId: string,
  on: boolean,
): Promise<{ ok: true; entry: RosterEntry } | Forbidden | { ok: false; reason: "removed" | "not_committee" }> {
  const found = await authorizeEntry(deps, actor, membershipId, "roster.edit");
  if (!found.ok) return found;
  const { entry } = found;
  if (entry.removed) return { ok: false, reason: "removed" };
  if (entry.role !== "committee") return { ok: false, reason: "not_committee" };
  if (entry.callsRoll === on) return { ok: true, entry };
  await deps.store.transaction(async (tx) => {
    await tx.roster.setCallsRoll(membershipId, on);
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: entry.branchId,
      action: "roster.calls_roll",
      entity: "membership",
      entityId: membershipId,
      before: { callsRoll: !on },
      after: { callsRoll: on },
      at: deps.clock.now(),
    });
  });
  if (entry.personId) {
    await notify(
      deps,
      [entry.personId],
      { kind: on ? "rollcall.allowed" : "rollcall.withdrawn", params: { branchName: found.branchName } },
      `${membershipId}:${deps.clock.now().getTime()}`,
    );
  }
  return { ok: true, entry: { ...entry, callsRoll: on } };
}

export interface ImportPreview {
  ok: true;
  /** Every valid row, kept in the dialog until the secretary confirms. */
  rows: RosterImportRow[];
  add: RosterImportRow[];
  update: MemberUpdate[];
  unchanged: Array<{ line: number; name: string }>;
  /** The file's broken rows and the rows that cannot be merged, by line. */
  errors: RowError[];
  columns: RosterColumn[];
}

/** Reads an import file's table against the roster: who is new, who is updated, what is broken. Nothing is written. */
export async function previewImport(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
  table: Array<{ line: number; cells: string[] }>,
): Promise<ImportPreview | Forbidden | { ok: false; reason: "no_header" | "no_rows" | "too_many_rows" }> {
  const scoped = await authorize(deps, actor, branchId, "roster.import");
  if (!scoped.ok) return scoped;
  const parsed = parseRosterTable(table);
  if (!parsed.ok) return parsed;
  const plan = planImport(parsed.rows, await deps.store.roster.list(branchId, scoped.today), scoped.today);
  const errors = [...parsed.errors, ...plan.errors].sort((a, b) => a.line - b.line);
  const broken = new Set(plan.errors.map((e) => e.line));
  return {
    ok: true,
    rows: parsed.rows.filter((r) => !broken.has(r.line)),
    add: plan.add,
    update: plan.update,
    unchanged: plan.unchanged,
    errors,
    columns: parsed.columns,
  };
}

/**
 * Writes the rows the secretary confirmed, all or nothing: new members are added, members
 * already on the roster get what the file states about them. The roster is read again, so a
 * row whose person was added meanwhile updates them instead of adding a second row.
 */
export async function applyImport(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
  rows: RosterImportRow[],
): Promise<{ ok: true; added: number; updated: string[]; unchanged: number; skipped: number } | Forbidden> {
  const scoped = await authorize(deps, actor, branchId, "roster.import");
  if (!scoped.ok) return scoped;
  const plan = planImport(rows, await deps.store.roster.list(branchId, scoped.today), scoped.today);
  let added = 0;
  await deps.store.transaction(async (tx) => {
    for (const update of plan.update) await applyUpdate(deps, tx, actor, branchId, update);
    for (const row of plan.add) {
      // A status with a start date in the past begins then; otherwise today.
      const validFrom = row.statusFrom && row.statusFrom < scoped.today ? row.statusFrom : scoped.today;
      await tx.roster.add({
        branchId,
        personId: null,
        name: row.name,
        phone: row.phone,
        role: row.role,
        memberType: row.memberType,
        status: row.status,
        validFrom,
        statusUntil: TIME_BOXED_STATUSES.has(row.status) ? row.statusUntil : null,
        createdBy: actor.person.id,
      });
      added++;
    }
    const after = { added, updated: plan.update.length, unchanged: plan.unchanged.length, skipped: plan.errors.length };
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId,
      action: "roster.import",
      entity: "branch",
      entityId: branchId,
      after,
      at: deps.clock.now(),
    });
  });
  return { ok: true, added, updated: plan.update.map((u) => u.name), unchanged: plan.unchanged.length, skipped: plan.errors.length };
}

/** One member's row of the file merged into their record, with its own audit entry. */
async function applyUpdate(deps: CoreDeps, tx: CoreDeps["store"], actor: Actor, branchId: string, update: MemberUpdate): Promise<void> {
  const { membershipId, phone, memberType, role, status, statusUntil } = update;
  if (phone) await tx.roster.setPhone(membershipId, phone);
  if (memberType || role || status) {
    // A change already planned for a later day is the one to build on.
    const latest = (await tx.roster.latestTermStart(membershipId)) ?? update.from;
    const change: TermChange = {
      from: latest > update.from ? latest : update.from,
      ...(memberType ? { memberType } : {}),
      ...(role ? { role } : {}),
      ...(status ? { status, statusUntil: statusUntil ?? null } : {}),
    };
    await tx.roster.changeTerm(membershipId, change, actor.person.id);
  }
  await tx.audit.record({
    actorPersonId: actor.person.id,
    branchId,
    action: "roster.import.update",
    entity: "membership",
    entityId: membershipId,
    after: update,
    at: deps.clock.now(),
  });
}

/** The roster for export: the same rows the secretary sees, in roster order. */
export async function exportRoster(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
): Promise<{ ok: true; entries: RosterEntry[]; branchName: string; today: string } | Forbidden> {
  const scoped = await authorize(deps, actor, branchId, "roster.export");
  if (!scoped.ok) return scoped;
  return { ok: true, entries: sortRoster(await deps.store.roster.list(branchId, scoped.today)), branchName: scoped.branchName, today: scoped.today };
}

export interface Invite {
  code: StoredCode;
  link: string | undefined;
}

/** The branch's current invite, created on first request. */
export async function currentInvite(deps: CoreDeps, actor: Actor, branchId: string): Promise<{ ok: true; invite: Invite } | Forbidden> {
  const scoped = await authorize(deps, actor, branchId, "invite.manage");
  if (!scoped.ok) return scoped;
  const [usable] = await deps.store.codes.usable({ kind: "invite", branchId }, deps.clock.now());
  const code = usable ?? (await createAccessCode(deps, { kind: "invite", branchId, createdBy: actor.person.id, maxUses: null }));
  return { ok: true, invite: { code, link: deps.links.startLink(code.code) } };
}

/** Revokes every usable invite of the branch and issues a fresh one (e.g. after a link leaked). */
export async function renewInvite(deps: CoreDeps, actor: Actor, branchId: string): Promise<{ ok: true; invite: Invite } | Forbidden> {
  const scoped = await authorize(deps, actor, branchId, "invite.manage");
  if (!scoped.ok) return scoped;
  const now = deps.clock.now();
  for (const code of await deps.store.codes.usable({ kind: "invite", branchId }, now)) await deps.store.codes.revoke(code.id, now);
  const code = await createAccessCode(deps, { kind: "invite", branchId, createdBy: actor.person.id, maxUses: null });
  return { ok: true, invite: { code, link: deps.links.startLink(code.code) } };
}

export async function revokeInvites(deps: CoreDeps, actor: Actor, branchId: string): Promise<{ ok: true; revoked: number } | Forbidden> {
  const scoped = await authorize(deps, actor, branchId, "invite.manage");
  if (!scoped.ok) return scoped;
  const now = deps.clock.now();
  const codes = await deps.store.codes.usable({ kind: "invite", branchId }, now);
  for (const code of codes) await deps.store.codes.revoke(code.id, now);
  return { ok: true, revoked: codes.length };
}

/** What an invite leads to, told to its holder before they join (nothing else of the branch). */
export async function inviteTarget(deps: CoreDeps, code: StoredCode): Promise<{ branchName: string; orgUnitName: string } | undefined> {
  if (code.kind !== "invite" || !code.branchId) return undefined;
  const branch = await deps.store.branches.get(code.branchId);
  return branch ? { branchName: branch.name, orgUnitName: branch.orgUnitName } : undefined;
}

export type JoinProblem = "wrong_code" | "already_member" | "already_pending" | "bad_name" | "code_no_longer_valid";

/**
 * Someone who opened an invite asks to join under the name they typed. A matching
 * unclaimed roster row is proposed to the secretary, who confirms; until then the person
 * sees nothing of the branch.
 */
export async function requestToJoin(
  deps: CoreDeps,
  actor: Actor,
  code: StoredCode,
  typedName: string,
): Promise<{ ok: true; request: JoinRequest } | { ok: false; reason: JoinProblem }> {
  if (code.kind !== "invite" || !code.branchId) return { ok: false, reason: "wrong_code" };
  const branchId = code.branchId;
  const name = cleanFullName(typedName);
  if (!name) return { ok: false, reason: "bad_name" };
  if (actor.memberships.some((m) => m.branchId === branchId)) return { ok: false, reason: "already_member" };
  if ((await deps.store.joins.pending({ branchId, personId: actor.person.id })).length > 0) return { ok: false, reason: "already_pending" };
  const now = deps.clock.now();
  const claim = matchRosterRow(name, await deps.store.roster.unclaimed(branchId));
  const id = await deps.store.transaction(async (tx) => {
    if (!(await tx.codes.consume(code.id, now))) return undefined;
    return tx.joins.create({ branchId, personId: actor.person.id, name, claimMembershipId: claim?.membershipId ?? null, codeId: code.id, at: now });
  });
  if (!id) return { ok: false, reason: "code_no_longer_valid" };
  const request = (await deps.store.joins.get(id))!;
  await notify(
    deps,
    await officerIds(deps, branchId),
    { kind: "join.requested", params: { requestId: id, name, claimName: request.claimName, branchName: request.branchName } },
    id,
  );
  return { ok: true, request };
}

async function officerIds(deps: CoreDeps, branchId: string): Promise<string[]> {
  const branch = await deps.store.branches.get(branchId);
  const roster = await deps.store.roster.list(branchId, localDay(deps.clock.now(), branch?.timezone ?? deps.timezone));
  return roster.filter((e) => isOfficer(e.role) && e.personId).map((e) => e.personId!);
}

export type DecisionProblem = "already_decided" | "claim_taken" | "unknown";

/** The secretary's answer to a join request; the person is told either way. */
export async function decideJoin(
  deps: CoreDeps,
  actor: Actor,
  requestId: string,
  approve: boolean,
): Promise<{ ok: true; request: JoinRequest; membershipId: string | null } | Forbidden | { ok: false; reason: DecisionProblem }> {
  const request = await deps.store.joins.get(requestId);
  if (!request) return { ok: false, reason: "unknown" };
  const scoped = await authorize(deps, actor, request.branchId, "join.decide");
  if (!scoped.ok) return scoped;
  if (request.status !== "pending") return { ok: false, reason: "already_decided" };
  const now = deps.clock.now();
  const outcome = await deps.store
    .transaction(async (tx): Promise<{ ok: true; membershipId: string | null } | { ok: false; reason: DecisionProblem }> => {
      if (!(await tx.joins.decide(requestId, approve ? "approved" : "rejected", actor.person.id, now))) return { ok: false, reason: "already_decided" };
      if (!approve) return { ok: true, membershipId: null };
      let membershipId: string;
      if (request.claimMembershipId) {
        if (!(await tx.roster.claim(request.claimMembershipId, request.personId))) {
          // Rolls the decision back: the secretary decides again without the claim.
          throw new ClaimTakenError();
        }
        membershipId = request.claimMembershipId;
      } else {
        membershipId = await tx.roster.add({
          branchId: request.branchId,
          personId: request.personId,
          name: request.name,
          phone: null,
          role: "member",
          memberType: "full",
          status: "active",
          validFrom: scoped.today,
          statusUntil: null,
          createdBy: actor.person.id,
        });
      }
      await tx.audit.record({
        actorPersonId: actor.person.id,
        branchId: request.branchId,
        action: "join.approve",
        entity: "membership",
        entityId: membershipId,
        after: { name: request.name },
        at: now,
      });
      return { ok: true, membershipId };
    })
    .catch((error: unknown) => {
      if (error instanceof ClaimTakenError) return { ok: false as const, reason: "claim_taken" as const };
      throw error;
    });
  if (!outcome.ok) return outcome;
  await notify(deps, [request.personId], { kind: approve ? "join.approved" : "join.rejected", params: { branchName: request.branchName } }, request.id);
  if (approve) await sendNoticesAlreadyOut(deps, request.branchId, request.personId);
  return { ok: true, request, membershipId: outcome.membershipId };
}

class ClaimTakenError extends Error {}
