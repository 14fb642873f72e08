import type { Inbound } from "../inbound.ts";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../locale.ts";
import type { Clock, Store } from "../ports.ts";
import type { Actor, Person } from "../roles.ts";
import { localDay } from "../time.ts";

export interface PeopleDeps {
  store: Store;
  clock: Clock;
  /** Calendar day for roster look-ups is taken in the deployment's default timezone. */
  timezone: string;
}

/**
 * Finds the person behind an inbound update, creating them on first contact, and loads
 * their branches and supervision. Called once per update before any handler runs.
 */
export async function identify(deps: PeopleDeps, inbound: Inbound): Promise<Actor> {
  const { store } = deps;
  const { channel, sender } = inbound;
  // Replies to a group go to the group, but proactive messages go to the person's private chat.
  const privateAddress = `${channel}:${sender.externalId}`;
  let person = await store.findPersonByIdentity(channel, sender.externalId);
  if (person) {
    await store.touchIdentity(channel, sender.externalId, privateAddress);
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
    return await store.createPersonWithIdentity(input);
  } catch (error) {
    // Two first updates of one person raced (e.g. a group and a private chat at once):
    // the other one created the row, so use it.
    const existing = await store.findPersonByIdentity(input.channel, input.externalId);
    if (existing) return existing;
    throw error;
  }
}

export async function loadActor(deps: PeopleDeps, person: Person): Promise<Actor> {
  const today = localDay(deps.clock.now(), deps.timezone);
  const [memberships, supervision] = await Promise.all([
    deps.store.listMembershipsOfPerson(person.id, today),
    deps.store.listSupervisionOfPerson(person.id),
  ]);
  return { person, memberships, supervision };
}

export async function setLanguage(deps: PeopleDeps, personId: string, locale: string): Promise<{ ok: true; locale: Locale } | { ok: false; reason: "unknown_locale" }> {
  if (!isLocale(locale)) return { ok: false, reason: "unknown_locale" };
  await deps.store.setPersonLocale(personId, locale);
  return { ok: true, locale };
}

/** Display names come from chat profiles: trim, collapse spaces, bound the length. */
export function cleanName(name: string): string {
  const cleaned = name.replace(/\s+/g, " ").trim().slice(0, 120);
  return cleaned || "?";
}
