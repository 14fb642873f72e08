import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countMinutes, isExpectedOn, voteOutcome, type RosterAtMeeting, type RollCallEntry } from "../../src/core/attendance/counts.ts";

const member = (name: string, overrides: Partial<RosterAtMeeting> = {}): RosterAtMeeting => ({
  membershipId: name,
  name,
  memberType: "full",
  status: "active",
  expected: true,
  ...overrides,
});
const present = (name: string): RollCallEntry => ({ membershipId: name, present: true, absence: null, reason: null });
const absent = (name: string, absence: "excused" | "unexcused" | null, reason: string | null = null): RollCallEntry => ({
  membershipId: name,
  present: false,
  absence,
  reason,
});

/** A branch of 12, counted by hand the way the minutes template does. */
const roster = [
  member("A"),
  member("B"),
  member("C"),
  member("D"),
  member("E"),
  member("F"),
  member("G", { memberType: "probationary" }),
  member("H", { memberType: "probationary" }),
  member("I", { status: "exempt", expected: false }),
  member("J", { status: "transferred_out", expected: false }),
  member("K", { status: "attached" }),
  member("L", { status: "temporarily_exempt", expected: false }),
];

describe("minutes counts", () => {
  it("match a hand count: one unexcused, two excused absences, one guest", () => {
    const roll = [
      present("A"),
      present("B"),
      present("C"),
      present("G"),
      present("K"),
      absent("D", "excused", "ốm"),
      absent("E", "excused", "đi công tác"),
      absent("F", "unexcused"),
      present("H"),
    ];
    const counts = countMinutes(roster, roll, 1);
    expect(counts).toMatchObject({
      total: 12,
      full: 10,
      probationary: 2,
      attached: 1,
      exempt: 2,
      transferredOut: 1,
      expected: 9,
      present: 6,
      absentExcused: [
        { name: "D", reason: "ốm" },
        { name: "E", reason: "đi công tác" },
      ],
      absentUnexcused: ["F"],
      absentUndecided: [],
      guests: 1,
    });
    expect(counts.rate).toBeCloseTo(6 / 9);
    // Full: A B C D E F I J K L = 10; minus J (transferred), I and L (exempt, absent), D and E (excused) = 5.
    expect(counts.votingBase).toBe(5);
  });

  it("lists an exempt member who came apart: not present, not in the rate, but voting", () => {
    const counts = countMinutes(roster, [present("A"), present("I")], 0);
    expect(counts.present).toBe(1);
    expect(counts.attendingApart).toEqual([{ name: "I", status: "exempt" }]);
    expect(counts.rate).toBeCloseTo(1 / 9);
    // SPEC §5 takes out only the exempt members who did not attend: I came, so I votes.
    expect(counts.votingBase).toBe(8);
    expect(counts.votersPresent).toBe(2);
  });

  it("lists a transferred-out member who came apart, outside the voting base", () => {
    const counts = countMinutes(roster, [present("A"), present("J")], 0);
    expect(counts.present).toBe(1);
    expect(counts.attendingApart).toEqual([{ name: "J", status: "transferred_out" }]);
    expect(counts.votingBase).toBe(7);
    expect(counts.votersPresent).toBe(1);
  });

  it("counts the reported meeting: 27 expected, 20 of them present, an exempt and a transferred-out member checked in", () => {
    const expected = Array.from({ length: 27 }, (_, i) => member(`M${i}`));
    const big = [...expected, member("X", { status: "exempt", expected: false }), member("T", { status: "transferred_out", expected: false })];
    const roll = [
      ...expected.slice(0, 20).map((m) => present(m.membershipId)),
      ...expected.slice(20, 24).map((m) => absent(m.membershipId, "excused", "ốm")),
      ...expected.slice(24).map((m) => absent(m.membershipId, "unexcused")),
      present("X"),
      present("T"),
    ];
    const counts = countMinutes(big, roll, 0);
    expect(counts.expected).toBe(27);
    expect(counts.present).toBe(20);
    expect(counts.present + counts.absentExcused.length + counts.absentUnexcused.length).toBe(27);
    expect(counts.rate).toBeCloseTo(20 / 27);
    expect(counts.attendingApart.map((a) => a.name)).toEqual(["X", "T"]);
    // Voting base: 27 + X (came) - 4 excused = 24; present among them: the 20 and X. T does not vote.
    expect(counts.votingBase).toBe(24);
    expect(counts.votersPresent).toBe(21);
    expect(voteOutcome(counts, { for: 21, against: 0, abstain: 0 })).toEqual({ ok: true, valid: true });
    expect(voteOutcome(counts, { for: 21, against: 1, abstain: 0 })).toEqual({ ok: false, reason: "more_than_voters" });
  });

  it("leaves absences without a decision as undecided", () => {
    expect(countMinutes(roster, [present("A")], 0).absentUndecided).toHaveLength(8);
  });

  it("has no rate when nobody is expected", () => {
    expect(countMinutes([member("I", { status: "exempt", expected: false })], [], 0).rate).toBeNull();
  });
});

