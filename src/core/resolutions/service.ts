import type { NoticeParams, TypedNotice } from "../notices.ts";
import { dedupeKey } from "../delivery/dedupe.ts";
import { can, forbidden, type Action, type Forbidden } from "../access/permissions.ts";
import { sheet } from "../attendance/roll-call.ts";
import { voteOutcome, type MinutesCounts } from "../attendance/counts.ts";
import type { CoreDeps } from "../deps.ts";
import type { OutboxItem } from "../delivery/types.ts";
import type { Branch } from "../branches/types.ts";
import type { Meeting } from "../meetings/types.ts";
import type { Notice } from "../ports.ts";
import type { Actor } from "../roles.ts";
import { sortRoster } from "../roster/service.ts";
import { addDays, localDay, zonedInstant } from "../time.ts";
import { checkDeadline, checkTaskText, MAX_RESOLUTION_TEXT, MAX_TASKS } from "./rules.ts";
import type { MeetingDocumentData, Resolution, ResolutionContent, SummaryRecipient, TaskDraft } from "./types.ts";
import { notify } from "../delivery/notify.ts";

/** A resolution is written for a meeting held in the last six weeks. */
const LOOKBACK_MS = 45 * 24 * 3600_000;
/** The secretary's "remind those who have not read it" works once an hour at most. */
const NUDGE_EVERY_MS = 3600_000;
/** Task owners are reminded the day before the deadline, in the morning. */
const TASK_REMINDER_TIME = "08:00";
/** Absentees hear first: they were not there to hear it. */
const ABSENTEE_PRIORITY = 45;
const SUMMARY_PRIORITY = 55;

type Problem = { ok: false; reason: "unknown" | "cancelled" | "roll_call_open" | "no_resolution" };

interface Loaded {
  meeting: Meeting;
  branch: Branch;
  day: string;
}

async function load(deps: CoreDeps, actor: Actor, meetingId: string, action: Action): Promise<({ ok: true } & Loaded) | Forbidden | Problem> {
  const meeting = await deps.store.meetings.get(meetingId);
  if (!meeting) return { ok: false, reason: "unknown" };
  const scope = await deps.store.orgUnits.branchScope(meeting.branchId);
  if (!scope || !can(actor, action, scope)) return forbidden;
  if (meeting.status === "cancelled") return { ok: false, reason: "cancelled" };
  const branch = (await deps.store.branches.get(meeting.branchId))!;
  return { ok: true, meeting, branch, day: localDay(meeting.startsAt, branch.timezone) };
}

export interface ResolutionDesk {
  meeting: Meeting;
  branchName: string;
  timezone: string;
  counts: MinutesCounts;
  /** The roster owners can be chosen from, in roster order. */
  owners: Array<{ membershipId: string; name: string }>;
  existing: Resolution | undefined;
}

/**
 * What the secretary writes a resolution for: the last meeting held (not a committee
 * meeting), once its roll call is closed — the vote is checked against its counts. Asked
 * with a meeting (an older button), it must still be that last meeting.
 */
export async function desk(
  deps: CoreDeps,
  actor: Actor,
  target: { branchId: string } | { meetingId: string },
): Promise<{ ok: true; desk: ResolutionDesk } | Forbidden | Problem | { ok: false; reason: "no_meeting" | "old_meeting" }> {
  const branchId = "branchId" in target ? target.branchId : (await deps.store.meetings.get(target.meetingId))?.branchId;
  if (!branchId) return { ok: false, reason: "unknown" };
  const scope = await deps.store.orgUnits.branchScope(branchId);
  if (!scope || !can(actor, "resolution.send", scope)) return forbidden;
  const now = deps.clock.now();
  const meetings = await deps.store.meetings.list(branchId, new Date(now.getTime() - LOOKBACK_MS), now, false);
  const meeting = meetings.filter((m) => m.kind !== "committee" && m.startsAt.getTime() <= now.getTime()).at(-1);
  if (!meeting) return { ok: false, reason: "meetingId" in target ? "old_meeting" : "no_meeting" };
  if ("meetingId" in target && target.meetingId !== meeting.id) return { ok: false, reason: "old_meeting" };
  const found = await load(deps, actor, meeting.id, "resolution.send");
  if (!found.ok) return found;
  if (!meeting.rollCallClosedAt) return { ok: false, reason: "roll_call_open" };
  const [current, owners, existing] = await Promise.all([
    sheet(deps, meeting, found.branch.timezone),
    activeRoster(deps, branchId, localDay(now, found.branch.timezone)),
    deps.store.resolutions.ofMeeting(meeting.id),
  ]);
  return { ok: true, desk: { meeting, branchName: found.branch.name, timezone: found.branch.timezone, counts: current.counts, owners, existing } };
}

