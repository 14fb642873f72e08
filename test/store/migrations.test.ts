import { sql } from "drizzle-orm";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
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
      "offered_choices",
      "branch_chats",
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
      for (const chunk of statements)
        expect(
          chunk
            .trim()
            .split(/;\s*$/m)
            .filter((s) => s.trim()).length,
        ).toBeLessThanOrEqual(1);
    }
  });
});

/**
 * A data migration, tried on data written before it: the migrations up to `tag` (excluded),
 * in a folder of their own; `seed` run on that schema; then every migration; then `check`.
 */
async function acrossMigration(tag: string, seed: string, check: (client: PGlite) => Promise<void>): Promise<void> {
  const before = mkdtempSync(join(tmpdir(), "chibo-migrations-"));
  cpSync(migrationsFolder, before, { recursive: true });
  const journal = JSON.parse(readFileSync(join(before, "meta", "_journal.json"), "utf8")) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  writeFileSync(join(before, "meta", "_journal.json"), JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  const client = await PGlite.create();
  try {
    const db = drizzle(client);
    await migrate(db, { migrationsFolder: before });
    await client.exec(seed);
    await migrate(db, { migrationsFolder });
    await check(client);
  } finally {
    await client.close();
    rmSync(before, { recursive: true, force: true });
  }
}

describe("numbering the resolutions adopted before numbers existed", () => {
  it("gives each its number of the branch and year, in the order they were adopted", { timeout: 90_000 }, async () => {
    await acrossMigration(
      "0006_resolution_numbers",
      `
        insert into org_units (id, name) values ('00000000-0000-4000-8000-000000000001', 'Đảng ủy xã Ngọc Trạo');
        insert into branches (id, org_unit_id, name, reminder_plan) values
          ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', 'Chi bộ thôn 1', '[]'),
          ('00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-000000000001', 'Chi bộ thôn 2', '[]');
        insert into meetings (id, branch_id, kind, starts_at) values
          ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b1', 'regular', '2026-11-03T12:30:00Z'),
          ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-0000000000b1', 'regular', '2026-12-03T12:30:00Z'),
          -- 00:30 on 1 January 2027 in Vietnam: the next year's first.
          ('00000000-0000-4000-8000-0000000000a3', '00000000-0000-4000-8000-0000000000b1', 'extraordinary', '2026-12-31T17:30:00Z'),
          ('00000000-0000-4000-8000-0000000000a4', '00000000-0000-4000-8000-0000000000b2', 'regular', '2026-12-03T12:30:00Z');
        insert into resolutions (meeting_id, branch_id, format, created_at) values
          ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-0000000000b1', 'text', '2026-12-04T01:00:00Z'),
          ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000b1', 'text', '2026-11-04T01:00:00Z'),
          ('00000000-0000-4000-8000-0000000000a3', '00000000-0000-4000-8000-0000000000b1', 'text', '2027-01-02T01:00:00Z'),
          ('00000000-0000-4000-8000-0000000000a4', '00000000-0000-4000-8000-0000000000b2', 'text', '2026-12-04T01:00:00Z');
      `,
      async (client) => {
        const { rows } = await client.query<{ meeting_id: string; year: number; number: number }>(
          "select meeting_id, year, number from resolutions order by meeting_id",
        );
        expect(rows.map((r) => [r.meeting_id.slice(-2), r.year, r.number])).toEqual([
          ["a1", 2026, 1],
          ["a2", 2026, 2],
          ["a3", 2027, 1],
          ["a4", 2026, 1],
        ]);
      },
    );
  });
});

describe("the Telegram group column becoming linked chats", () => {
  it("keeps each branch's linked group, as its chat address", { timeout: 90_000 }, async () => {
    await acrossMigration(
      "0008_branch_chats",
      `
        insert into org_units (id, name) values ('00000000-0000-4000-8000-000000000001', 'Đảng ủy xã Ngọc Trạo');
        insert into branches (id, org_unit_id, name, reminder_plan, telegram_group_id) values
          ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', 'Chi bộ thôn 1', '[]', -1001234567890),
          ('00000000-0000-4000-8000-0000000000b2', '00000000-0000-4000-8000-000000000001', 'Chi bộ thôn 2', '[]', null);
      `,
      async (client) => {
        const { rows } = await client.query<{ address: string; branch_id: string; channel: string }>("select address, branch_id, channel from branch_chats");
        expect(rows.map((r) => [r.address, r.branch_id.slice(-2), r.channel])).toEqual([["telegram:-1001234567890", "b1", "telegram"]]);
      },
    );
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
