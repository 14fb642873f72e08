import { and, count, eq, inArray, isNotNull, isNull, like, max, min, sql } from "drizzle-orm";
import type { ClaimedMessage, OutboxItem, SendOutcome } from "../../core/delivery/types.ts";
import type { Notice } from "../../core/ports.ts";
import type { Database } from "../database.ts";
import { outbox } from "../schema/index.ts";
import { rowsOf } from "../rows.ts";

const INSERT_CHUNK = 500;

/** Inserts what is not there yet (by dedupe key); returns how many rows were new. */
export async function enqueue(db: Database, params: { items: OutboxItem[]; now: Date }): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < params.items.length; i += INSERT_CHUNK) {
    const chunk = params.items.slice(i, i + INSERT_CHUNK).map((item) => ({
      dedupeKey: item.dedupeKey,
      kind: item.kind,
      meetingId: item.meetingId,
      personId: item.personId,
      address: item.address,
      payload: item.notice as unknown as Record<string, unknown>,
      priority: item.priority ?? 100,
      dueAt: item.dueAt,
      staleAt: item.staleAt,
      createdAt: params.now,
    }));
    const rows = await db.insert(outbox).values(chunk).onConflictDoNothing({ target: outbox.dedupeKey }).returning({ id: outbox.id });
    inserted += rows.length;
  }
  return inserted;
}

/**
 * Claims due rows for one sender: pending ones that are due, and sending ones whose lease
 * ran out (their sender died). SKIP LOCKED lets several senders claim side by side without
 * ever taking the same row; the lease makes a dead sender's rows come back.
 */
export async function claim(db: Database, params: { now: Date; limit: number; leaseMs: number; leaseNow?: Date }): Promise<ClaimedMessage[]> {
  // Raw SQL takes instants as ISO text: postgres.js (as drizzle sets it up) does not serialize Dates here.
  const now = params.now.toISOString();
  // Leases are about senders dying, in real time; `now` is the app's time, which the sandbox moves.
  const leaseNow = (params.leaseNow ?? params.now).toISOString();
  const leaseUntil = new Date((params.leaseNow ?? params.now).getTime() + params.leaseMs).toISOString();
  const result = await db.execute(sql`
    with due as (
      select id, status from outbox
      where (status = 'pending' and due_at <= ${now}::timestamptz and (next_attempt_at is null or next_attempt_at <= ${now}::timestamptz))
         or (status = 'sending' and lease_until < ${leaseNow}::timestamptz)
      order by priority, due_at, id
      limit ${params.limit}
      for update skip locked
    )
    update outbox o
       set status = 'sending', lease_until = ${leaseUntil}::timestamptz, attempts = o.attempts + 1
      from due
     where o.id = due.id
    returning o.id, o.dedupe_key, o.kind, o.meeting_id, o.person_id, o.address, o.payload, o.priority, o.due_at, o.stale_at, o.attempts,
              due.status = 'sending' as reclaimed,
              coalesce((select locale from people p where p.id = o.person_id), 'vi') as locale`);
  // UPDATE … RETURNING gives rows in no promised order: sort them back into the claim's order,
  // which is the order they are sent in (absentees' summaries before everyone else's).
  return rowsOf<Record<string, unknown>>(result)
    .sort(
      (a, b) =>
        Number(a.priority) - Number(b.priority) ||
        new Date(a.due_at as string).getTime() - new Date(b.due_at as string).getTime() ||
        Number(a.id) - Number(b.id),
    )
    .map((row) => ({
      id: Number(row.id),
      dedupeKey: String(row.dedupe_key),
      kind: String(row.kind),
      meetingId: (row.meeting_id as string | null) ?? null,
      priority: Number(row.priority),
      personId: (row.person_id as string | null) ?? null,
      address: String(row.address),
      notice: row.payload as Notice,
      locale: String(row.locale),
      dueAt: new Date(row.due_at as string),
      staleAt: row.stale_at ? new Date(row.stale_at as string) : null,
      attempts: Number(row.attempts),
      reclaimed: row.reclaimed === true,
    }));
}