async function activeRoster(
  deps: CoreDeps,
  branchId: string,
  day: string,
): Promise<Array<{ membershipId: string; name: string; personId: string | null; role: string }>> {
  const roster = await deps.store.roster.list(branchId, day);
  return sortRoster(roster.filter((r) => !r.removed)).map((r) => ({ membershipId: r.membershipId, name: r.name, personId: r.personId, role: r.role }));
}

export type AdoptProblem =
  | "exists"
  | "empty"
  | "too_long"
  | "too_many_tasks"
  | "owner_not_in_roster"
  | "task_empty"
  | "task_too_long"
  | "deadline_past"
  | "deadline_far"
  | "negative"
  | "more_than_voters";

/**
 * Adopts the resolution of a held meeting and, in the same transaction, plans the summary to
 * every member (absentees first) and the supervisors, each task to its owner, and a reminder
 * the day before each deadline. Everything is checked again here: a dialog can be stale.
 */
export async function adopt(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
  content: ResolutionContent,
): Promise<
  | {
      ok: true;
      resolutionId: string;
      number: number;
      valid: boolean | null;
      votingBase: number;
      sent: number;
      unreachable: Array<{ name: string; phone: string | null }>;
    }
  | Forbidden
  | Problem
  | { ok: false; reason: AdoptProblem }
> {
  const found = await load(deps, actor, meetingId, "resolution.send");
  if (!found.ok) return found;
  const { meeting, branch, day } = found;
  if (!meeting.rollCallClosedAt) return { ok: false, reason: "roll_call_open" };
  if (await deps.store.resolutions.ofMeeting(meetingId)) return { ok: false, reason: "exists" };
  const checked = await checkContent(deps, branch, content);
  if (!checked.ok) return checked;
  const current = await sheet(deps, meeting, branch.timezone);
  let valid: boolean | null = null;
  if (content.votes) {
    const outcome = voteOutcome(current.counts, content.votes);
    if (!outcome.ok) return outcome;
    valid = outcome.valid;
  }
  const now = deps.clock.now();
  const absent = new Set(current.lines.filter((l) => l.expected && !l.present).map((l) => l.membershipId));
  const [members, supervisors] = await Promise.all([deps.store.resolutions.summaryRecipients(branch.id, day), deps.store.meetings.supervisorsOf([branch.id])]);
  const unreachable = sortRoster(members.filter((m) => m.wantsSummaries && (!m.personId || !m.address))).map(({ name, phone }) => ({ name, phone }));
  const votingBase = current.counts.votingBase;

  return deps.store.transaction(async (tx) => {
    // Two secretaries sending at once: the second insert finds the first and writes nothing.
    // Numbered in the year of the meeting, whose date the document carries.
    const inserted = await tx.resolutions.insert({
      branchId: branch.id,
      meetingId,
      year: Number(day.slice(0, 4)),
      content: checked.content,
      votingBase,
      valid,
      createdBy: actor.person.id,
      at: now,
    });
    if (!inserted) return { ok: false as const, reason: "exists" as const };
    const summary = summaryNotice(branch, meeting, checked.content, current.counts, valid, false);
    const sent = await tx.outbox.enqueue(
      summaryItems((personId) => dedupeKey.summary(inserted.id, personId), summary, meetingId, members, supervisors, absent, now),
      now,
    );
    await tx.outbox.enqueue(taskItems(branch, meeting, checked.content.tasks, inserted.taskIds, members, now), now);
    // The branch's linked groups see the summary too: every member may (its “Đã đọc” is answered in private).
    await tx.outbox.enqueue(
      branch.groupChats.map((chat) => ({
        dedupeKey: dedupeKey.summary(inserted.id, chat),
        kind: "resolution.summary",
        meetingId,
        personId: null,
        address: chat,
        notice: summary,
        dueAt: now,
        staleAt: null,
        priority: SUMMARY_PRIORITY,
      })),
      now,
    );
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: branch.id,
      action: "resolution.adopt",
      entity: "resolution",
      entityId: inserted.id,
      after: { ...checked.content, number: inserted.number, valid, votingBase },
      at: now,
    });
    return { ok: true as const, resolutionId: inserted.id, number: inserted.number, valid, votingBase, sent, unreachable };
  });
}

