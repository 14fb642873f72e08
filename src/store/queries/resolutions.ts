import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Resolution, ResolutionContent, SummaryRecipient } from "../../core/resolutions/types.ts";
import type { Database } from "../database.ts";
import { branches, memberships, resolutionReads, resolutions, tasks } from "../schema/index.ts";
import { rowsOf } from "../rows.ts";

/**
 * Writes the resolution, numbered the next of its branch and year, and its tasks; the caller
 * runs it in a transaction with the sends it plans. The branch row stays locked until that
 * transaction ends, so two resolutions adopted at once get consecutive numbers; a number is
 * counted from the resolutions written, so one that is rolled back leaves no gap.
 */
export async function insertResolution(
  db: Database,
  params: {
    branchId: string;
    meetingId: string;
    year: number;
    content: ResolutionContent;
    votingBase: number;
    valid: boolean | null;
    createdBy: string;
    at: Date;
  },
): Promise<{ id: string; number: number; taskIds: string[] } | undefined> {
  const { content } = params;
  await db.select({ id: branches.id }).from(branches).where(eq(branches.id, params.branchId)).for("update");
  const next = sql<number>`(select coalesce(max(${resolutions.number}), 0) + 1 from ${resolutions} where ${resolutions.branchId} = ${params.branchId} and ${resolutions.year} = ${params.year})`;
  const [row] = await db
    .insert(resolutions)
    .values({
      branchId: params.branchId,
      meetingId: params.meetingId,
      year: params.year,
      number: next,
      format: content.format,
      body: content.body,
      form: content.results === null ? null : { results: content.results },
      votesFor: content.votes?.for ?? null,
      votesAgainst: content.votes?.against ?? null,
      votesAbstain: content.votes?.abstain ?? null,
      votingBase: params.votingBase,
      valid: params.valid,
      createdBy: params.createdBy,
      createdAt: params.at,
      sentAt: params.at,
    })
    .onConflictDoNothing({ target: resolutions.meetingId })
    .returning({ id: resolutions.id, number: resolutions.number });
  if (!row) return undefined;
  const { id, number } = row;
  if (content.tasks.length === 0) return { id, number, taskIds: [] };
  const inserted = await db
    .insert(tasks)
    .values(
      content.tasks.map((task) => ({
        resolutionId: id,
        ownerMembershipId: task.ownerMembershipId,
        description: task.description,
        dueOn: task.dueOn,
        createdAt: params.at,
      })),
    )
    .returning({ id: tasks.id });
  return { id, number, taskIds: inserted.map((r) => r.id) };
}

