import { dedupeKey } from "../delivery/dedupe.ts";
import { can, forbidden, type Forbidden } from "../access/permissions.ts";
import type { CoreDeps } from "../deps.ts";
import type { OutboxItem } from "../delivery/types.ts";
import type { Meeting } from "../meetings/types.ts";
import type { Actor, MemberStatus } from "../roles.ts";
import { localDay } from "../time.ts";
import { boundReason, type Answer } from "./rules.ts";
import { sortRoster } from "../roster/service.ts";

export interface ReplyRow {
  membershipId: string;
  personId: string | null;
  name: string;
  /** From the roster: the secretary calls those who are not on Chibo. */
  phone: string | null;
  role: string;
  memberType: string;
  answer: Answer | null;
  reason: string | null;
}

/**
 * How far ahead a typed "có" / "vắng" can be meant for: from the moment a meeting exists,
 * not only once its notice went out (a member told at the last meeting may answer at once).
 */
const REPLY_HORIZON_MS = 100 * 24 * 3600_000;
/** A nudge reaches the same people at most once an hour. */
const NUDGE_EVERY_MS = 3600_000;

type MeetingContext = { meeting: Meeting; branchName: string; timezone: string; day: string };

async function context(deps: CoreDeps, meetingId: string): Promise<MeetingContext | undefined> {
  const meeting = await deps.store.meetings.get(meetingId);
  if (!meeting) return undefined;
  const branch = await deps.store.branches.get(meeting.branchId);
  if (!branch) return undefined;
  return { meeting, branchName: branch.name, timezone: branch.timezone, day: localDay(meeting.startsAt, branch.timezone) };
}

const expected = (deps: CoreDeps, c: MeetingContext) => deps.store.attendance.expected(c.meeting.id, c.meeting.branchId, c.day, c.meeting.kind === "committee");

export type ReplyProblem = "unknown" | "cancelled" | "started" | "not_member" | "not_expected";

/**
 * A member's answer to a meeting notice. It can change until the meeting starts; only
 * members expected that day answer (an exempt member is told they need not).
 */
export async function reply(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
  answer: Answer,
  reasonInput?: string,
): Promise<
  | { ok: true; answer: Answer; reasonTruncated: boolean; meeting: Meeting; branchName: string; timezone: string }
  | { ok: false; reason: Exclude<ReplyProblem, "not_expected"> }
  | { ok: false; reason: "not_expected"; status: MemberStatus }
> {
  const c = await context(deps, meetingId);
  if (!c) return { ok: false, reason: "unknown" };
  if (c.meeting.status === "cancelled") return { ok: false, reason: "cancelled" };
  if (c.meeting.status === "held" || c.meeting.startsAt.getTime() <= deps.clock.now().getTime()) return { ok: false, reason: "started" };
  const membership = actor.memberships.find((m) => m.branchId === c.meeting.branchId);
  if (!membership) return { ok: false, reason: "not_member" };
  if (!(await expected(deps, c)).some((row) => row.membershipId === membership.membershipId))
    return { ok: false, reason: "not_expected", status: membership.status };
  const bounded = answer === "no" && reasonInput ? boundReason(reasonInput) : undefined;
  await deps.store.attendance.upsertReply(meetingId, membership.membershipId, answer, bounded?.reason || null, deps.clock.now());
  const afterwards = deps.outside ?? deps;
  deps.later.run(`tally:${meetingId}`, async () => void (await refreshNoticeTally(afterwards, meetingId)));
  return { ok: true, answer, reasonTruncated: bounded?.truncated ?? false, meeting: c.meeting, branchName: c.branchName, timezone: c.timezone };
}

/** The meeting a typed answer is about: the next one of the person's branches, from the moment it exists. */
export interface MeetingToAnswer {
  meeting: Meeting;
  branchName: string;
  timezone: string;
  /** What the person answered so far (null: not yet, or not expected there). */
  answer: Answer | null;
}

export async function meetingToAnswer(deps: CoreDeps, actor: Actor): Promise<MeetingToAnswer | undefined> {
  const now = deps.clock.now();
  const candidates: Array<{ meeting: Meeting; membershipId: string }> = [];
  for (const m of actor.memberships) {
    const meetings = await deps.store.meetings.list(m.branchId, now, new Date(now.getTime() + REPLY_HORIZON_MS), false);
    for (const meeting of meetings) {
      if (meeting.status === "scheduled" && (meeting.kind !== "committee" || m.role !== "member")) candidates.push({ meeting, membershipId: m.membershipId });
    }
  }
  candidates.sort((a, b) => a.meeting.startsAt.getTime() - b.meeting.startsAt.getTime());
  const next = candidates[0];
  if (!next) return undefined;
  const c = await context(deps, next.meeting.id);
  if (!c) return undefined;
  const own = (await expected(deps, c)).find((row) => row.membershipId === next.membershipId);
  return { meeting: c.meeting, branchName: c.branchName, timezone: c.timezone, answer: own?.answer ?? null };
}

/** A typed answer this long after a meeting's start is about that meeting, not the next one. */
const UNDER_WAY_MS = 6 * 3600_000;

/**
 * The meeting of the person's branches under way (started within the last hours, not a
 * committee meeting unless they sit on it): an answer typed now is too late for it, and the
 * person is told so, and how to check in if its code is open.
 */