type Supervisor = { personId: string; address: string };

/** One summary per person reachable: members who want it (absentees first), then supervisors who are not members. */
function summaryItems(
  keyOf: (personId: string) => string,
  notice: TypedNotice<"resolution.summary">,
  meetingId: string,
  members: SummaryRecipient[],
  supervisors: Supervisor[],
  absent: Set<string>,
  now: Date,
): OutboxItem[] {
  const items: OutboxItem[] = [];
  const reached = new Set<string>();
  const add = (personId: string, address: string, params: NoticeParams["resolution.summary"], priority: number) => {
    if (reached.has(personId)) return;
    reached.add(personId);
    items.push({
      dedupeKey: keyOf(personId),
      kind: "resolution.summary",
      meetingId,
      personId,
      address,
      notice: { kind: "resolution.summary", params },
      dueAt: now,
      staleAt: null,
      priority,
    });
  };
  for (const m of members) {
    if (m.wantsSummaries && m.personId && m.address)
      add(m.personId, m.address, notice.params, m.membershipId && absent.has(m.membershipId) ? ABSENTEE_PRIORITY : SUMMARY_PRIORITY);
  }
  for (const s of supervisors) add(s.personId, s.address, { ...notice.params, supervisor: true }, SUMMARY_PRIORITY);
  return items;
}

/** Each owner's task now, and a reminder the morning before its deadline (if that is still ahead). */
function taskItems(branch: Branch, meeting: Meeting, tasks: TaskDraft[], taskIds: string[], members: SummaryRecipient[], now: Date): OutboxItem[] {
  const addressOf = new Map(members.filter((m) => m.personId && m.address).map((m) => [m.membershipId, { personId: m.personId!, address: m.address! }]));
  const items: OutboxItem[] = [];
  tasks.forEach((task, index) => {
    const owner = addressOf.get(task.ownerMembershipId);
    if (!owner) return;
    const taskId = taskIds[index]!;
    const params = {
      taskId,
      meetingId: meeting.id,
      description: task.description,
      dueOn: task.dueOn,
      branchName: branch.name,
      startsAt: meeting.startsAt.toISOString(),
      timezone: branch.timezone,
    };
    const base = { meetingId: meeting.id, personId: owner.personId, address: owner.address, priority: SUMMARY_PRIORITY };
    items.push({
      ...base,
      dedupeKey: dedupeKey.taskAssigned(taskId),
      kind: "task.assigned",
      notice: { kind: "task.assigned", params },
      dueAt: now,
      staleAt: null,
    });
    const remindAt = zonedInstant(addDays(task.dueOn, -1), TASK_REMINDER_TIME, branch.timezone);
    if (remindAt.getTime() <= now.getTime()) return;
    items.push({
      ...base,
      dedupeKey: dedupeKey.taskReminder(taskId),
      kind: "task.reminder",
      notice: { kind: "task.reminder", params },
      dueAt: remindAt,
      staleAt: zonedInstant(task.dueOn, "23:59", branch.timezone),
    });
  });
  return items;
}

async function checkContent(
  deps: CoreDeps,
  branch: Branch,
  content: ResolutionContent,
): Promise<{ ok: true; content: ResolutionContent } | { ok: false; reason: AdoptProblem }> {
  const trim = (value: string | null) => (value && value.trim() ? value.trim() : null);
  const body = trim(content.body);
  const results = content.format === "form" ? trim(content.results) : null;
  if (!body && !results && content.tasks.length === 0) return { ok: false, reason: "empty" };
  if ((body?.length ?? 0) + (results?.length ?? 0) > MAX_RESOLUTION_TEXT) return { ok: false, reason: "too_long" };
  const tasks = content.format === "form" ? content.tasks : [];
  if (tasks.length > MAX_TASKS) return { ok: false, reason: "too_many_tasks" };
  const today = localDay(deps.clock.now(), branch.timezone);
  const roster = new Map((await activeRoster(deps, branch.id, today)).map((r) => [r.membershipId, r.name]));
  const clean = [];
  for (const task of tasks) {
    const text = checkTaskText(task.description);
    if (!text.ok) return text;
    const owner = roster.get(task.ownerMembershipId);
    if (!owner) return { ok: false, reason: "owner_not_in_roster" };
    const deadline = checkDeadline(task.dueOn, today);
    if (!deadline.ok) return deadline;
    clean.push({ ...task, description: text.description, ownerName: owner });
  }
  return { ok: true, content: { format: content.format, body, results, tasks: clean, votes: content.votes } };
}

