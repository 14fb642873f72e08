import { eq } from "drizzle-orm";
import type { Database } from "../database.ts";
import { branchChats } from "../schema/index.ts";

/** Links a group chat to a branch (again: the link is kept, its time renewed). */
export async function linkChat(db: Database, params: { branchId: string; address: string; channel: string; at: Date }): Promise<void> {
  await db
    .insert(branchChats)
    .values({ address: params.address, branchId: params.branchId, channel: params.channel, linkedAt: params.at })
    .onConflictDoUpdate({ target: branchChats.address, set: { branchId: params.branchId, linkedAt: params.at } });
}

/** The branch a chat is linked to, if any. */
export async function branchOfChat(db: Database, params: { address: string }): Promise<string | undefined> {
  const [row] = await db.select({ branchId: branchChats.branchId }).from(branchChats).where(eq(branchChats.address, params.address));
  return row?.branchId;
}

/** Every chat of the branch unlinked; how many there were. */
export async function unlinkChats(db: Database, params: { branchId: string }): Promise<number> {
  const rows = await db.delete(branchChats).where(eq(branchChats.branchId, params.branchId)).returning({ address: branchChats.address });
  return rows.length;
}

/** The bot left the chat, or was removed: nothing is posted there any more. */
export async function forgetChat(db: Database, params: { address: string }): Promise<boolean> {
  const rows = await db.delete(branchChats).where(eq(branchChats.address, params.address)).returning({ address: branchChats.address });
  return rows.length === 1;
}

/** A chat that changed its address (a Telegram group become a supergroup): the link follows it. */
export async function moveChat(db: Database, params: { from: string; to: string }): Promise<number> {
  const rows = await db.update(branchChats).set({ address: params.to }).where(eq(branchChats.address, params.from)).returning({ address: branchChats.address });
  return rows.length;
}
