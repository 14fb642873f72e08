/**
 * The attendance block of the minutes (biên bản), counted the way the template counts, and
 * the voting base of SPEC §5. Pure: the roster of the meeting's day and the roll call go in.
 */
export interface RosterAtMeeting {
  membershipId: string;
  name: string;
  memberType: "full" | "probationary";
  status: "active" | "exempt" | "temporarily_exempt" | "transferred_out" | "attached" | "special_duty";
  /** Whether the status, on the meeting's day, means the member is expected (see the reminder rules). */
  expected: boolean;
}

export interface RollCallEntry {
  membershipId: string;
  present: boolean;
  absence: "excused" | "unexcused" | null;
  reason: string | null;
}

export interface MinutesCounts {
  total: number;
  full: number;
  probationary: number;
  attached: number;
  exempt: number;
  transferredOut: number;
  expected: number;
  /** Expected members present: present + absent = expected, always. */
  present: number;
  /**
   * Members not expected (exempt, transferred out) who came all the same: the minutes list them
   * apart ("dự họp nhưng không tính"), outside present, absent and the rate.
   */
  attendingApart: Array<{ name: string; status: RosterAtMeeting["status"] }>;
  /** Full members of the voting base who are present: the most votes a resolution can get. */
  votersPresent: number;
  absentExcused: Array<{ name: string; reason: string | null }>;
  absentUnexcused: string[];
  /** Absent, reason not decided yet: the roll call cannot close while any remain. */
  absentUndecided: string[];
  guests: number;
  /** present ÷ expected, 0–1; null when nobody is expected. */
  rate: number | null;
  /** Votes needed for a resolution to pass: more than half of this. */
  votingBase: number;
}

const isExempt = (r: RosterAtMeeting) => r.status === "exempt" || (r.status === "temporarily_exempt" && !r.expected);
const isTransferredOut = (r: RosterAtMeeting) => r.status === "transferred_out" && !r.expected;

export function countMinutes(roster: RosterAtMeeting[], rollCall: RollCallEntry[], guests: number): MinutesCounts {
  const entry = new Map(rollCall.map((e) => [e.membershipId, e]));
  const came = (r: RosterAtMeeting) => entry.get(r.membershipId)?.present ?? false;
  const expected = roster.filter((r) => r.expected);
  // Present counts expected members only: an exempt or transferred-out member who comes is
  // listed apart, so that present + absent = expected and the rate is present ÷ expected.
  const present = expected.filter(came);
  const absent = expected.filter((r) => !came(r));
  const apart = roster.filter((r) => !r.expected && came(r));
  const excused = absent.filter((r) => entry.get(r.membershipId)?.absence === "excused");
  const unexcused = absent.filter((r) => entry.get(r.membershipId)?.absence === "unexcused");
  const undecided = absent.filter((r) => !entry.get(r.membershipId)?.absence);

  // SPEC §5: full members summoned, minus those transferred out, minus exempt members who did
  // not attend, minus full members absent with an accepted reason. Probationary members do not vote.
  const fullMembers = roster.filter((r) => r.memberType === "full");
  const voters = fullMembers.filter((r) => {
    if (isTransferredOut(r)) return false;
    if (isExempt(r) && !came(r)) return false;
    if (r.expected && !came(r) && entry.get(r.membershipId)?.absence === "excused") return false;
    return true;
  });

  return {
    total: roster.length,
    full: fullMembers.length,
    probationary: roster.filter((r) => r.memberType === "probationary").length,
    attached: roster.filter((r) => r.status === "attached").length,
    exempt: roster.filter(isExempt).length,
    transferredOut: roster.filter(isTransferredOut).length,
    expected: expected.length,
    present: present.length,
    attendingApart: apart.map((r) => ({ name: r.name, status: r.status })),
    votersPresent: voters.filter(came).length,
    absentExcused: excused.map((r) => ({ name: r.name, reason: entry.get(r.membershipId)?.reason ?? null })),
    absentUnexcused: unexcused.map((r) => r.name),
    absentUndecided: undecided.map((r) => r.name),
    guests,
    rate: expected.length ? present.length / expected.length : null,
    votingBase: voters.length,
  };
}

/**
 * Whether votes for pass: more than half of the voting base. More votes than members of the
 * voting base present is refused: probationary members, and members transferred out who came,
 * do not vote.
 */
export function voteOutcome(
  counts: Pick<MinutesCounts, "votingBase" | "votersPresent">,
  votes: { for: number; against: number; abstain: number },
): { ok: true; valid: boolean } | { ok: false; reason: "negative" | "more_than_voters" } {
  if (votes.for < 0 || votes.against < 0 || votes.abstain < 0) return { ok: false, reason: "negative" };
  if (votes.for + votes.against + votes.abstain > counts.votersPresent) return { ok: false, reason: "more_than_voters" };
  return { ok: true, valid: votes.for * 2 > counts.votingBase };
}

/**
 * Whether a status means "expected at a meeting on `day`" — the same rule the reminders and
 * replies use in SQL (src/store/queries/meetings.ts): exempt never; temporarily exempt and
 * transferred out only once their end date has come; attached until their end date.
 */
export function isExpectedOn(status: RosterAtMeeting["status"], statusUntil: string | null, day: string): boolean {
  if (status === "exempt") return false;
  if (status === "temporarily_exempt" || status === "transferred_out") return statusUntil !== null && statusUntil <= day;
  if (status === "attached") return statusUntil === null || statusUntil > day;
  return true;
}