/** The summary as the outbox keeps it: rendered in each recipient's language when sent. */
function summaryNotice(
  branch: Branch,
  meeting: Meeting,
  content: ResolutionContent,
  counts: MinutesCounts,
  valid: boolean | null,
  reminder: boolean,
): TypedNotice<"resolution.summary"> {
  return {
    kind: "resolution.summary",
    params: {
      meetingId: meeting.id,
      branchName: branch.name,
      startsAt: meeting.startsAt.toISOString(),
      timezone: branch.timezone,
      format: content.format,
      body: content.body,
      results: content.results,
      // Notice parameters are flat values: the tasks travel as JSON.
      tasks: JSON.stringify(content.tasks.map((t) => ({ owner: t.ownerName, description: t.description, dueOn: t.dueOn }))),
      votesFor: content.votes?.for ?? null,
      votesAgainst: content.votes?.against ?? null,
      votesAbstain: content.votes?.abstain ?? null,
      votingBase: counts.votingBase,
      valid,
      present: counts.present,
      expected: counts.expected,
      rate: counts.rate,
      supervisor: false,
      reminder,
    },
  };
}

const contentOf = (r: Resolution): ResolutionContent => ({ format: r.format, body: r.body, results: r.results, tasks: r.tasks, votes: r.votes });

/** The latest resolution of a branch, for anyone who may read it, and whether they have. */
export async function latest(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
): Promise<{ ok: true; resolution: Resolution; notice: Notice; read: boolean } | Forbidden | { ok: false; reason: "no_resolution" }> {
  const scope = await deps.store.orgUnits.branchScope(branchId);
  if (!scope || !can(actor, "resolution.read", scope)) return forbidden;
  const resolution = await deps.store.resolutions.latest(branchId);
  if (!resolution) return { ok: false, reason: "no_resolution" };
  const [meeting, branch, reads] = await Promise.all([
    deps.store.meetings.get(resolution.meetingId),
    deps.store.branches.get(branchId),
    deps.store.resolutions.reads(resolution.id),
  ]);
  const current = await sheet(deps, meeting!, branch!.timezone);
  return {
    ok: true,
    resolution,
    notice: summaryNotice(branch!, meeting!, contentOf(resolution), current.counts, resolution.valid, false),
    read: reads.some((r) => r.personId === actor.person.id),
  };
}

/** "Đã đọc" pressed under a summary. */
export async function markRead(deps: CoreDeps, actor: Actor, meetingId: string): Promise<{ ok: true; first: boolean } | Forbidden | Problem> {
  const found = await load(deps, actor, meetingId, "resolution.read");
  if (!found.ok) return found;
  const resolution = await deps.store.resolutions.ofMeeting(meetingId);
  if (!resolution) return { ok: false, reason: "no_resolution" };
  return { ok: true, first: await deps.store.resolutions.markRead(resolution.id, actor.person.id, deps.clock.now()) };
}

/**
 * The summary a typed "đã đọc" is about: the latest resolution of the person's branches
 * that they have not marked read, else the latest they have (undefined when there is none).
 */
export async function summaryToRead(deps: CoreDeps, actor: Actor): Promise<{ meetingId: string; read: boolean } | undefined> {
  const found: Array<{ resolution: Resolution; read: boolean }> = [];
  for (const m of actor.memberships) {
    const resolution = await deps.store.resolutions.latest(m.branchId);
    if (!resolution) continue;
    const reads = await deps.store.resolutions.reads(resolution.id);
    found.push({ resolution, read: reads.some((r) => r.personId === actor.person.id) });
  }
  found.sort((a, b) => Number(a.read) - Number(b.read) || b.resolution.createdAt.getTime() - a.resolution.createdAt.getTime());
  return found[0] ? { meetingId: found[0].resolution.meetingId, read: found[0].read } : undefined;
}

