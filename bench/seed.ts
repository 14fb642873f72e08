/**
 * The fan-out data set, written straight into the tables with set-based SQL (generate_series):
 * one org unit, `branches` branches of `members` members each, every member a person with a
 * Telegram identity, an active membership and an open term, and one regular meeting per
 * branch whose notice step ("notice-4320", 3 days before) falls due at the same minute.
 */
import { sql, type SQL } from "drizzle-orm";
import { DEFAULT_REMINDER_PLAN } from "../src/core/branch-defaults.ts";
import type { Database } from "../src/store/database.ts";

export interface FanoutShape {
  branches: number;
  members: number;
}

/** The FakeClock's default start: what the tests call "now". */
export const T0 = new Date("2026-12-01T03:00:00Z");
/** Planning runs one minute after T0, when every notice is due. */
export const PLAN_AT = new Date(T0.getTime() + 60_000);
/** The meetings start 3 days and 1 minute after T0: their 3-day notice is due at PLAN_AT. */
export const MEETING_AT = new Date(T0.getTime() + 3 * 24 * 3600_000 + 60_000);
/** Telegram chat ids of the members: TELEGRAM_ID_BASE + 1 … TELEGRAM_ID_BASE + branches × members. */
export const TELEGRAM_ID_BASE = 7_000_000_000;

/** Rows of a raw query on either driver (PGlite answers { rows }, postgres.js an array). */
export async function rows<T>(db: Database, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return Array.isArray(result) ? ([...result] as T[]) : ((result as { rows: T[] }).rows ?? []);
}

export async function seedFanout(db: Database, shape: FanoutShape): Promise<void> {
  const { branches, members } = shape;
  const people = branches * members;
  const plan = JSON.stringify(DEFAULT_REMINDER_PLAN);
  // Deterministic ids (md5 → uuid) let each statement find the rows of the one before without joins on names.
  const statements: SQL[] = [
    sql`insert into org_units (id, name, level_name) values (md5('bench-unit')::uuid, 'Đảng ủy phường Bench', 'Đảng ủy phường')`,
    sql`insert into branches (id, org_unit_id, name, timezone, reminder_plan, default_place)
        select md5('branch' || g)::uuid, md5('bench-unit')::uuid, 'Chi bộ Khu phố ' || g, 'Asia/Ho_Chi_Minh', ${plan}::jsonb, 'Nhà văn hóa khu phố ' || g
          from generate_series(1, ${branches}) g`,
    sql`insert into people (id, display_name, locale)
        select md5('person' || p)::uuid, 'Đảng viên ' || p, 'vi' from generate_series(1, ${people}) p`,
    sql`insert into channel_identities (person_id, channel, external_id, address)
        select md5('person' || p)::uuid, 'telegram', (${TELEGRAM_ID_BASE}::bigint + p)::text, 'telegram:' || (${TELEGRAM_ID_BASE}::bigint + p)
          from generate_series(1, ${people}) p`,
    sql`insert into memberships (id, branch_id, person_id, roster_name, state)
        select md5('membership' || p)::uuid, md5('branch' || ((p - 1) / ${members} + 1))::uuid, md5('person' || p)::uuid, 'Đảng viên ' || p, 'active'
          from generate_series(1, ${people}) p`,
    sql`insert into membership_terms (membership_id, role, member_type, status, valid_from)
        select md5('membership' || p)::uuid, case when (p - 1) % ${members} = 0 then 'secretary' else 'member' end, 'full', 'active', date '2000-01-01'
          from generate_series(1, ${people}) p`,
    sql`insert into meetings (id, branch_id, kind, occurrence_key, status, starts_at, planned_starts_at, place)
        select md5('meeting' || g)::uuid, md5('branch' || g)::uuid, 'regular', '2026-12', 'scheduled', ${MEETING_AT.toISOString()}::timestamptz, ${MEETING_AT.toISOString()}::timestamptz, 'Nhà văn hóa khu phố ' || g
          from generate_series(1, ${branches}) g`,
  ];
  await db.transaction(async (tx) => {
    for (const statement of statements) await tx.execute(statement);
  });
  await db.execute(sql`analyze`);
}

/** Puts every planned row back to "pending", as just planned, for the next scenario. */
export async function resetOutbox(db: Database): Promise<void> {
  await db.execute(sql`
    update outbox set status = 'pending', attempts = 0, lease_until = null, next_attempt_at = null, last_error = null, sent_at = null, external_message_id = null`);
  await db.execute(sql`vacuum analyze outbox`);
}

export interface OutboxFigures {
  total: number;
  /** Rows whose status is not "sent" at the end. */
  notSent: number;
  byStatus: Record<string, number>;
  /** sent_at − due_at, in seconds. */
  latenessP50: number;
  latenessP99: number;
  latenessMax: number;
  /** Every row: its chat id (from the address) and status. */
  rows: Array<{ chat: string; status: string }>;
}

export async function outboxFigures(db: Database): Promise<OutboxFigures> {
  const statuses = await rows<{ status: string; n: number | string }>(db, sql`select status, count(*) as n from outbox group by status`);
  const byStatus = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]));
  const [late] = await rows<{ p50: number | string | null; p99: number | string | null; max: number | string | null }>(
    db,
    sql`select percentile_cont(0.5) within group (order by extract(epoch from sent_at - due_at)) as p50,
               percentile_cont(0.99) within group (order by extract(epoch from sent_at - due_at)) as p99,
               max(extract(epoch from sent_at - due_at)) as max
          from outbox where status = 'sent'`,
  );
  const all = await rows<{ address: string; status: string }>(db, sql`select address, status from outbox`);
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0);
  return {
    total,
    notSent: total - (byStatus.sent ?? 0),
    byStatus,
    latenessP50: Number(late?.p50 ?? Number.NaN),
    latenessP99: Number(late?.p99 ?? Number.NaN),
    latenessMax: Number(late?.max ?? Number.NaN),
    rows: all.map((r) => ({ chat: r.address.replace(/^telegram:/, ""), status: r.status })),
  };
}
