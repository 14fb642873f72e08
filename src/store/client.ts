import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { lockDataDir } from "./data-dir-lock.ts";
import type { Database } from "./database.ts";
import * as schema from "./schema/index.ts";

export const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

// Any fixed number works; it only has to be the same for every instance of the app.
const MIGRATION_LOCK_KEY = 727_001;

export interface DatabaseHandle {
  db: Database;
  driver: "postgres" | "pglite";
  /** Applies pending migrations under an advisory lock, so concurrent instances wait for one another. */
  migrate(): Promise<void>;
  /** Answers whether the database responds; used by /healthz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  { driver: "postgres"; url: string; maxConnections?: number } | { driver: "pglite"; dataDir: string } | { driver: "pglite-memory" };

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  return options.driver === "postgres" ? openPostgres(options.url, options.maxConnections ?? 10) : openPglite(options);
}

async function ping(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

function openPostgres(url: string, maxConnections: number): DatabaseHandle {
  // Notices ("relation already exists, skipping") from the migrator are noise in our logs.
  const client = postgres(url, { max: maxConnections, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  return {
    db,
    driver: "postgres",
    async migrate() {
      // The lock is held on its own connection for the duration; the migrator's transaction
      // runs on the pool. Another instance blocks on the lock until this one is done, then
      // finds nothing left to apply.
      const lock = postgres(url, { max: 1, onnotice: () => {} });
      try {
        await lock`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
        await migratePostgres(drizzlePostgres(client), { migrationsFolder });
        await lock`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
      } finally {
        await lock.end({ timeout: 5 });
      }
    },
    ping: () => ping(db),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(options: { driver: "pglite"; dataDir: string } | { driver: "pglite-memory" }): Promise<DatabaseHandle> {
  const release = options.driver === "pglite" ? lockDataDir(options.dataDir) : () => {};
  let client: PGlite;
  try {
    client = options.driver === "pglite" ? await PGlite.create(join(options.dataDir, "pglite")) : await PGlite.create();
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    driver: "pglite",
    async migrate() {
      // PGlite has one connection; the lock is still taken so both drivers run the same path.
      await client.query(`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
      try {
        await migratePglite(drizzlePglite(client), { migrationsFolder });
      } finally {
        await client.query(`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`);
      }
    },
    ping: () => ping(db),
    async close() {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}
