import { describe, expect, it } from "vitest";
import { checkDeadline, checkTaskText, matchOwner, parseDeadline, parseVotes, voteExample, votesNeeded } from "../../src/core/resolutions/rules.ts";

describe("votes as secretaries type them", () => {
  it("reads three numbers in order, whatever separates them", () => {
    for (const typed of ["8 1 0", "8/1/0", "8-1-0", "8, 1, 0", "tán thành 8, không tán thành 1, không biểu quyết 0"]) {
      expect(parseVotes(typed)).toEqual({ ok: true, votes: { for: 8, against: 1, abstain: 0 } });
    }
  });

  it("refuses anything but exactly three numbers, and minus signs", () => {
    for (const typed of ["8 1", "8 1 0 2", "tám phiếu", "", "-1 0 0", "tán thành: -2, 0, 0"])
      expect(parseVotes(typed)).toEqual({ ok: false, reason: "votes_format" });
  });

  it("gives an example the meeting's counts allow", () => {
    // Seven members of the voting base present: "8 1 0" would be refused.
    expect(voteExample(7)).toBe("7 0 0");
    const example = parseVotes(voteExample(7));
    expect(example.ok && example.votes.for + example.votes.against + example.votes.abstain).toBe(7);
    expect(voteExample(0)).toBe("0 0 0");
  });

  it("needs more than half of the voting base", () => {
    expect([votesNeeded(8), votesNeeded(9), votesNeeded(0), votesNeeded(1)]).toEqual([5, 5, 1, 1]);
  });
});

describe("tasks", () => {
  it("keeps a task's text tidy and bounded", () => {
    expect(checkTaskText("  Sửa   loa\nphát thanh ")).toEqual({ ok: true, description: "Sửa loa phát thanh" });
    expect(checkTaskText("   ")).toEqual({ ok: false, reason: "task_empty" });
    expect(checkTaskText("x".repeat(501))).toEqual({ ok: false, reason: "task_too_long" });
  });

  it("wants a deadline after today and within a year", () => {
    expect(checkDeadline("2026-12-04", "2026-12-03")).toEqual({ ok: true });
    expect(checkDeadline("2026-12-03", "2026-12-03")).toEqual({ ok: false, reason: "deadline_past" });
    expect(checkDeadline("2025-12-15", "2026-12-03")).toEqual({ ok: false, reason: "deadline_past" });
    expect(checkDeadline("2027-12-04", "2026-12-03")).toEqual({ ok: true });
    expect(checkDeadline("2027-12-05", "2026-12-03")).toEqual({ ok: false, reason: "deadline_far" });
  });
});

describe("a deadline as secretaries type it", () => {
  const today = "2026-12-03";

  it("reads the end of this month, of next month, of a named month and of the year, with or without diacritics", () => {
    for (const typed of ["cuối tháng", "Cuoi thang", "cuối tháng này", "end of month"]) expect(parseDeadline(typed, today), typed).toBe("2026-12-31");
    for (const typed of ["cuối tháng sau", "cuoi thang sau", "end of next month"]) expect(parseDeadline(typed, today), typed).toBe("2027-01-31");
    for (const typed of ["cuối năm", "cuoi nam", "end of year"]) expect(parseDeadline(typed, today), typed).toBe("2026-12-31");
    expect(parseDeadline("cuối tháng 2", today)).toBe("2027-02-28");
    expect(parseDeadline("cuối tháng 12", today)).toBe("2026-12-31");
    expect(parseDeadline("cuối tháng sau", "2027-01-15")).toBe("2027-02-28");
    expect(parseDeadline("cuối tháng 13", today)).toBeUndefined();
  });

  it("reads a day without a year as the next such day to come", () => {
    expect(parseDeadline("15/12", today)).toBe("2026-12-15");
    expect(parseDeadline("15-12", today)).toBe("2026-12-15");
    expect(parseDeadline("ngày 20.12", today)).toBe("2026-12-20");
    expect(parseDeadline("10/1", today)).toBe("2027-01-10");
    // Today stays today, for checkDeadline to refuse plainly.
    expect(parseDeadline("3/12", today)).toBe("2026-12-03");
    expect(parseDeadline("29/2", today)).toBeUndefined();
    expect(parseDeadline("29/2", "2027-12-03")).toBe("2028-02-29");
  });

  it("reads a full date, and nothing else", () => {
    expect(parseDeadline("15/12/2026", today)).toBe("2026-12-15");
    expect(parseDeadline("15-12-2026", today)).toBe("2026-12-15");
    for (const typed of ["31/02/2027", "sớm", "cuối tuần", "32/1", ""]) expect(parseDeadline(typed, today), typed).toBeUndefined();
  });
});

describe("the owner a typed name means", () => {
  const roster = [{ name: "Phạm Thị Hoa" }, { name: "Lý Thị Hạnh" }, { name: "Nguyễn Văn Hùng" }, { name: "Nguyễn Văn Hùng" }, { name: "Lê Văn Minh" }];

  it("matches without diacritics or case, whole names first, then words", () => {
    expect(matchOwner("pham thi hoa", roster)).toEqual({ ok: true, owner: roster[0] });
    expect(matchOwner("Hoa", roster)).toEqual({ ok: true, owner: roster[0] });
    expect(matchOwner("đ/c Minh", roster)).toEqual({ ok: true, owner: roster[4] });
  });

  it("asks again when several match, or nobody", () => {
    expect(matchOwner("Thị", roster)).toMatchObject({ ok: false, reason: "owner_ambiguous", candidates: [roster[0], roster[1]] });
    expect(matchOwner("Nguyễn Văn Hùng", roster)).toMatchObject({ ok: false, reason: "owner_ambiguous" });
    expect(matchOwner("Trần Văn Xyz", roster)).toMatchObject({ ok: false, reason: "owner_unknown", candidates: [] });
    expect(matchOwner("  ", roster)).toMatchObject({ ok: false, reason: "owner_unknown" });
  });
});