/** The person's own tasks not done yet, for a typed "xong". */
export function openTasks(deps: CoreDeps, actor: Actor): Promise<Array<{ id: string; description: string; dueOn: string }>> {
  return deps.store.resolutions.openTasksOf(actor.person.id);
}

export interface Readers {
  meeting: Meeting;
  branchName: string;
  timezone: string;
  read: Array<{ name: string; at: Date }>;
  unread: string[];
  /** Members the summary could not reach: no chat account linked, or every account unreachable. */
  noAccount: Array<{ name: string; phone: string | null }>;
  optedOut: string[];
  /** The supervisors among those names, so the secretary can tell them from members. */
  supervisors: string[];
}

/** Who has read the summary, for the secretary. */
export async function readers(deps: CoreDeps, actor: Actor, meetingId: string): Promise<{ ok: true; readers: Readers } | Forbidden | Problem> {
  const found = await load(deps, actor, meetingId, "resolution.send");
  if (!found.ok) return found;
  const resolution = await deps.store.resolutions.ofMeeting(meetingId);
  if (!resolution) return { ok: false, reason: "no_resolution" };
  const { members, supervisors } = await audienceOf(deps, found);
  const audience = [...members, ...supervisors.map((s) => ({ ...s, wantsSummaries: true }))];
  const reads = new Map((await deps.store.resolutions.reads(resolution.id)).map((r) => [r.personId, r.readAt]));
  const readers: Readers = {
    meeting: found.meeting,
    branchName: found.branch.name,
    timezone: found.branch.timezone,
    read: [],
    unread: [],
    noAccount: [],
    optedOut: [],
    supervisors: supervisors.map((s) => s.name),
  };
  for (const person of audience) {
    const at = person.personId ? reads.get(person.personId) : undefined;
    if (at) readers.read.push({ name: person.name, at });
    else if (!person.wantsSummaries) readers.optedOut.push(person.name);
    else if (!person.personId || !person.address) readers.noAccount.push({ name: person.name, phone: "phone" in person ? person.phone : null });
    else readers.unread.push(person.name);
  }
  readers.noAccount = sortRoster(readers.noAccount);
  return { ok: true, readers };
}

/** Members of the branch on the meeting's day, then the supervisors who are not members. */
async function audienceOf(deps: CoreDeps, found: Loaded): Promise<{ members: SummaryRecipient[]; supervisors: Array<Supervisor & { name: string }> }> {
  const [members, supervisors] = await Promise.all([
    deps.store.resolutions.summaryRecipients(found.branch.id, found.day),
    deps.store.meetings.supervisorsOf([found.branch.id]),
  ]);
  const memberPersons = new Set(members.map((m) => m.personId));
  const others = [];
  for (const s of supervisors.filter((x) => !memberPersons.has(x.personId))) {
    others.push({ personId: s.personId, address: s.address, name: (await deps.store.people.get(s.personId))?.displayName ?? "—" });
  }
  return { members, supervisors: others };
}

/** Sends the summary again to those who have not pressed "Đã đọc"; once an hour at most. */
export async function nudgeUnread(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
): Promise<{ ok: true; sent: number } | Forbidden | Problem | { ok: false; reason: "too_soon" }> {
  const found = await load(deps, actor, meetingId, "resolution.send");
  if (!found.ok) return found;
  const resolution = await deps.store.resolutions.ofMeeting(meetingId);
  if (!resolution) return { ok: false, reason: "no_resolution" };
  const now = deps.clock.now();
  const last = await deps.store.outbox.lastPlanned(dedupeKey.summaryNudgesOf(resolution.id));
  if (last && now.getTime() - last.getTime() < NUDGE_EVERY_MS) return { ok: false, reason: "too_soon" };
  const read = new Set((await deps.store.resolutions.reads(resolution.id)).map((r) => r.personId));
  const current = await sheet(deps, found.meeting, found.branch.timezone);
  const notice = summaryNotice(found.branch, found.meeting, contentOf(resolution), current.counts, resolution.valid, true);
  const { members, supervisors } = await audienceOf(deps, found);
  const unread = <T extends { personId: string | null }>(list: T[]) => list.filter((p) => !p.personId || !read.has(p.personId));
  const items = summaryItems(
    (personId) => dedupeKey.summaryNudge(resolution.id, now, personId),
    notice,
    meetingId,
    unread(members),
    unread(supervisors),
    new Set(),
    now,
  );
  return { ok: true, sent: await deps.store.outbox.enqueue(items, now) };
}

