import { describe, expect, it } from "vitest";
import { countMinutes, voteOutcome, type RosterAtMeeting, type RollCallEntry } from "../../src/core/attendance/counts.ts";

const member = (name: string, overrides: Partial<RosterAtMeeting> = {}): RosterAtMeeting => ({ membershipId: name, name, memberType: "full", status: "active", expected: true, ...overrides });
const present = (name: string): RollCallEntry => ({ membershipId: name, present: true, absence: null, reason: null });
const absent = (name: string, absence: "excused" | "unexcused" | null, reason: string | null = null): RollCallEntry => ({ membershipId: name, present: false, absence, reason });

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
    const roll = [present("A"), present("B"), present("C"), present("G"), present("K"), absent("D", "excused", "ốm"), absent("E", "excused", "đi công tác"), absent("F", "unexcused"), present("H")];
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

  it("counts an exempt member who came among those present and voting", () => {
    const counts = countMinutes(roster, [present("A"), present("I")], 0);
    expect(counts.present).toBe(2);
    expect(counts.votingBase).toBe(8);
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
    expect(voteOutcome({ votingBase: 5, present: 6, fullPresent: 5 }, { for: 3, against: 1, abstain: 1 })).toEqual({ ok: true, valid: true });
    expect(voteOutcome({ votingBase: 6, present: 6, fullPresent: 6 }, { for: 3, against: 3, abstain: 0 })).toEqual({ ok: true, valid: false });
  });

  it("refuses more votes than people present, and negative votes", () => {
    expect(voteOutcome({ votingBase: 5, present: 6, fullPresent: 5 }, { for: 5, against: 2, abstain: 0 })).toEqual({ ok: false, reason: "more_than_present" });
    expect(voteOutcome({ votingBase: 5, present: 6, fullPresent: 5 }, { for: -1, against: 0, abstain: 0 })).toEqual({ ok: false, reason: "negative" });
  });

  it("refuses more votes than full members present: probationary members do not vote", () => {
    expect(voteOutcome({ votingBase: 5, present: 6, fullPresent: 5 }, { for: 5, against: 1, abstain: 0 })).toEqual({ ok: false, reason: "more_than_voters" });
    expect(voteOutcome({ votingBase: 5, present: 6, fullPresent: 5 }, { for: 4, against: 1, abstain: 0 })).toEqual({ ok: true, valid: true });
  });

  it("counts full members present separately from everyone present", () => {
    const counts = countMinutes([member("A"), member("B"), member("P", { memberType: "probationary" })], [present("A"), present("P")], 0);
    expect({ present: counts.present, fullPresent: counts.fullPresent }).toEqual({ present: 2, fullPresent: 1 });
  });
});