/** Records many outcomes in a few statements (one per status), so fan-out does not wait on the database. */
export async function record(db: Database, params: { outcomes: SendOutcome[] }): Promise<void> {
  const sent = params.outcomes.filter((o) => o.status === "sent");
  if (sent.length) {
    const values = sql.join(
      sent.map((o) => sql`(${o.id}::bigint, ${o.externalMessageId ?? null}::text, ${o.at.toISOString()}::timestamptz)`),
      sql`, `,
    );
    await db.execute(sql`
      update outbox o set status = 'sent', sent_at = v.at, external_message_id = v.ext, lease_until = null, last_error = null
        from (values ${values}) as v(id, ext, at)
       where o.id = v.id`);
  }
  for (const outcome of params.outcomes.filter((o) => o.status !== "sent")) {
    if (outcome.status === "released") {
      // Never tried: the claim's attempt does not count, and the next claim may take it at once.
      await db
        .update(outbox)
        .set({ status: "pending", leaseUntil: null, attempts: sql`greatest(${outbox.attempts} - 1, 0)` })
        .where(eq(outbox.id, outcome.id));
    } else if (outcome.status === "retry") {
      await db
        .update(outbox)
        .set({ status: "pending", leaseUntil: null, nextAttemptAt: outcome.nextAttemptAt ?? outcome.at, lastError: outcome.error ?? null })
        .where(eq(outbox.id, outcome.id));
    } else {
      await db
        .update(outbox)
        .set({ status: outcome.status, leaseUntil: null, lastError: outcome.error ?? null })
        .where(eq(outbox.id, outcome.id));
    }
  }
}

/** Removes what has not gone out yet for a meeting (it moved or was cancelled); returns how many. */
export async function cancelPendingForMeeting(db: Database, params: { meetingId: string }): Promise<number> {
  const rows = await db
    .delete(outbox)
    .where(and(eq(outbox.meetingId, params.meetingId), inArray(outbox.status, ["pending"])))
    .returning({ id: outbox.id });
  return rows.length;
}

export async function nextPendingDue(db: Database): Promise<Date | undefined> {
  const [row] = await db
    .select({ due: min(outbox.dueAt) })
    .from(outbox)
    .where(eq(outbox.status, "pending"));
  return row?.due ?? undefined;
}

export async function countByStatus(db: Database): Promise<Record<string, number>> {
  const rows = await db.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

/** When the newest row with this key prefix was planned (e.g. the last nudge for a meeting). */
export async function lastPlanned(db: Database, params: { keyPrefix: string }): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: max(outbox.createdAt) })
    .from(outbox)
    .where(like(outbox.dedupeKey, `${params.keyPrefix.replace(/[%_\\]/g, "\\$&")}%`));
  return row?.at ?? undefined;
}

/** Withdraws what has not gone out yet under a key prefix (e.g. the reminder of a task now done). */
export async function cancelPendingByKey(db: Database, params: { keyPrefix: string }): Promise<number> {
  const rows = await db
    .delete(outbox)
    .where(and(like(outbox.dedupeKey, `${params.keyPrefix.replace(/[\\%_]/g, "\\$&")}%`), eq(outbox.status, "pending")))
    .returning({ id: outbox.id });
  return rows.length;
}

export async function sentGroupNotices(
  db: Database,
  params: { meetingId: string },
): Promise<Array<{ address: string; externalMessageId: string; notice: Notice }>> {
  const rows = await db
    .select({ address: outbox.address, externalMessageId: outbox.externalMessageId, payload: outbox.payload })
    .from(outbox)
    .where(
      and(
        eq(outbox.meetingId, params.meetingId),
        eq(outbox.kind, "meeting.notice"),
        eq(outbox.status, "sent"),
        isNull(outbox.personId),
        isNotNull(outbox.externalMessageId),
      ),
    );
  return rows.map((r) => ({ address: r.address, externalMessageId: r.externalMessageId!, notice: r.payload as unknown as Notice }));
}