export async function meetingUnderWay(deps: CoreDeps, actor: Actor): Promise<{ meeting: Meeting; timezone: string; checkInOpen: boolean } | undefined> {
  const now = deps.clock.now();
  for (const m of actor.memberships) {
    const meetings = await deps.store.meetings.list(m.branchId, new Date(now.getTime() - UNDER_WAY_MS), now, false);
    const meeting = meetings.filter((x) => x.startsAt.getTime() <= now.getTime() && (x.kind !== "committee" || m.role !== "member")).at(-1);
    // Once its roll call is closed the meeting is over: what the member types is about the next one.
    if (!meeting || meeting.rollCallClosedAt) continue;
    const branch = await deps.store.branches.get(m.branchId);
    const checkInOpen = Boolean(
      meeting.checkInCode && meeting.checkInExpiresAt && meeting.checkInExpiresAt.getTime() > now.getTime() && !meeting.rollCallClosedAt,
    );
    return { meeting, timezone: branch?.timezone ?? deps.timezone, checkInOpen };
  }
  return undefined;
}

export interface Tally {
  meeting: Meeting;
  branchName: string;
  timezone: string;
  yes: ReplyRow[];
  no: ReplyRow[];
  maybe: ReplyRow[];
  none: ReplyRow[];
}

/** Who said what so far: for the secretary, deputy and committee. */
export async function tally(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
): Promise<{ ok: true; tally: Tally } | Forbidden | { ok: false; reason: "unknown" }> {
  const c = await context(deps, meetingId);
  if (!c) return { ok: false, reason: "unknown" };
  const scope = await deps.store.orgUnits.branchScope(c.meeting.branchId);
  if (!scope || !can(actor, "attendance.view", scope)) return forbidden;
  const rows = sortRoster(await expected(deps, c));
  return {
    ok: true,
    tally: {
      meeting: c.meeting,
      branchName: c.branchName,
      timezone: c.timezone,
      yes: rows.filter((r) => r.answer === "yes"),
      no: rows.filter((r) => r.answer === "no"),
      maybe: rows.filter((r) => r.answer === "maybe"),
      none: rows.filter((r) => r.answer === null),
    },
  };
}

/** One more reminder to those who have not answered; at most once an hour per meeting. */
export async function nudge(
  deps: CoreDeps,
  actor: Actor,
  meetingId: string,
): Promise<{ ok: true; sent: number } | Forbidden | { ok: false; reason: "unknown" | "too_soon" | "started" }> {
  const c = await context(deps, meetingId);
  if (!c) return { ok: false, reason: "unknown" };
  const scope = await deps.store.orgUnits.branchScope(c.meeting.branchId);
  if (!scope || !can(actor, "meeting.manage", scope)) return forbidden;
  const now = deps.clock.now();
  if (c.meeting.status !== "scheduled" || c.meeting.startsAt.getTime() <= now.getTime()) return { ok: false, reason: "started" };
  const last = await deps.store.outbox.lastPlanned(dedupeKey.nudgesOf(meetingId));
  if (last && now.getTime() - last.getTime() < NUDGE_EVERY_MS) return { ok: false, reason: "too_soon" };
  const silent = (await expected(deps, c)).filter((r) => r.answer === null && r.personId);
  const addresses = await deps.store.meetings.recipients([{ meetingId, branchId: c.meeting.branchId, day: c.day }], { roles: null, skip: "answered" });
  const targets = addresses.filter((a) => silent.some((s) => s.personId === a.personId));
  const items: OutboxItem[] = targets.map((t) => ({
    dedupeKey: dedupeKey.nudge(meetingId, now, t.personId),
    kind: "meeting.reminder",
    meetingId,
    personId: t.personId,
    address: t.address,
    notice: {
      kind: "meeting.reminder",
      params: {
        meetingId,
        meetingKind: c.meeting.kind,
        branchName: c.branchName,
        startsAt: c.meeting.startsAt.toISOString(),
        timezone: c.timezone,
        place: c.meeting.place,
        agenda: c.meeting.agenda,
        documents: null,
        thematicTopic: c.meeting.thematicTopic,
        minutesBefore: 0,
        supervisor: false,
        group: false,
      },
    },
    dueAt: now,
    staleAt: c.meeting.startsAt,
    priority: 60,
  }));
  return { ok: true, sent: await deps.store.outbox.enqueue(items, now) };
}

/**
 * The notice posted in a branch group shows how many have answered, kept current by editing
 * it (where the channel can). Private copies are left alone: editing every member's copy on
 * every reply would spend the send budget on nothing the member needs.
 */
export async function refreshNoticeTally(deps: CoreDeps, meetingId: string): Promise<number> {
  const copies = await deps.store.outbox.sentGroupNotices(meetingId);
  if (copies.length === 0) return 0;
  const c = await context(deps, meetingId);
  if (!c) return 0;
  const rows = await expected(deps, c);
  const count = (answer: Answer | null) => rows.filter((r) => r.answer === answer).length;
  const tally = { tallyYes: count("yes"), tallyNo: count("no"), tallyMaybe: count("maybe"), tallyNone: count(null) };
  let edited = 0;
  for (const copy of copies) {
    // Group copies are written in the deployment's first language, as when they were sent.
    if (await deps.notifications.edit(copy.address, copy.externalMessageId, { kind: copy.notice.kind, params: { ...copy.notice.params, ...tally } }, "vi"))
      edited++;
  }
  return edited;
}
