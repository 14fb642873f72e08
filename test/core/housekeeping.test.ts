import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe("housekeeping tick", () => {
  it("refreshes the planner's statistics, which PGlite never does by itself", async () => {
    await h.core.housekeeping.refreshStatistics();
    const [row] = await queryRows<{ analyzed: boolean }>(
      h.database,
      sql`select (last_analyze is not null) as analyzed from pg_stat_user_tables where relname = 'alerts'`,
    );
    expect(row?.analyzed).toBe(true);
  });

  it("forgets update ids after a week, so the table does not grow forever, but keeps recent ones", async () => {
    expect(await h.core.updates.markProcessed("telegram", 1)).toBe(true);
    expect(await h.core.updates.markProcessed("telegram", 1)).toBe(false);
    h.clock.advance(6 * 24 * 3600_000);
    expect(await h.core.updates.markProcessed("telegram", 2)).toBe(true);
    h.clock.advance(2 * 24 * 3600_000);
    expect(await h.core.housekeeping.run()).toMatchObject({ updates: 1 });
    // Update 2 is two days old: still remembered; update 1, eight days old, is forgotten.
    expect(await h.core.updates.markProcessed("telegram", 2)).toBe(false);
    expect(await h.core.updates.markProcessed("telegram", 1)).toBe(true);
  });

  it("keeps ids of different channels apart", async () => {
    expect(await h.core.updates.markProcessed("zalo", 42)).toBe(true);
    expect(await h.core.updates.markProcessed("telegram", 42)).toBe(true);
  });

  it("deletes expired dialogs only", async () => {
    const actor = await h.core.people.identify({
      channel: "sandbox",
      sender: { externalId: "hk", privateAddress: "sandbox:hk", displayName: "Hà" },
      chat: { kind: "private", address: "sandbox:hk" },
      event: { kind: "other" },
    });
    await h.core.dialogs.set(actor.person.id, { kind: "x", data: {}, expiresAt: new Date(h.clock.now().getTime() + 60_000) });
    expect(await h.core.housekeeping.run()).toMatchObject({ dialogs: 0 });
    h.clock.advance(2 * 60_000);
    expect(await h.core.housekeeping.run()).toMatchObject({ dialogs: 1 });
  });
});
