import type { StoredCode } from "../access/codes.ts";
import { createAccessCode } from "../access/service.ts";
import type { CoreDeps } from "../deps.ts";
import type { ChannelName, Inbound } from "../inbound.ts";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../locale.ts";
import type { Store } from "../ports.ts";
import type { Actor, Person } from "../roles.ts";
import { localDay } from "../time.ts";
import { cleanNameText } from "../text.ts";
import { cleanFullName } from "../roster/join.ts";

/**
 * Finds the person behind an inbound update, creating them on first contact, and loads
 * their branches and supervision. Called once per update before any handler runs.
 */
export async function identify(deps: CoreDeps, inbound: Inbound): Promise<Actor> {
  const { store } = deps;
  const { channel, sender } = inbound;
  // Proactive messages go to the person's private chat, wherever they wrote from.
  const { privateAddress } = sender;
  let person = await store.people.findByIdentity(channel, sender.externalId);
  if (person) {
    await store.people.touchIdentity(channel, sender.externalId, privateAddress);
  } else {
    person = await createOnFirstContact(store, inbound, privateAddress);
  }
  return loadActor(deps, person);
}

async function createOnFirstContact(store: Store, inbound: Inbound, address: string): Promise<Person> {
  const input = {
    channel: inbound.channel,
    externalId: inbound.sender.externalId,
    displayName: cleanName(inbound.sender.displayName),
    address,
    locale: DEFAULT_LOCALE,
  };
  try {
    return await store.people.createWithIdentity(input);
  } catch (error) {
    // Two first updates of one person raced (e.g. a group and a private chat at once):
    // the other one created the row, so use it.
    const existing = await store.people.findByIdentity(input.channel, input.externalId);
    if (existing) return existing;
    throw error;
  }
}

export async function loadActor(deps: CoreDeps, person: Person): Promise<Actor> {
  const today = localDay(deps.clock.now(), deps.timezone);
  const [memberships, supervision, pending] = await Promise.all([
    deps.store.people.memberships(person.id, today),
    deps.store.people.supervision(person.id),
    deps.store.joins.pending({ personId: person.id }),
  ]);
  return { person, memberships, supervision, pendingJoins: pending.map((p) => ({ branchId: p.branchId, branchName: p.branchName })) };
}

export async function setLanguage(
  deps: CoreDeps,
  personId: string,
  locale: string,
): Promise<{ ok: true; locale: Locale } | { ok: false; reason: "unknown_locale" }> {
  if (!isLocale(locale)) return { ok: false, reason: "unknown_locale" };
  await deps.store.people.setLocale(personId, locale);
  return { ok: true, locale };
}

/** Display names come from chat profiles: no invisible or direction characters, bounded length. */
export function cleanName(name: string): string {
  const cleaned = cleanNameText(name).slice(0, 120).trim();
  return cleaned || "?";
}

/** Everything Chibo holds about a person, for /toi. */
export async function profile(deps: CoreDeps, actor: Actor) {
  const [person, identities] = await Promise.all([deps.store.people.get(actor.person.id), deps.store.people.identities(actor.person.id)]);
  return {
    name: actor.person.displayName,
    locale: actor.person.locale,
    phone: person?.phone ?? null,
    preferredChannel: (person?.preferredChannel ?? null) as ChannelName | null,
    identities,
    memberships: actor.memberships,
    supervision: actor.supervision,
    pendingJoins: actor.pendingJoins,
    isAdmin: actor.person.isAdmin,
  };
}

/** A short-lived code to type on another channel, linking it to this person. */
export async function createLinkCode(deps: CoreDeps, actor: Actor): Promise<StoredCode> {
  return createAccessCode(deps, { kind: "link", personId: actor.person.id, createdBy: actor.person.id, maxUses: 1 });
}

export type LinkProblem = "wrong_code" | "same_person" | "has_own_data" | "code_no_longer_valid";