/** A task owner (or the secretary) marks a task done: its reminder is withdrawn and the secretary told. */
export async function completeTask(
  deps: CoreDeps,
  actor: Actor,
  taskId: string,
): Promise<{ ok: true; first: boolean; description: string } | Forbidden | { ok: false; reason: "unknown" }> {
  const task = await deps.store.resolutions.getTask(taskId);
  if (!task) return { ok: false, reason: "unknown" };
  const scope = await deps.store.orgUnits.branchScope(task.branchId);
  const isOwner = task.ownerPersonId !== null && task.ownerPersonId === actor.person.id;
  if (!scope || !(isOwner || can(actor, "resolution.send", scope))) return forbidden;
  const now = deps.clock.now();
  const first = await deps.store.transaction(async (tx) => {
    const done = await tx.resolutions.markTaskDone(taskId, now);
    if (done) await tx.outbox.cancelPendingByKey(dedupeKey.taskReminder(taskId));
    return done;
  });
  if (first) {
    const branch = await deps.store.branches.get(task.branchId);
    const officers = (await activeRoster(deps, task.branchId, localDay(now, branch?.timezone ?? deps.timezone)))
      .filter((r) => (r.role === "secretary" || r.role === "deputy") && r.personId && r.personId !== actor.person.id)
      .map((r) => r.personId!);
    await notify(
      deps,
      officers,
      { kind: "task.done", params: { owner: task.ownerName, description: task.description, by: actor.person.displayName } },
      task.id,
    );
  }
  return { ok: true, first, description: task.description };
}

/**
 * What the minutes (secretary, deputy, committee) and the resolution (anyone who reads
 * resolutions) show. Both need the roll call closed: the counts are final then.
 */
export async function documentData(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
  document: "minutes" | "resolution",
): Promise<{ ok: true; data: MeetingDocumentData } | Forbidden | Problem> {
  const found = await load(deps, actor, meetingId, document === "minutes" ? "attendance.view" : "resolution.read");
  if (!found.ok) return found;
  const { meeting, branch, day } = found;
  if (!meeting.rollCallClosedAt) return { ok: false, reason: "roll_call_open" };
  const resolution = await deps.store.resolutions.ofMeeting(meetingId);
  if (document === "resolution" && !resolution) return { ok: false, reason: "no_resolution" };
  const [current, roster] = await Promise.all([sheet(deps, meeting, branch.timezone), activeRoster(deps, branch.id, day)]);
  return {
    ok: true,
    data: {
      orgUnitName: branch.orgUnitName,
      branchName: branch.name,
      meetingKind: meeting.kind,
      startsAt: meeting.startsAt,
      timezone: branch.timezone,
      place: meeting.place ?? branch.defaultPlace,
      locality: branch.locality,
      agenda: meeting.agenda,
      thematicTopic: meeting.thematicTopic,
      counts: current.counts,
      // The expected members present; those who came though not expected are in counts.attendingApart.
      presentNames: current.lines.filter((l) => l.present && l.expected).map((l) => l.name),
      guestNames: current.guests.map((g) => g.name),
      chairName: roster.find((r) => r.role === "secretary")?.name ?? null,
      // Who kept the minutes is not recorded: the document leaves a line to sign by hand.
      minuteTakerName: null,
      resolution: resolution
        ? { number: resolution.number, content: contentOf(resolution), votingBase: resolution.votingBase ?? current.counts.votingBase, valid: resolution.valid }
        : null,
    },
  };
}

/** A member's own choice to receive resolution summaries (exempt members often opt out). */
export async function setWantsSummaries(deps: CoreDeps, actor: Actor, branchId: string, wants: boolean): Promise<{ ok: true } | Forbidden> {
  const membership = actor.memberships.find((m) => m.branchId === branchId);
  if (!membership) return forbidden;
  await deps.store.resolutions.setWantsSummaries(membership.membershipId, wants);
  return { ok: true };
}
