import { and, eq, gt, lt } from "drizzle-orm";
import type { StoredDownload } from "../../core/ports.ts";
import type { Database } from "../database.ts";
import { downloadLinks } from "../schema/index.ts";

/** Stores a file behind a download link; the id returned is the link's. */
export async function createDownload(
  db: Database,
  params: { filename: string; mimeType: string; bytes: Uint8Array; expiresAt: Date; at: Date },
): Promise<string> {
  const [row] = await db
    .insert(downloadLinks)
    .values({ filename: params.filename, mimeType: params.mimeType, bytes: params.bytes, expiresAt: params.expiresAt, createdAt: params.at })
    .returning({ id: downloadLinks.id });
  return row!.id;
}

/** The file behind a link, unless the link has expired (even if housekeeping has not yet deleted it). */
export async function getDownload(db: Database, params: { id: string; now: Date }): Promise<StoredDownload | undefined> {
  const [row] = await db
    .select({ filename: downloadLinks.filename, mimeType: downloadLinks.mimeType, bytes: downloadLinks.bytes, expiresAt: downloadLinks.expiresAt })
    .from(downloadLinks)
    .where(and(eq(downloadLinks.id, params.id), gt(downloadLinks.expiresAt, params.now)));
  return row;
}

export async function pruneDownloads(db: Database, params: { before: Date }): Promise<number> {
  const rows = await db.delete(downloadLinks).where(lt(downloadLinks.expiresAt, params.before)).returning({ id: downloadLinks.id });
  return rows.length;
}
