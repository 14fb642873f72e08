import { and, desc, eq, isNull } from "drizzle-orm";
import type { ChannelName } from "../../core/inbound.ts";
import type { IdentityInput } from "../../core/ports.ts";
import type { Person } from "../../core/roles.ts";
import type { Database } from "../database.ts";
import { channelIdentities, people } from "../schema/index.ts";

const personColumns = { id: people.id, displayName: people.displayName, locale: people.locale, isAdmin: people.isAdmin };

export async function findPersonByIdentity(db: Database, params: { channel: ChannelName; externalId: string }): Promise<Person | undefined> {
  const rows = await db
    .select(personColumns)
    .from(channelIdentities)
    .innerJoin(people, eq(people.id, channelIdentities.personId))
    .where(and(eq(channelIdentities.channel, params.channel), eq(channelIdentities.externalId, params.externalId)))
    .limit(1);
  return rows[0];
}

export async function createPersonWithIdentity(db: Database, input: IdentityInput): Promise<Person> {
  return db.transaction(async (tx) => {
    const [person] = await tx.insert(people).values({ displayName: input.displayName, locale: input.locale }).returning(personColumns);
    if (!person) throw new Error("insert into people returned no row");
    await tx.insert(channelIdentities).values({
      personId: person.id,
      channel: input.channel,
      externalId: input.externalId,
      address: input.address,
    });
    return person;
  });
}

export async function touchIdentity(db: Database, params: { channel: ChannelName; externalId: string; address: string }): Promise<void> {
  await db
    .update(channelIdentities)
    .set({ address: params.address, unreachableAt: null })
    .where(and(eq(channelIdentities.channel, params.channel), eq(channelIdentities.externalId, params.externalId)));
}

export async function setPersonLocale(db: Database, params: { personId: string; locale: string }): Promise<void> {
  await db.update(people).set({ locale: params.locale }).where(eq(people.id, params.personId));
}

export async function setDisplayName(db: Database, params: { personId: string; name: string }): Promise<void> {
  await db.update(people).set({ displayName: params.name }).where(eq(people.id, params.personId));
}

export async function listIdentities(db: Database, params: { personId: string }) {
  const rows = await db
    .select({
      channel: channelIdentities.channel,
      address: channelIdentities.address,
      linkedAt: channelIdentities.linkedAt,
      unreachableAt: channelIdentities.unreachableAt,
    })
    .from(channelIdentities)
    .where(eq(channelIdentities.personId, params.personId))
    .orderBy(channelIdentities.linkedAt);
  return rows.map((row) => ({ ...row, channel: row.channel as ChannelName }));
}

export async function countAdmins(db: Database): Promise<number> {
  return db.$count(people, and(eq(people.isAdmin, true), isNull(people.erasedAt)));
}

export async function setAdmin(db: Database, params: { personId: string }): Promise<void> {
  await db.update(people).set({ isAdmin: true }).where(eq(people.id, params.personId));
}

export async function getPerson(
  db: Database,
  params: { personId: string },
): Promise<(Person & { phone: string | null; preferredChannel: string | null }) | undefined> {
  const [row] = await db
    .select({ ...personColumns, phone: people.phone, preferredChannel: people.preferredChannel })
    .from(people)
    .where(eq(people.id, params.personId));
  return row;
}

export async function setPreferredChannel(db: Database, params: { personId: string; channel: ChannelName | null }): Promise<void> {
  await db.update(people).set({ preferredChannel: params.channel }).where(eq(people.id, params.personId));
}

/**
 * Where proactive messages to a person go: the chosen channel if reachable, else the
 * channel linked (or used) last that is still reachable.
 */
export async function deliveryAddress(db: Database, params: { personId: string }): Promise<{ address: string; locale: string } | undefined> {
  const [person] = await db.select({ locale: people.locale, preferred: people.preferredChannel }).from(people).where(eq(people.id, params.personId));
  if (!person) return undefined;
  const identities = await db
    .select({ channel: channelIdentities.channel, address: channelIdentities.address, unreachableAt: channelIdentities.unreachableAt })
    .from(channelIdentities)
    .where(eq(channelIdentities.personId, params.personId))
    .orderBy(desc(channelIdentities.linkedAt));
  const reachable = identities.filter((i) => !i.unreachableAt);
  const chosen = reachable.find((i) => i.channel === person.preferred) ?? reachable[0];
  return chosen ? { address: chosen.address, locale: person.locale } : undefined;
}

/** Re-points a channel identity to another person (linking a second channel). */
export async function moveIdentity(db: Database, params: { channel: ChannelName; externalId: string; toPersonId: string; at: Date }): Promise<void> {
  await db
    .update(channelIdentities)
    .set({ personId: params.toPersonId, linkedAt: params.at })
    .where(and(eq(channelIdentities.channel, params.channel), eq(channelIdentities.externalId, params.externalId)));
}

/** Deletes a person row nobody refers to any more (the empty person a new channel created). */
export async function deletePerson(db: Database, params: { personId: string }): Promise<void> {
  await db.delete(people).where(eq(people.id, params.personId));
}

/** Erases a person's contact data: chat accounts and phone. The name stays for past records. */
export async function eraseContact(db: Database, params: { personId: string; at: Date }): Promise<void> {
  await db.delete(channelIdentities).where(eq(channelIdentities.personId, params.personId));
  await db.update(people).set({ phone: null, preferredChannel: null, erasedAt: params.at }).where(eq(people.id, params.personId));
}

export async function localesOnChannel(db: Database, params: { channel: ChannelName }): Promise<Record<string, string>> {
  const rows = await db
    .select({ externalId: channelIdentities.externalId, locale: people.locale })
    .from(channelIdentities)
    .innerJoin(people, eq(people.id, channelIdentities.personId))
    .where(eq(channelIdentities.channel, params.channel));
  return Object.fromEntries(rows.map((r) => [r.externalId, r.locale]));
}

export async function markUnreachable(db: Database, params: { personId: string; channel: ChannelName; at: Date }): Promise<void> {
  await db
    .update(channelIdentities)
    .set({ unreachableAt: params.at })
    .where(and(eq(channelIdentities.personId, params.personId), eq(channelIdentities.channel, params.channel)));
}
