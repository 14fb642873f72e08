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
  present: number;
  /** Full members present: the most votes a resolution can get (probationary members do not vote). */
  fullPresent: number;
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
  const expected = roster.filter((r) => r.expected);
  // Present counts everyone who came, expected or not (an exempt member may still attend).
  const present = roster.filter((r) => entry.get(r.membershipId)?.present);
  const absent = expected.filter((r) => !entry.get(r.membershipId)?.present);
  const excused = absent.filter((r) => entry.get(r.membershipId)?.absence === "excused");
  const unexcused = absent.filter((r) => entry.get(r.membershipId)?.absence === "unexcused");
  const undecided = absent.filter((r) => !entry.get(r.membershipId)?.absence);
  const presentExpected = expected.filter((r) => entry.get(r.membershipId)?.present).length;

  // SPEC §5: full members summoned, minus those transferred out, minus exempt members who did
  // not attend, minus full members absent with an accepted reason. Probationary members do not vote.
  const fullMembers = roster.filter((r) => r.memberType === "full");
  const votingBase = fullMembers.filter((r) => {
    if (isTransferredOut(r)) return false;
    const came = entry.get(r.membershipId)?.present ?? false;
    if (isExempt(r) && !came) return false;
    if (r.expected && !came && entry.get(r.membershipId)?.absence === "excused") return false;
    return true;
  }).length;

  return {
    total: roster.length,
    full: fullMembers.length,
    probationary: roster.filter((r) => r.memberType === "probationary").length,
    attached: roster.filter((r) => r.status === "attached").length,
    exempt: roster.filter(isExempt).length,
    transferredOut: roster.filter(isTransferredOut).length,
    expected: expected.length,
    present: present.length,
    fullPresent: present.filter((r) => r.memberType === "full").length,
    absentExcused: excused.map((r) => ({ name: r.name, reason: entry.get(r.membershipId)?.reason ?? null })),
    absentUnexcused: unexcused.map((r) => r.name),
    absentUndecided: undecided.map((r) => r.name),
    guests,
    rate: expected.length ? presentExpected / expected.length : null,
    votingBase,
  };
}

/**
 * Whether votes for pass: more than half of the voting base. More votes than people present
 * is refused, and so is more votes than full members present (probationary members do not vote).
 */
export function voteOutcome(
  counts: Pick<MinutesCounts, "votingBase" | "present" | "fullPresent">,
  votes: { for: number; against: number; abstain: number },
): { ok: true; valid: boolean } | { ok: false; reason: "negative" | "more_than_present" | "more_than_voters" } {
  if (votes.for < 0 || votes.against < 0 || votes.abstain < 0) return { ok: false, reason: "negative" };
  const total = votes.for + votes.against + votes.abstain;
  if (total > counts.present) return { ok: false, reason: "more_than_present" };
  if (total > counts.fullPresent) return { ok: false, reason: "more_than_voters" };
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
