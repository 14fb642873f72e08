import type { MeetingParams, NoticeParams, TypedNotice } from "../notices.ts";
import { dedupeKey } from "../delivery/dedupe.ts";
import { can, forbidden, type BranchScope, type Forbidden } from "../access/permissions.ts";
import type { Answer } from "../attendance/rules.ts";
import type { CoreDeps } from "../deps.ts";
import type { OutboxItem } from "../delivery/types.ts";
import type { Actor } from "../roles.ts";
import { localDay } from "../time.ts";
import { meetingIcs } from "./ics.ts";
import { ensureOccurrences, ruleTimes } from "./planner.ts";
import type { Meeting, MeetingDocument, MeetingKind } from "./types.ts";

/** How far ahead /lichhop looks. */
const UPCOMING_MS = 75 * 24 * 3600_000;
const MAX_AGENDA = 2000;
const MAX_PLACE = 200;

async function scopeOf(deps: CoreDeps, branchId: string) {
  return deps.store.orgUnits.branchScope(branchId);
}

/** A coming meeting as one person sees it: may they answer it, and what did they say. */
export interface UpcomingMeeting extends Meeting {
  /** Expected there on its day (not exempt, not transferred out; a committee member for a committee meeting). */
  expected: boolean;
  /** Their answer so far, when they are expected. */
  answer: Answer | null;
}

/** Committee meetings are the committee's business: nobody else sees them, nor their calendar file. */
const mayView = (actor: Actor, scope: BranchScope, meeting: Meeting) =>
  can(actor, "meeting.view", scope) && (meeting.kind !== "committee" || can(actor, "attendance.view", scope));

export async function upcoming(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
): Promise<{ ok: true; meetings: UpcomingMeeting[]; branchName: string; timezone: string; canManage: boolean; canTally: boolean } | Forbidden> {
  const scope = await scopeOf(deps, branchId);
  if (!scope || !can(actor, "meeting.view", scope)) return forbidden;
  const now = deps.clock.now();
  const branch = (await deps.store.branches.get(branchId))!;
  const meetings = (await deps.store.meetings.list(branchId, now, new Date(now.getTime() + UPCOMING_MS), false)).filter((m) => mayView(actor, scope, m));
  const membership = actor.memberships.find((m) => m.branchId === branchId);
  const seen: UpcomingMeeting[] = [];
  for (const meeting of meetings) {
    // Expected by the same rule as the notices and the replies, read on the meeting's own day.
    const rows = membership
      ? await deps.store.attendance.expected(meeting.id, branchId, localDay(meeting.startsAt, branch.timezone), meeting.kind === "committee")
      : [];
    const mine = rows.find((r) => r.membershipId === membership?.membershipId);
    // Where it will be held: its own place, else the branch's usual one, as the notices say.
    seen.push({
      ...meeting,
      place: meeting.place ?? branch.defaultPlace,
      expected: mine !== undefined && meeting.status === "scheduled",
      answer: mine?.answer ?? null,
    });
  }
  return {
    ok: true,
    meetings: seen,
    branchName: branch.name,
    timezone: branch.timezone,
    canManage: can(actor, "meeting.manage", scope),
    canTally: can(actor, "attendance.view", scope),
  };
}

async function managed(deps: CoreDeps, actor: Actor, meetingId: string) {
  const meeting = await deps.store.meetings.get(meetingId);
  if (!meeting) return { ok: false as const, reason: "unknown" as const };
  const scope = await scopeOf(deps, meeting.branchId);
  if (!scope || !can(actor, "meeting.manage", scope)) return forbidden;
  return { ok: true as const, meeting };
}

export interface NewMeetingInput {
  kind: Exclude<MeetingKind, "regular">;
  startsAt: Date;
  place: string | null;
  agenda: string | null;
  thematicTopic?: string | null;
}

export type MeetingProblem = "in_past" | "too_far" | "too_long" | "cancelled" | "started" | "unknown";

function checkFields(deps: CoreDeps, input: { startsAt?: Date; place?: string | null; agenda?: string | null }): MeetingProblem | undefined {
  const now = deps.clock.now().getTime();
  if (input.startsAt && input.startsAt.getTime() <= now) return "in_past";
  if (input.startsAt && input.startsAt.getTime() > now + 366 * 24 * 3600_000) return "too_far";
  if ((input.place?.length ?? 0) > MAX_PLACE || (input.agenda?.length ?? 0) > MAX_AGENDA) return "too_long";
  return undefined;
}

