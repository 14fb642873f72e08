import { sql } from "drizzle-orm";
import type { ReplyRow } from "../../core/attendance/service.ts";
import type { Database } from "../database.ts";
import { attendanceReplies } from "../schema/index.ts";
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
       and t.status <> 'exempt'
       and not (t.status in ('temporarily_exempt', 'transferred_out') and (t.status_until is null or t.status_until > ${params.day}::date))
       and not (t.status = 'attached' and t.status_until is not null and t.status_until <= ${params.day}::date)
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
  }));
}
