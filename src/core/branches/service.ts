import { parseAddress } from "../inbound.ts";
import type { StoredCode } from "../access/codes.ts";
import { can, forbidden, type Forbidden } from "../access/permissions.ts";
import { DEFAULT_ATTENDANCE_THRESHOLD, DEFAULT_COMMITTEE_DAYS_BEFORE, DEFAULT_REMINDER_PLAN } from "../branch-defaults.ts";
import type { CoreDeps } from "../deps.ts";
import type { Actor } from "../roles.ts";
import { ensureOccurrences } from "../meetings/planner.ts";
import { applyRule } from "../meetings/service.ts";
import { localDay } from "../time.ts";
import { readUnitSettings } from "../alerts/settings.ts";
import type { Branch, BranchSettings, BranchView } from "./types.ts";

export type RegistrationInput = Pick<BranchSettings, "name" | "meetingDay" | "meetingTime" | "holidayPolicy" | "timezone"> & {
  /** Both may be left for later: notices then carry the time only, documents a blank for the locality. */
  defaultPlace?: string | null;
  locality?: string | null;
  /** The secretary's name as the roster writes it. */
  secretaryName?: string;
};

/**
 * Creates a branch under the secretary code's org unit, with its registrant as secretary,
 * in one transaction: the code is used up only if the branch is created, and a code used
 * up by someone else in the meantime creates nothing.
 */
export async function registerBranch(
  deps: CoreDeps,
  actor: Actor,
  code: StoredCode,
  input: RegistrationInput,
): Promise<{ ok: true; branchId: string } | { ok: false; reason: "code_no_longer_valid" | "wrong_code" }> {
  if (code.kind !== "secretary" || !code.orgUnitId) return { ok: false, reason: "wrong_code" };
  const orgUnitId = code.orgUnitId;
  const now = deps.clock.now();
  const { secretaryName, defaultPlace = null, locality = null, ...settings } = input;
  type Result = { ok: true; branchId: string } | { ok: false; reason: "code_no_longer_valid" };
  const result = await deps.store.transaction(async (tx): Promise<Result> => {
    if (!(await tx.codes.consume(code.id, now))) return { ok: false, reason: "code_no_longer_valid" };
    const branchId = await tx.branches.create({
      orgUnitId,
      ...settings,
      committeeDaysBefore: DEFAULT_COMMITTEE_DAYS_BEFORE,
      reminderPlan: DEFAULT_REMINDER_PLAN,
      attendanceThreshold: DEFAULT_ATTENDANCE_THRESHOLD,
      defaultPlace,
      locality,
    });
    await tx.roster.add({
      branchId,
      personId: actor.person.id,
      name: secretaryName ?? actor.person.displayName,
      phone: null,
      role: "secretary",
      memberType: "full",
      status: "active",
      validFrom: localDay(now, input.timezone),
      statusUntil: null,
      createdBy: actor.person.id,
    });
    await tx.audit.record({ actorPersonId: actor.person.id, branchId, action: "branch.register", entity: "branch", entityId: branchId, after: input, at: now });
    return { ok: true, branchId };
  });
  // The new branch's meetings exist from the start, so /lichhop shows them.
  if (result.ok) await ensureOccurrences(deps, [result.branchId]);
  return result;
}

export async function viewBranch(deps: CoreDeps, actor: Actor, branchId: string): Promise<{ ok: true; branch: BranchView } | Forbidden> {
  const scope = await deps.store.orgUnits.branchScope(branchId);
  if (!scope || !can(actor, "branch.view", scope)) return forbidden;
  return { ok: true, branch: await withUnitThreshold(deps, (await deps.store.branches.get(branchId))!) };
}

/** The branch with the lowest rate its org unit allows, so its card can say which threshold applies. */
async function withUnitThreshold(deps: CoreDeps, branch: Branch): Promise<BranchView> {
  const units = (await deps.store.orgUnits.settingsChain(branch.orgUnitId)).map(readUnitSettings);
  return { ...branch, unitThreshold: units.find((u) => u.rate !== undefined)?.rate ?? null };
}

export async function updateBranch(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
  patch: Partial<BranchSettings>,
): Promise<{ ok: true; branch: BranchView } | Forbidden> {
  const scope = await deps.store.orgUnits.branchScope(branchId);
  if (!scope || !can(actor, "branch.edit", scope)) return forbidden;
  const before = await deps.store.branches.get(branchId);
  await deps.store.transaction(async (tx) => {
    await tx.branches.update(branchId, patch);
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId,
      action: "branch.edit",
      entity: "branch",
      entityId: branchId,
      before: pick(before, patch),
      after: patch,
      at: deps.clock.now(),
    });
  });
  // A new rule moves the future meetings it made (not the ones moved by hand).
  if (RULE_FIELDS.some((field) => field in patch)) await applyRule(deps, branchId);
  return { ok: true, branch: await withUnitThreshold(deps, (await deps.store.branches.get(branchId))!) };
}

const RULE_FIELDS: Array<keyof BranchSettings> = ["meetingDay", "meetingTime", "holidayPolicy", "timezone", "committeeDaysBefore"];

function pick(branch: Branch | undefined, patch: Partial<BranchSettings>): Partial<BranchSettings> {
  if (!branch) return {};
  return Object.fromEntries(Object.keys(patch).map((key) => [key, branch[key as keyof BranchSettings]]));
}

/** Links a group chat (any channel) to the branch, so notices also go there. */
export async function linkGroup(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
  chat: string,
): Promise<{ ok: true } | Forbidden | { ok: false; reason: "group_taken"; otherBranch: string }> {
  const scope = await deps.store.orgUnits.branchScope(branchId);
  const target = parseAddress(chat);
  if (!scope || !target || !can(actor, "group.link", scope)) return forbidden;
  const other = await deps.store.branches.branchOfChat(chat);
  if (other && other !== branchId) return { ok: false, reason: "group_taken", otherBranch: (await deps.store.branches.get(other))?.name ?? "—" };
  await deps.store.branches.linkChat(branchId, chat, target.channel, deps.clock.now());
  await deps.store.audit.record({
    actorPersonId: actor.person.id,
    branchId,
    action: "group.link",
    entity: "branch",
    entityId: branchId,
    after: { chat },
    at: deps.clock.now(),
  });
  return { ok: true };
}

export async function unlinkGroups(deps: CoreDeps, actor: Actor, branchId: string): Promise<{ ok: true } | Forbidden> {
  const scope = await deps.store.orgUnits.branchScope(branchId);
  if (!scope || !can(actor, "group.link", scope)) return forbidden;
  await deps.store.branches.unlinkChats(branchId);
  return { ok: true };
}

/** A chat changed its address (Telegram gives a group a new id when it becomes a supergroup); the link follows it. */
export async function groupMoved(deps: CoreDeps, from: string, to: string): Promise<number> {
  return deps.store.branches.moveChat(from, to);
}

/** The bot was removed from a group: forget the link so nothing is sent there. */
export async function groupLeft(deps: CoreDeps, chat: string): Promise<void> {
  await deps.store.branches.forgetChat(chat);
}
