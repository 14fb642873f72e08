import { sql } from "drizzle-orm";
import type { BookRow } from "../../core/alerts/types.ts";
import type { ReplyRow } from "../../core/attendance/service.ts";
import type { Database } from "../database.ts";
import { attendanceReplies } from "../schema/index.ts";
import { expectedOnDay } from "./expected.ts";
import { rowsOf } from "../rows.ts";

export async function upsertReply(
  db: Database,
  params: { meetingId: string; membershipId: string; answer: string; reason: string | null; at: Date },
): Promise<void> {
  const values = { answer: params.answer, reason: params.reason, repliedAt: params.at };
  await db
    .insert(attendanceReplies)
    .values({ meetingId: params.meetingId, membershipId: params.membershipId, ...values })
    .onConflictDoUpdate({ target: [attendanceReplies.meetingId, attendanceReplies.membershipId], set: values });
}

/**
 * Everyone expected at a meeting (the same status rules as the reminders), with their reply
 * if they gave one. Roster rows nobody has claimed are included: the secretary still counts them.
 */
export async function expectedWithReplies(
  db: Database,
  params: { meetingId: string; branchId: string; day: string; committeeOnly: boolean },
): Promise<ReplyRow[]> {
  const result = await db.execute(sql`
    select m.id as membership_id, m.person_id, m.roster_name as name, m.phone, t.role, t.member_type, r.answer, r.reason, r.replied_at
      from memberships m
      join membership_terms t on t.membership_id = m.id and t.valid_from <= ${params.day}::date and (t.valid_to is null or t.valid_to > ${params.day}::date)
      left join attendance_replies r on r.meeting_id = ${params.meetingId}::uuid and r.membership_id = m.id
     where m.branch_id = ${params.branchId}::uuid and m.state = 'active'
       and ${expectedOnDay(sql`${params.day}::date`)}
       and (${!params.committeeOnly} or t.role in ('secretary', 'deputy', 'committee'))
     order by m.roster_name`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    membershipId: String(r.membership_id),
    personId: (r.person_id as string | null) ?? null,
    name: String(r.name),
    phone: (r.phone as string | null) ?? null,
    role: String(r.role),
    memberType: String(r.member_type),
    answer: (r.answer as ReplyRow["answer"]) ?? null,
    reason: (r.reason as string | null) ?? null,
    reply: (r.reply as BookRow["reply"]) ?? null,
    status: String(r.status),
  }));
}

/**
 * The attendance book of many branches at once: for every branch meeting whose roll call is
 * closed, starting in [from, to), each member expected that day (the meeting's local day in
 * its branch's timezone) with their line of the roll call. Committee and cancelled meetings
 * are not the branch's attendance. One query instead of two per meeting, for the reports
 * and the daily rule tick of a whole province. Unordered: the callers order members their own
 * way, and sorting a province's book spilled to disk.
 */
export async function attendanceBook(db: Database, params: { branchIds: string[]; from: Date; to: Date }): Promise<BookRow[]> {
  if (params.branchIds.length === 0) return [];
  const result = await db.execute(sql`
    with ms as (
      select mt.id, mt.branch_id, (mt.starts_at at time zone b.timezone)::date as day
        from meetings mt join branches b on b.id = mt.branch_id
       where mt.branch_id in (${sql.join(
         params.branchIds.map((id) => sql`${id}::uuid`),
         sql`, `,
       )})
         and mt.starts_at >= ${params.from.toISOString()}::timestamptz and mt.starts_at < ${params.to.toISOString()}::timestamptz
         and mt.kind <> 'committee' and mt.status <> 'cancelled' and mt.roll_call_closed_at is not null
    )
    select ms.id as meeting_id, ms.branch_id, m.id as membership_id, m.roster_name as name,
           rec.present, rec.absence, coalesce(rec.reason, rep.reason) as reason, rep.answer as reply, t.status
      from ms
      join memberships m on m.branch_id = ms.branch_id and m.state = 'active'
      join membership_terms t on t.membership_id = m.id and t.valid_from <= ms.day and (t.valid_to is null or t.valid_to > ms.day)
      left join attendance_records rec on rec.meeting_id = ms.id and rec.membership_id = m.id
      left join attendance_replies rep on rep.meeting_id = ms.id and rep.membership_id = m.id
     where ${expectedOnDay(sql`ms.day`)}`);
  return rowsOf<Record<string, unknown>>(result).map((r) => ({
    meetingId: String(r.meeting_id),
    branchId: String(r.branch_id),
    membershipId: String(r.membership_id),
    name: String(r.name),
    present: (r.present as boolean | null) ?? null,
    absence: (r.absence as BookRow["absence"]) ?? null,
    reason: (r.reason as string | null) ?? null,
    reply: (r.reply as BookRow["reply"]) ?? null,
    status: String(r.status),
  }));
}
