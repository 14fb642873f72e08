import { describe, expect, it } from "vitest";
import { compareRanks, monthsOf, parsePeriod, periodOf, previousPeriod } from "../../src/core/reports/rules.ts";
import type { BranchRank } from "../../src/core/reports/types.ts";

describe("report periods", () => {
  it("hold the day asked about", () => {
    expect(periodOf("month", "2026-02-14")).toEqual({ kind: "month", key: "2026-02", from: "2026-02-01", to: "2026-02-28" });
    expect(periodOf("month", "2028-02-14").to).toBe("2028-02-29");
    expect(periodOf("quarter", "2026-12-07")).toEqual({ kind: "quarter", key: "2026-Q4", from: "2026-10-01", to: "2026-12-31" });
    expect(periodOf("quarter", "2026-04-01")).toMatchObject({ key: "2026-Q2", from: "2026-04-01", to: "2026-06-30" });
    expect(periodOf("year", "2026-07-01")).toEqual({ kind: "year", key: "2026", from: "2026-01-01", to: "2026-12-31" });
  });

  it("step back across a new year", () => {
    expect(previousPeriod(periodOf("month", "2027-01-05")).key).toBe("2026-12");
    expect(previousPeriod(periodOf("quarter", "2027-01-05")).key).toBe("2026-Q4");
    expect(previousPeriod(periodOf("year", "2027-01-05")).key).toBe("2026");
  });

  it("are read back from their keys, and nothing else is", () => {
    for (const key of ["2026-11", "2026-Q1", "2026-Q4", "2026"]) expect(parsePeriod(key)?.key).toBe(key);
    for (const key of ["2026-13", "2026-Q5", "26", "2026-1", "", "2026-11-01"]) expect(parsePeriod(key)).toBeUndefined();
  });

  it("list their months", () => {
    expect(monthsOf(periodOf("quarter", "2026-11-01"))).toEqual(["2026-10", "2026-11", "2026-12"]);
    expect(monthsOf(periodOf("year", "2026-11-01"))).toHaveLength(12);
    expect(monthsOf(periodOf("month", "2026-11-01"))).toEqual(["2026-11"]);
    expect(monthsOf({ kind: "year", key: "x", from: "2026-11-01", to: "2027-02-28" })).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
  });
});

describe("the ranked list", () => {
  const rank = (branchName: string, rate: number | null, openAlerts = 0, withoutRollCall = 0): BranchRank => ({
    branchId: branchName,
    branchName,
    unitName: "Xã",
    meetings: 3,
    withoutRollCall,
    expected: 30,
    present: 25,
    rate,
    openAlerts,
    criteriaMissed: 0,
  });

  it("puts first the branches that need attention", () => {
    const list = [rank("Đông", 0.9), rank("Bắc", 0.7), rank("Tây", null), rank("Nam", 0.9, 2), rank("Trung", 0.9, 2, 1), rank("An", 0.9)];
    expect(list.sort(compareRanks).map((r) => r.branchName)).toEqual(["Tây", "Bắc", "Trung", "Nam", "An", "Đông"]);
  });
});
