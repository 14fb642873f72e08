import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Meeting, MeetingKind, MeetingStatus, PlannableMeeting, Recipient } from "../../core/meetings/types.ts";
import type { BranchRuleRow, MeetingPatch, NewMeeting, RecipientQuery, RecipientSkip } from "../../core/ports.ts";
import type { Database } from "../database.ts";
import { branches, meetings, orgUnitDaysOff, reminderSteps } from "../schema/index.ts";
import { expectedOnDay } from "./expected.ts";
import { rowsOf } from "../rows.ts";

const meetingColumns = {
  id: meetings.id,
  branchId: meetings.branchId,
  kind: meetings.kind,
  occurrenceKey: meetings.occurrenceKey,
  status: meetings.status,
  startsAt: meetings.startsAt,
  plannedStartsAt: meetings.plannedStartsAt,
  place: meetings.place,
  agenda: meetings.agenda,
  documents: meetings.documents,
  thematicTopic: meetings.thematicTopic,
  cancelReason: meetings.cancelReason,
  sequence: meetings.sequence,
  durationMinutes: meetings.durationMinutes,
  checkInCode: meetings.checkInCode,
  checkInExpiresAt: meetings.checkInExpiresAt,
  rollCallClosedAt: meetings.rollCallClosedAt,
};

const toMeeting = <T extends { kind: string; status: string }>(row: T) => ({ ...row, kind: row.kind as MeetingKind, status: row.status as MeetingStatus });