/**
 * Links the channel this update came from to the person who created the link code. The
 * account on this channel must be new (no branch, no role): merging two histories is not
 * something to do silently.
 */
export async function linkChannel(
  deps: CoreDeps,
  actor: Actor,
  inbound: Inbound,
  code: StoredCode,
): Promise<{ ok: true; channel: ChannelName } | { ok: false; reason: LinkProblem }> {
  if (code.kind !== "link" || !code.personId) return { ok: false, reason: "wrong_code" };
  const target = code.personId;
  if (target === actor.person.id) return { ok: false, reason: "same_person" };
  if (actor.memberships.length || actor.supervision.length || actor.pendingJoins.length || actor.person.isAdmin) return { ok: false, reason: "has_own_data" };
  const now = deps.clock.now();
  const linked = await deps.store.transaction(async (tx) => {
    if (!(await tx.codes.consume(code.id, now))) return false;
    await tx.people.moveIdentity(inbound.channel, inbound.sender.externalId, target, now);
    await tx.people.delete(actor.person.id);
    await tx.audit.record({
      actorPersonId: target,
      branchId: null,
      action: "channel.link",
      entity: "person",
      entityId: target,
      after: { channel: inbound.channel },
      at: now,
    });
    return true;
  });
  return linked ? { ok: true, channel: inbound.channel } : { ok: false, reason: "code_no_longer_valid" };
}

/** Which linked channel gets proactive messages; null = the one linked last. */
export async function choosePreferredChannel(
  deps: CoreDeps,
  actor: Actor,
  channel: ChannelName | null,
): Promise<{ ok: true } | { ok: false; reason: "not_linked" }> {
  if (channel) {
    const identities = await deps.store.people.identities(actor.person.id);
    if (!identities.some((i) => i.channel === channel)) return { ok: false, reason: "not_linked" };
  }
  await deps.store.people.setPreferredChannel(actor.person.id, channel);
  return { ok: true };
}

/** A supervisor code: the person starts following its org unit or branch. */
export async function followWithCode(
  deps: CoreDeps,
  actor: Actor,
  code: StoredCode,
): Promise<{ ok: true; following: string } | { ok: false; reason: "wrong_code" | "code_no_longer_valid" }> {
  if (code.kind !== "supervisor") return { ok: false, reason: "wrong_code" };
  const target = code.branchId ? { branchId: code.branchId } : code.orgUnitId ? { orgUnitId: code.orgUnitId } : undefined;
  if (!target) return { ok: false, reason: "wrong_code" };
  // What the supervisor now follows, named in the welcome: a branch or a whole org unit.
  const following = code.branchId ? (await deps.store.branches.get(code.branchId))?.name : (await deps.store.orgUnits.get(code.orgUnitId!))?.name;
  if (!following) return { ok: false, reason: "wrong_code" };
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    if (!(await tx.codes.consume(code.id, now))) return { ok: false, reason: "code_no_longer_valid" as const };
    await tx.supervision.assign(actor.person.id, target, code.createdBy ?? null, now);
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: code.branchId,
      action: "supervisor.follow",
      entity: "person",
      entityId: actor.person.id,
      after: target,
      at: now,
    });
    return { ok: true as const, following };
  });
}

/**
 * A person's own full name, typed by them (a supervisor, whom branches know by name, not by
 * a chat first name). Undefined when it cannot be a name.
 */
export async function setOwnName(deps: CoreDeps, actor: Actor, typed: string): Promise<{ ok: true; name: string } | { ok: false; reason: "bad_name" }> {
  const name = cleanFullName(typed);
  if (!name) return { ok: false, reason: "bad_name" };
  await deps.store.people.setDisplayName(actor.person.id, name);
  await deps.store.audit.record({
    actorPersonId: actor.person.id,
    branchId: null,
    action: "person.rename",
    entity: "person",
    entityId: actor.person.id,
    before: actor.person.displayName,
    after: name,
    at: deps.clock.now(),
  });
  return { ok: true, name };
}
