import { randomBytes } from "node:crypto";
import type { SQL } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, type DatabaseHandle } from "../../src/store/client.ts";
import { rowsOf } from "../../src/store/rows.ts";

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a new
 * database on the real PostgreSQL server named by TEST_DATABASE_URL (CI runs the suite both
 * ways). The returned close() also drops the PostgreSQL database.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<DatabaseHandle> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  const handle = serverUrl ? await openFreshPostgres(serverUrl) : await openDatabase({ driver: "pglite-memory" });
  if (options.migrate ?? true) await handle.migrate();
  return handle;
}

export const usingRealPostgres = () => Boolean(process.env.TEST_DATABASE_URL);

async function openFreshPostgres(serverUrl: string): Promise<DatabaseHandle> {
  const fresh = await createPostgresDatabaseUrl(serverUrl);
  const handle = await openDatabase({ driver: "postgres", url: fresh.url, maxConnections: 5 });
  return {
    ...handle,
    async close() {
      await handle.close();
      await fresh.drop();
    },
  };
}

/** The URL of a fresh database on the real server, for tests that open it twice. */
export async function createPostgresDatabaseUrl(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `chibo_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 5 });
    },
  };
}

/** Rows of a raw query on either driver (PGlite answers { rows }, postgres.js an array). */
export async function queryRows<T>(handle: DatabaseHandle, query: SQL): Promise<T[]> {
  return [...rowsOf<T>(await handle.db.execute(query))];
}