/** Inserts meetings; a rule-generated occurrence already there is left alone. Returns the new ones' ids. */
export async function insertMeetings(db: Database, params: { meetings: NewMeeting[] }): Promise<string[]> {
  if (params.meetings.length === 0) return [];
  const ids: string[] = [];
  for (let i = 0; i < params.meetings.length; i += 500) {
    const rows = await db
      .insert(meetings)
      .values(params.meetings.slice(i, i + 500).map((m) => ({ ...m, plannedStartsAt: m.startsAt })))
      .onConflictDoNothing()
      .returning({ id: meetings.id });
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

export async function getMeeting(db: Database, params: { meetingId: string }): Promise<Meeting | undefined> {
  const [row] = await db.select(meetingColumns).from(meetings).where(eq(meetings.id, params.meetingId));
  return row ? toMeeting(row) : undefined;
}

export async function listMeetings(db: Database, params: { branchId: string; from: Date; to: Date; includeCancelled: boolean }): Promise<Meeting[]> {
  return listMeetingsOf(db, { branchIds: [params.branchId], from: params.from, to: params.to, includeCancelled: params.includeCancelled });
}

/** The meetings of many branches starting in (from, to], oldest first. */
export async function listMeetingsOf(db: Database, params: { branchIds: string[]; from: Date; to: Date; includeCancelled?: boolean }): Promise<Meeting[]> {
  if (params.branchIds.length === 0) return [];
  const rows = await db
    .select(meetingColumns)
    .from(meetings)
    .where(
      and(
        inArray(meetings.branchId, params.branchIds),
        gt(meetings.startsAt, params.from),
        lte(meetings.startsAt, params.to),
        params.includeCancelled ? undefined : inArray(meetings.status, ["scheduled", "held"]),
      ),
    )
    .orderBy(asc(meetings.startsAt));
  return rows.map(toMeeting);
}

export async function updateMeeting(db: Database, params: { meetingId: string; patch: MeetingPatch; bumpSequence: boolean }): Promise<void> {
  await db
    .update(meetings)
    .set({ ...params.patch, ...(params.bumpSequence ? { sequence: sql`${meetings.sequence} + 1` } : {}) })
    .where(eq(meetings.id, params.meetingId));
}

/** Which of these months already have a rule-generated meeting of a kind, per branch. */
export async function existingOccurrences(db: Database, params: { kind: MeetingKind; months: string[] }): Promise<Set<string>> {
  const rows = await db
    .select({ branchId: meetings.branchId, key: meetings.occurrenceKey })
    .from(meetings)
    .where(and(eq(meetings.kind, params.kind), inArray(meetings.occurrenceKey, params.months)));
  return new Set(rows.map((r) => `${r.branchId}:${r.key}`));
}

/** Extra days off of every org unit, by unit id. */
export async function daysOffByUnit(db: Database): Promise<Map<string, string[]>> {
  const rows = await db.select({ unit: orgUnitDaysOff.orgUnitId, day: orgUnitDaysOff.day }).from(orgUnitDaysOff);
  const map = new Map<string, string[]>();
  for (const row of rows) map.set(row.unit, [...(map.get(row.unit) ?? []), row.day]);
  return map;
}

export async function addDayOff(db: Database, params: { orgUnitId: string; day: string; note: string | null }): Promise<boolean> {
  const rows = await db.insert(orgUnitDaysOff).values(params).onConflictDoNothing().returning({ id: orgUnitDaysOff.id });
  return rows.length === 1;
}

/** Scheduled meetings starting in (from, to], with their branch's plan and the steps planned so far. */
export async function plannableMeetings(db: Database, params: { from: Date; to: Date }): Promise<PlannableMeeting[]> {
  const rows = await db
    .select({
      ...meetingColumns,
      branchName: branches.name,
      timezone: branches.timezone,
      reminderPlan: branches.reminderPlan,
      defaultPlace: branches.defaultPlace,
      groupChats: sql<string[]>`coalesce((select array_agg(c.address order by c.linked_at) from branch_chats c where c.branch_id = ${branches.id}), '{}')`,
      plannedSteps: sql<string[]>`coalesce((select array_agg(s.step) from reminder_steps s where s.meeting_id = ${meetings.id}), '{}')`,
    })
    .from(meetings)
    .innerJoin(branches, eq(branches.id, meetings.branchId))
    .where(and(eq(meetings.status, "scheduled"), gt(meetings.startsAt, params.from), lte(meetings.startsAt, params.to)))
    .orderBy(asc(meetings.startsAt));
  return rows.map((row) => ({ ...toMeeting(row), plannedSteps: row.plannedSteps ?? [], groupChats: row.groupChats ?? [] }));
}

/** Marks a step planned; false when another planner got there first (it then plans nothing). */
export async function markStepPlanned(db: Database, params: { meetingId: string; step: string; at: Date; recipients: number }): Promise<boolean> {
  const rows = await db
    .insert(reminderSteps)
    .values({ meetingId: params.meetingId, step: params.step, plannedAt: params.at, recipients: params.recipients })
    .onConflictDoNothing()
    .returning({ step: reminderSteps.step });
  return rows.length === 1;
}

export async function clearPlannedSteps(db: Database, params: { meetingId: string }): Promise<void> {
  await db.delete(reminderSteps).where(eq(reminderSteps.meetingId, params.meetingId));
}

/**
 * Who is expected at each meeting, with the address their messages go to, in one query for
 * many meetings: active roster rows with a person, whose status that day expects them
 * (not exempt; not temporarily exempt or transferred out until a later date; attached only
 * until their end date), reachable on some channel (the chosen one, else the last linked).
 */
export async function expectedRecipients(
  db: Database,
  params: { meetings: RecipientQuery[]; roles: readonly string[] | null; skip: RecipientSkip },
): Promise<Recipient[]> {
  if (params.meetings.length === 0) return [];
  const result = await db.execute(sql`
    with q as (
      select * from jsonb_to_recordset(${JSON.stringify(params.meetings)}::jsonb) as q("meetingId" uuid, "branchId" uuid, "day" date)
    )
    select distinct on (q."meetingId", m.person_id) q."meetingId" as meeting_id, m.person_id, ci.address
      from q
      join memberships m on m.branch_id = q."branchId" and m.state = 'active' and m.person_id is not null
                         -- Named outright so the planner uses the branch index: it cannot see into the record set.
                         and m.branch_id in (${sql.join(
                           [...new Set(params.meetings.map((q) => q.branchId))].map((id) => sql`${id}::uuid`),
                           sql`, `,
                         )})
      join membership_terms t on t.membership_id = m.id and t.valid_from <= q.day and (t.valid_to is null or t.valid_to > q.day)
      join people p on p.id = m.person_id
      join channel_identities ci on ci.person_id = m.person_id and ci.unreachable_at is null
     where ${expectedOnDay(sql`q.day`)}
       and (${params.roles === null} or t.role in (${sql.join(
         (params.roles ?? ["-"]).map((r) => sql`${r}`),
         sql`, `,
       )}))
       and (${params.skip === "none"} or not exists (
             select 1 from attendance_replies r where r.meeting_id = q."meetingId" and r.membership_id = m.id
                and r.answer in (${sql.join(
                  (params.skip === "absent" ? ["no"] : ["yes", "no"]).map((a) => sql`${a}`),
                  sql`, `,
                )})))
     order by q."meetingId", m.person_id, (ci.channel = p.preferred_channel) desc nulls last, ci.linked_at desc`);
  return rowsOf<{ meeting_id: string; person_id: string; address: string }>(result).map((r) => ({
    meetingId: r.meeting_id,
    personId: r.person_id,
    address: r.address,
  }));
}

/** The supervisors of each branch (directly, or through an org unit above it), with their address. */
export async function supervisorsOf(db: Database, params: { branchIds: string[] }): Promise<Array<{ branchId: string; personId: string; address: string }>> {
  if (params.branchIds.length === 0) return [];
  const result = await db.execute(sql`
    with recursive b as (
      select id as branch_id, org_unit_id as unit_id, 0 as depth from branches where id in (${sql.join(
        params.branchIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})
      union all
      select b.branch_id, o.parent_id, b.depth + 1 from b join org_units o on o.id = b.unit_id where o.parent_id is not null and b.depth < 50
    )
    select distinct on (b.branch_id, s.person_id) b.branch_id, s.person_id, ci.address
      from b
      join supervisor_assignments s on s.ended_at is null and (s.org_unit_id = b.unit_id or s.branch_id = b.branch_id)
      join people p on p.id = s.person_id
      join channel_identities ci on ci.person_id = s.person_id and ci.unreachable_at is null
     order by b.branch_id, s.person_id, (ci.channel = p.preferred_channel) desc nulls last, ci.linked_at desc`);
  return rowsOf<{ branch_id: string; person_id: string; address: string }>(result).map((r) => ({
    branchId: r.branch_id,
    personId: r.person_id,
    address: r.address,
  }));
}

/** Branches with what occurrence planning needs. */
export async function branchRules(db: Database): Promise<BranchRuleRow[]> {
  return db
    .select({
      id: branches.id,
      orgUnitId: branches.orgUnitId,
      name: branches.name,
      timezone: branches.timezone,
      meetingDay: branches.meetingDay,
      meetingTime: branches.meetingTime,
      holidayPolicy: branches.holidayPolicy,
      committeeDaysBefore: branches.committeeDaysBefore,
      defaultPlace: branches.defaultPlace,
    })
    .from(branches);
}

/** Branches that have a thematic meeting (or a regular one combined with a topic) in a period. */
export async function branchesWithThematic(db: Database, params: { from: Date; to: Date }): Promise<Set<string>> {
  const rows = await db
    .select({ branchId: meetings.branchId })
    .from(meetings)
    .where(
      and(
        inArray(meetings.status, ["scheduled", "held"]),
        gt(meetings.startsAt, params.from),
        lte(meetings.startsAt, params.to),
        sql`(${meetings.kind} = 'thematic' or ${meetings.thematicTopic} is not null)`,
      ),
    );
  return new Set(rows.map((r) => r.branchId));
}
