import { sql } from "drizzle-orm";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsFolder, openDatabase, type DatabaseHandle } from "../../src/store/client.ts";
import { createPostgresDatabaseUrl, createTestDatabase, queryRows, usingRealPostgres } from "../helpers/test-db.ts";

async function tableNames(handle: DatabaseHandle): Promise<string[]> {
  const rows = await queryRows<{ table_name: string }>(
    handle,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return rows.map((r) => r.table_name);
}

async function appliedCount(handle: DatabaseHandle): Promise<number> {
  const rows = await queryRows<{ n: number }>(handle, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return rows[0]!.n;
}

describe("migrations", () => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => handle.close());

  it("apply from an empty database and create every table of the domain", async () => {
    await handle.migrate();
    const tables = await tableNames(handle);
    for (const table of [
      "org_units",
      "org_unit_days_off",
      "branches",
      "people",
      "channel_identities",
      "memberships",
      "membership_terms",
      "supervisor_assignments",
      "access_codes",
      "meetings",
      "outbox",
      "attendance_replies",
      "attendance_records",
      "meeting_guests",
      "resolutions",
      "resolution_reads",
      "tasks",
      "alerts",
      "audit_log",
      "dialog_states",
      "processed_updates",
    ]) {
      expect(tables).toContain(table);
    }
    const journal = JSON.parse(readFileSync(join(migrationsFolder, "meta", "_journal.json"), "utf8")) as { entries: unknown[] };
    expect(await appliedCount(handle)).toBe(journal.entries.length);
  });

  it("applied a second time change nothing", async () => {
    const before = { tables: await tableNames(handle), applied: await appliedCount(handle) };
    await handle.migrate();
    expect({ tables: await tableNames(handle), applied: await appliedCount(handle) }).toEqual(before);
  });

  it("are generated files with a breakpoint between statements", () => {
    for (const file of readdirSync(migrationsFolder).filter((f) => f.endsWith(".sql"))) {
      const statements = readFileSync(join(migrationsFolder, file), "utf8").split("--> statement-breakpoint");
      // Each chunk holds exactly one statement, so both drivers run them one by one.
      for (const chunk of statements) expect(chunk.trim().split(/;\s*$/m).filter((s) => s.trim()).length).toBeLessThanOrEqual(1);
    }
  });
});

describe.runIf(usingRealPostgres())("migrations on a real PostgreSQL server", () => {
  it("run by two instances at once apply once, under the advisory lock", async () => {
    const fresh = await createPostgresDatabaseUrl(process.env.TEST_DATABASE_URL!);
    const a = await openDatabase({ driver: "postgres", url: fresh.url });
    const b = await openDatabase({ driver: "postgres", url: fresh.url });
    try {
      await Promise.all([a.migrate(), b.migrate()]);
      expect(await appliedCount(a)).toBeGreaterThan(0);
      expect(await appliedCount(a)).toBe(await appliedCount(b));
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });
});