describe("vote validity", () => {
  it("passes with more than half of the voting base", () => {
    expect(voteOutcome({ votingBase: 5, votersPresent: 5 }, { for: 3, against: 1, abstain: 1 })).toEqual({ ok: true, valid: true });
    expect(voteOutcome({ votingBase: 6, votersPresent: 6 }, { for: 3, against: 3, abstain: 0 })).toEqual({ ok: true, valid: false });
  });

  it("refuses more votes than members of the voting base present, and negative votes", () => {
    expect(voteOutcome({ votingBase: 5, votersPresent: 5 }, { for: 5, against: 1, abstain: 0 })).toEqual({ ok: false, reason: "more_than_voters" });
    expect(voteOutcome({ votingBase: 5, votersPresent: 5 }, { for: -1, against: 0, abstain: 0 })).toEqual({ ok: false, reason: "negative" });
    expect(voteOutcome({ votingBase: 5, votersPresent: 5 }, { for: 4, against: 1, abstain: 0 })).toEqual({ ok: true, valid: true });
  });

  it("counts only full members of the voting base among the voters present: probationary members do not vote", () => {
    const counts = countMinutes([member("A"), member("B"), member("P", { memberType: "probationary" })], [present("A"), present("P")], 0);
    expect({ present: counts.present, votersPresent: counts.votersPresent }).toEqual({ present: 2, votersPresent: 1 });
  });
});

/**
 * Any roll call, of any roster: random statuses (each with the expectation the status gives on
 * the day) and random marks, from a fixed seed so a failure reproduces (and shrinks) the same way.
 */
describe("minutes counts, for any roll call", () => {
  const statuses: RosterAtMeeting["status"][] = ["active", "exempt", "temporarily_exempt", "transferred_out", "attached", "special_duty"];
  const rosterArb = fc.uniqueArray(
    fc.record({
      memberType: fc.constantFrom<RosterAtMeeting["memberType"]>("full", "probationary"),
      status: fc.constantFrom(...statuses),
      // Time-boxed statuses end before or after the meeting's day.
      ended: fc.boolean(),
      mark: fc.constantFrom("none", "present", "excused", "unexcused", "absent"),
      id: fc.integer({ min: 0, max: 10_000 }),
    }),
    { maxLength: 60, selector: (r) => r.id },
  );
  const setUp = (rows: Array<{ memberType: RosterAtMeeting["memberType"]; status: RosterAtMeeting["status"]; ended: boolean; mark: string; id: number }>) => {
    const day = "2026-12-03";
    const roster: RosterAtMeeting[] = rows.map((r) => ({
      membershipId: `m${r.id}`,
      name: `Member ${r.id}`,
      memberType: r.memberType,
      status: r.status,
      expected: isExpectedOn(r.status, r.ended ? "2026-12-01" : "2027-01-01", day),
    }));
    const roll: RollCallEntry[] = rows
      .filter((r) => r.mark !== "none")
      .map((r) => (r.mark === "present" ? present(`m${r.id}`) : absent(`m${r.id}`, r.mark === "absent" ? null : (r.mark as "excused" | "unexcused"))));
    return { roster, roll };
  };

  it("has present + absent = expected, the rate present ÷ expected, and those not expected apart", () => {
    fc.assert(
      fc.property(rosterArb, fc.nat({ max: 5 }), (rows, guests) => {
        const { roster, roll } = setUp(rows);
        const c = countMinutes(roster, roll, guests);
        const absent = c.absentExcused.length + c.absentUnexcused.length + c.absentUndecided.length;
        expect(c.present + absent).toBe(c.expected);
        expect(c.expected).toBe(roster.filter((r) => r.expected).length);
        expect(c.rate).toBe(c.expected ? c.present / c.expected : null);
        const came = new Set(roll.filter((e) => e.present).map((e) => e.membershipId));
        expect(c.present + c.attendingApart.length).toBe(came.size);
        const apart = new Set(c.attendingApart.map((a) => a.name));
        for (const r of roster) if (apart.has(r.name)) expect(r.expected).toBe(false);
        expect(c.votersPresent).toBeLessThanOrEqual(c.votingBase);
        expect(c.votersPresent).toBeLessThanOrEqual(came.size);
        expect(c.full + c.probationary).toBe(c.total);
        expect(c.guests).toBe(guests);
      }),
      { seed: 20261203, numRuns: 500 },
    );
  });
});