/** Resolutions matching `where`, newest first, each with its tasks (soonest deadline first). */
async function selectResolutions(db: Database, where: SQL, limit: number): Promise<Resolution[]> {
  const rows = await db.select().from(resolutions).where(where).orderBy(desc(resolutions.createdAt)).limit(limit);
  if (rows.length === 0) return [];
  const taskRows = await db
    .select({
      id: tasks.id,
      resolutionId: tasks.resolutionId,
      ownerMembershipId: tasks.ownerMembershipId,
      ownerName: memberships.rosterName,
      ownerPersonId: memberships.personId,
      description: tasks.description,
      dueOn: tasks.dueOn,
      doneAt: tasks.doneAt,
    })
    .from(tasks)
    .innerJoin(memberships, eq(memberships.id, tasks.ownerMembershipId))
    .where(
      inArray(
        tasks.resolutionId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(tasks.dueOn), asc(tasks.createdAt), asc(tasks.id));
  return rows.map((r) => ({
    id: r.id,
    branchId: r.branchId,
    meetingId: r.meetingId,
    number: r.number,
    year: r.year,
    format: r.format as Resolution["format"],
    body: r.body,
    results: typeof r.form?.results === "string" ? r.form.results : null,
    votes:
      r.votesFor === null || r.votesAgainst === null || r.votesAbstain === null ? null : { for: r.votesFor, against: r.votesAgainst, abstain: r.votesAbstain },
    votingBase: r.votingBase,
    valid: r.valid,
    tasks: taskRows.filter((t) => t.resolutionId === r.id).map(({ resolutionId: _, ...task }) => task),
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
  }));
}

export async function resolutionOfMeeting(db: Database, params: { meetingId: string }): Promise<Resolution | undefined> {
  return (await selectResolutions(db, eq(resolutions.meetingId, params.meetingId), 1))[0];
}

/** The newest resolution of a branch, for members who ask to read it again. */
export async function latestResolution(db: Database, params: { branchId: string }): Promise<Resolution | undefined> {
  return (await selectResolutions(db, eq(resolutions.branchId, params.branchId), 1))[0];
}

/** Records "Đã đọc"; false when the person had already read it. */
export async function markRead(db: Database, params: { resolutionId: string; personId: string; at: Date }): Promise<boolean> {
  const rows = await db
    .insert(resolutionReads)
    .values({ resolutionId: params.resolutionId, personId: params.personId, readAt: params.at })
    .onConflictDoNothing()
    .returning({ id: resolutionReads.id });
  return rows.length === 1;
}

export async function reads(db: Database, params: { resolutionId: string }): Promise<Array<{ personId: string; readAt: Date }>> {
  return db
    .select({ personId: resolutionReads.personId, readAt: resolutionReads.readAt })
    .from(resolutionReads)
    .where(eq(resolutionReads.resolutionId, params.resolutionId));
}

/**
 * Every member on the roster on `day` — whatever their status, since exempt and absent
 * members get the summary too unless they opted out — with the address their messages go
 * to (the chosen channel, else the last linked), or null when they have none.
 */
export async function summaryRecipients(db: Database, params: { branchId: string; day: string }): Promise<SummaryRecipient[]> {
  const result = await db.execute(sql`
    select distinct on (m.id) m.id as membership_id, m.person_id, m.roster_name, m.phone, m.wants_summaries, ci.address
      from memberships m
      join membership_terms t on t.membership_id = m.id and t.valid_from <= ${params.day}::date and (t.valid_to is null or t.valid_to > ${params.day}::date)
      left join people p on p.id = m.person_id
      left join channel_identities ci on ci.person_id = m.person_id and ci.unreachable_at is null
     where m.branch_id = ${params.branchId}::uuid and m.state = 'active'
     order by m.id, (ci.channel = p.preferred_channel) desc nulls last, ci.linked_at desc nulls last`);
  return rowsOf<{
    membership_id: string;
    person_id: string | null;
    roster_name: string;
    phone: string | null;
    wants_summaries: boolean;
    address: string | null;
  }>(result).map((r) => ({
    membershipId: r.membership_id,
    personId: r.person_id,
    name: r.roster_name,
    phone: r.phone,
    address: r.address,
    wantsSummaries: r.wants_summaries,
  }));
}

export async function getTask(
  db: Database,
  params: { taskId: string },
): Promise<
  | {
      id: string;
      resolutionId: string;
      meetingId: string;
      branchId: string;
      ownerPersonId: string | null;
      ownerName: string;
      description: string;
      dueOn: string;
      doneAt: Date | null;
    }
  | undefined
> {
  const [row] = await db
    .select({
      id: tasks.id,
      resolutionId: tasks.resolutionId,
      meetingId: resolutions.meetingId,
      branchId: resolutions.branchId,
      ownerPersonId: memberships.personId,
      ownerName: memberships.rosterName,
      description: tasks.description,
      dueOn: tasks.dueOn,
      doneAt: tasks.doneAt,
    })
    .from(tasks)
    .innerJoin(resolutions, eq(resolutions.id, tasks.resolutionId))
    .innerJoin(memberships, eq(memberships.id, tasks.ownerMembershipId))
    .where(eq(tasks.id, params.taskId));
  return row;
}

/** A person's tasks not done yet, across their branches, the nearest deadline first. */
export async function openTasksOf(
  db: Database,
  params: { personId: string },
): Promise<Array<{ id: string; description: string; dueOn: string; branchId: string }>> {
  return db
    .select({ id: tasks.id, description: tasks.description, dueOn: tasks.dueOn, branchId: resolutions.branchId })
    .from(tasks)
    .innerJoin(resolutions, eq(resolutions.id, tasks.resolutionId))
    .innerJoin(memberships, eq(memberships.id, tasks.ownerMembershipId))
    .where(and(eq(memberships.personId, params.personId), isNull(tasks.doneAt)))
    .orderBy(asc(tasks.dueOn), asc(tasks.createdAt));
}

/** Marks a task done once; false when it already was. */
export async function markTaskDone(db: Database, params: { taskId: string; at: Date }): Promise<boolean> {
  const rows = await db
    .update(tasks)
    .set({ doneAt: params.at })
    .where(and(eq(tasks.id, params.taskId), isNull(tasks.doneAt)))
    .returning({ id: tasks.id });
  return rows.length === 1;
}

export async function setWantsSummaries(db: Database, params: { membershipId: string; wants: boolean }): Promise<void> {
  await db.update(memberships).set({ wantsSummaries: params.wants }).where(eq(memberships.id, params.membershipId));
}
