import { sql } from "drizzle-orm";
import type { Clock } from "../../src/core/ports.ts";
import { localDay } from "../../src/core/time.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { DEMO_PERSONAS, seedDemoBranch } from "../../src/store/seed/demo-branch.ts";
import { TEST_START } from "./fake-clock.ts";
import { queryRows } from "./test-db.ts";

const ZONE = "Asia/Ho_Chi_Minh";

/**
 * Seeds the demo branch and moves its people from the sandbox to real channels, as a test of
 * the wire needs them: `where(key)` names each persona's channel and platform id.
 */
export async function seedDemoOnChannels(
  database: DatabaseHandle,
  clock: Clock,
  where: (key: string) => { channel: "telegram" | "zalo"; id: string },
): Promise<void> {
  await seedDemoBranch(database.db, { today: localDay(clock.now(), ZONE), timezone: ZONE });
  for (const { key } of DEMO_PERSONAS) {
    const { channel, id } = where(key);
    await database.db.execute(
      sql`update channel_identities set channel = ${channel}, external_id = ${id}, address = ${`${channel}:${id}`} where channel = 'sandbox' and external_id = ${key}`,
    );
  }
}

/** The demo branch's regular meeting more than four days after the tests' start: notices and reminders all lie ahead. */
export async function upcomingMeeting(database: DatabaseHandle): Promise<Date> {
  const rows = await queryRows<{ starts_at: Date }>(
    database,
    sql`select starts_at from meetings where kind = 'regular' and status = 'scheduled' order by starts_at`,
  );
  return new Date(rows.map((r) => new Date(r.starts_at)).find((d) => d.getTime() - TEST_START.getTime() > 4 * 24 * 3600_000)!);
}
