import { and, eq, isNull } from "drizzle-orm";
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
