import { and, asc, eq } from "drizzle-orm";
import type { ChannelName } from "../../core/inbound.ts";
import type { Database } from "../database.ts";
import { channelInbox } from "../schema/index.ts";

/** Stores an update as it arrives; undefined when one with the same key is already there (a repeat). */
export async function receiveUpdate(db: Database, params: { channel: ChannelName; key: string; payload: unknown; at: Date }): Promise<number | undefined> {
  const [row] = await db
    .insert(channelInbox)
    .values({ channel: params.channel, updateKey: params.key, payload: params.payload, receivedAt: params.at })
    .onConflictDoNothing()
    .returning({ id: channelInbox.id });
  return row?.id;
}

/** What was received and not yet handled (a crash came between), oldest first. */
export async function pendingUpdates(db: Database, params: { channel: ChannelName }): Promise<Array<{ id: number; payload: unknown }>> {
  return db
    .select({ id: channelInbox.id, payload: channelInbox.payload })
    .from(channelInbox)
    .where(eq(channelInbox.channel, params.channel))
    .orderBy(asc(channelInbox.id));
}

export async function updateHandled(db: Database, params: { channel: ChannelName; id: number }): Promise<void> {
  await db.delete(channelInbox).where(and(eq(channelInbox.channel, params.channel), eq(channelInbox.id, params.id)));
}