/** A thematic, committee or extraordinary meeting added by the secretary. */
export async function createMeeting(
  deps: CoreDeps,
  actor: Actor,
  branchId: string,
  input: NewMeetingInput,
): Promise<{ ok: true; meetingId: string } | Forbidden | { ok: false; reason: MeetingProblem }> {
  const scope = await scopeOf(deps, branchId);
  if (!scope || !can(actor, "meeting.manage", scope)) return forbidden;
  const problem = checkFields(deps, input);
  if (problem) return { ok: false, reason: problem };
  const [id] = await deps.store.meetings.insert([
    {
      branchId,
      kind: input.kind,
      occurrenceKey: null,
      startsAt: input.startsAt,
      place: input.place,
      agenda: input.agenda,
      thematicTopic: input.thematicTopic ?? null,
      createdBy: actor.person.id,
    },
  ]);
  await deps.store.audit.record({
    actorPersonId: actor.person.id,
    branchId,
    action: "meeting.create",
    entity: "meeting",
    entityId: id!,
    after: input,
    at: deps.clock.now(),
  });
  return { ok: true, meetingId: id! };
}

/**
 * Moves one meeting. Reminders not sent yet are withdrawn and planned again for the new
 * time; if people were already told, they are told of the change.
 */
export async function moveMeeting(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
  startsAt: Date,
): Promise<{ ok: true; told: number } | Forbidden | { ok: false; reason: MeetingProblem }> {
  const found = await managed(deps, actor, meetingId);
  if (!found.ok) return found;
  const { meeting } = found;
  if (meeting.status !== "scheduled") return { ok: false, reason: "cancelled" };
  if (meeting.startsAt.getTime() <= deps.clock.now().getTime()) return { ok: false, reason: "started" };
  const problem = checkFields(deps, { startsAt });
  if (problem) return { ok: false, reason: problem };
  const told = await deps.store.transaction(async (tx) => {
    const alreadyTold =
      (await tx.meetings.plannable(new Date(meeting.startsAt.getTime() - 1), meeting.startsAt)).find((m) => m.id === meetingId)?.plannedSteps.length ?? 0;
    await tx.outbox.cancelPendingForMeeting(meetingId);
    await tx.meetings.clearPlannedSteps(meetingId);
    await tx.meetings.update(meetingId, { startsAt }, true);
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: meeting.branchId,
      action: "meeting.move",
      entity: "meeting",
      entityId: meetingId,
      before: { startsAt: meeting.startsAt },
      after: { startsAt },
      at: deps.clock.now(),
    });
    return alreadyTold > 0
      ? tellEveryone(deps, tx, { ...meeting, startsAt }, "meeting.moved", { previousStartsAt: meeting.startsAt.toISOString() }, `v${meeting.sequence + 1}`)
      : 0;
  });
  return { ok: true, told };
}

/** Cancels one occurrence; everyone expected (and the supervisors) is told. */
export async function cancelMeeting(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
  reason: string,
): Promise<{ ok: true; told: number } | Forbidden | { ok: false; reason: MeetingProblem }> {
  const found = await managed(deps, actor, meetingId);
  if (!found.ok) return found;
  const { meeting } = found;
  if (meeting.status !== "scheduled") return { ok: false, reason: "cancelled" };
  if (reason.length > MAX_AGENDA) return { ok: false, reason: "too_long" };
  const told = await deps.store.transaction(async (tx) => {
    await tx.outbox.cancelPendingForMeeting(meetingId);
    await tx.meetings.update(meetingId, { status: "cancelled", cancelReason: reason || null }, true);
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: meeting.branchId,
      action: "meeting.cancel",
      entity: "meeting",
      entityId: meetingId,
      after: { reason },
      at: deps.clock.now(),
    });
    return tellEveryone(deps, tx, meeting, "meeting.cancelled", { reason: reason || null }, "cancel");
  });
  return { ok: true, told };
}

/** Place, agenda, documents or a thematic topic combined with the meeting. */
export async function editMeeting(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
  patch: { place?: string | null; agenda?: string | null; documents?: MeetingDocument[]; thematicTopic?: string | null },
): Promise<{ ok: true; told: number } | Forbidden | { ok: false; reason: MeetingProblem }> {
  const found = await managed(deps, actor, meetingId);
  if (!found.ok) return found;
  if (found.meeting.status !== "scheduled") return { ok: false, reason: "cancelled" };
  const problem = checkFields(deps, patch);
  if (problem) return { ok: false, reason: problem };
  const { meeting } = found;
  const told = await deps.store.transaction(async (tx) => {
    await tx.meetings.update(meetingId, patch, false);
    await tx.audit.record({
      actorPersonId: actor.person.id,
      branchId: meeting.branchId,
      action: "meeting.edit",
      entity: "meeting",
      entityId: meetingId,
      before: meeting,
      after: patch,
      at: deps.clock.now(),
    });
    // Those already told about the meeting hear about a new place or agenda too.
    const alreadyTold =
      (await tx.meetings.plannable(new Date(meeting.startsAt.getTime() - 1), meeting.startsAt)).find((m) => m.id === meetingId)?.plannedSteps.length ?? 0;
    const changed = (patch.place !== undefined && patch.place !== meeting.place) || (patch.agenda !== undefined && patch.agenda !== meeting.agenda);
    if (!alreadyTold || !changed) return 0;
    return tellEveryone(
      deps,
      tx,
      { ...meeting, ...patch },
      "meeting.updated",
      { agenda: patch.agenda ?? meeting.agenda },
      `edit-${deps.clock.now().getTime()}`,
    );
  });
  return { ok: true, told };
}

