import { lt } from "drizzle-orm";
import type { ChannelName } from "../../core/inbound.ts";
import type { Database } from "../database.ts";
import { processedUpdates } from "../schema/index.ts";

/** Inserts the update id; false when it was already recorded (the update is a redelivery). */
export async function markUpdateProcessed(db: Database, params: { channel: ChannelName; updateId: number; at: Date }): Promise<boolean> {
  const rows = await db
    .insert(processedUpdates)
    .values({ channel: params.channel, updateId: params.updateId, processedAt: params.at })
    .onConflictDoNothing()
    .returning({ updateId: processedUpdates.updateId });
  return rows.length === 1;
}

export async function pruneProcessedUpdates(db: Database, params: { before: Date }): Promise<number> {
  const rows = await db.delete(processedUpdates).where(lt(processedUpdates.processedAt, params.before)).returning({ id: processedUpdates.updateId });
  return rows.length;
}