/** A change everyone expected must hear about, sent now; `version` tells one change from the next. */
async function tellEveryone<K extends "meeting.moved" | "meeting.updated" | "meeting.cancelled">(
  deps: CoreDeps,
  store: CoreDeps["store"],
  meeting: Meeting,
  kind: K,
  /** What this kind says beyond the meeting itself (the earlier time, the new agenda, the reason). */
  extra: Omit<NoticeParams[K], keyof MeetingParams>,
  version: string,
): Promise<number> {
  const branch = (await store.branches.get(meeting.branchId))!;
  const now = deps.clock.now();
  const day = localDay(meeting.startsAt, branch.timezone);
  const people = await store.meetings.recipients([{ meetingId: meeting.id, branchId: meeting.branchId, day }], {
    roles: meeting.kind === "committee" ? ["secretary", "deputy", "committee"] : null,
    skip: "none",
  });
  const supervisors = meeting.kind === "committee" ? [] : await store.meetings.supervisorsOf([meeting.branchId]);
  const items: OutboxItem[] = [...people, ...supervisors].map((r) => ({
    dedupeKey: dedupeKey.meetingChange(kind, meeting.id, version, r.personId),
    kind,
    meetingId: meeting.id,
    personId: r.personId,
    address: r.address,
    // The meeting's own fields and this kind's extra make its parameters (checked at the call).
    notice: {
      kind,
      params: {
        meetingId: meeting.id,
        meetingKind: meeting.kind,
        branchName: branch.name,
        startsAt: meeting.startsAt.toISOString(),
        timezone: branch.timezone,
        place: meeting.place,
        ...extra,
      } as NoticeParams[K],
    } as TypedNotice,
    dueAt: now,
    staleAt: null,
    priority: 40,
  }));
  return store.outbox.enqueue(items, now);
}

/** The meeting as a calendar file, for anyone who may see it (a committee meeting: the committee only). */
export async function calendarFile(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
): Promise<{ ok: true; ics: string; meeting: Meeting; branchName: string; timezone: string } | Forbidden | { ok: false; reason: "unknown" }> {
  const meeting = await deps.store.meetings.get(meetingId);
  if (!meeting) return { ok: false, reason: "unknown" };
  const scope = await scopeOf(deps, meeting.branchId);
  if (!scope || !mayView(actor, scope, meeting)) return forbidden;
  const branch = (await deps.store.branches.get(meeting.branchId))!;
  const ics = meetingIcs({
    uid: `${meeting.id}@chibo`,
    sequence: meeting.sequence,
    title: branch.name,
    ...(meeting.agenda ? { description: meeting.agenda } : {}),
    ...((meeting.place ?? branch.defaultPlace) ? { location: (meeting.place ?? branch.defaultPlace)! } : {}),
    startsAt: meeting.startsAt,
    durationMinutes: meeting.durationMinutes,
    cancelled: meeting.status === "cancelled",
    now: deps.clock.now(),
  });
  return { ok: true, ics, meeting, branchName: branch.name, timezone: branch.timezone };
}

/**
 * After a branch's rule changed: future rule meetings that nobody moved by hand follow the
 * new rule (their unsent reminders are withdrawn and planned again); missing ones are created.
 */
export async function applyRule(deps: CoreDeps, branchId: string): Promise<number> {
  const now = deps.clock.now();
  const future = await deps.store.meetings.list(branchId, now, new Date(now.getTime() + UPCOMING_MS), false);
  const ruled = future.filter((m) => m.occurrenceKey && m.status === "scheduled" && m.plannedStartsAt?.getTime() === m.startsAt.getTime());
  let moved = 0;
  const ruleTime = await ruleTimes(deps);
  for (const meeting of ruled) {
    const next = ruleTime(branchId, meeting);
    if (!next || next.getTime() === meeting.startsAt.getTime() || next.getTime() <= now.getTime()) continue;
    await deps.store.transaction(async (tx) => {
      await tx.outbox.cancelPendingForMeeting(meeting.id);
      await tx.meetings.clearPlannedSteps(meeting.id);
      await tx.meetings.update(meeting.id, { startsAt: next, plannedStartsAt: next }, true);
    });
    moved++;
  }
  await ensureOccurrences(deps, [branchId]);
  return moved;
}
