import { describe, expect, it } from "vitest";
import { parseDays } from "../../handlers/admin.ts";

describe("days off as typed", () => {
  it("reads single days, lists and ranges", () => {
    expect(parseDays("02/05/2026")).toEqual({ ok: true, value: ["2026-05-02"] });
    expect(parseDays("16/02/2026 - 18/02/2026, 02/05/2026")).toEqual({ ok: true, value: ["2026-02-16", "2026-02-17", "2026-02-18", "2026-05-02"] });
    expect(parseDays("30/12/2026 đến 02/01/2027")).toEqual({ ok: true, value: ["2026-12-30", "2026-12-31", "2027-01-01", "2027-01-02"] });
  });

  it("refuses what is not a date, a backwards range and more than 60 days", () => {
    expect(parseDays("mùng 1 Tết")).toEqual({ ok: false, reason: "days" });
    expect(parseDays("31/02/2026")).toEqual({ ok: false, reason: "days" });
    expect(parseDays("18/02/2026 - 16/02/2026")).toEqual({ ok: false, reason: "days" });
    expect(parseDays("01/01/2026 - 31/12/2026")).toEqual({ ok: false, reason: "tooManyDays" });
  });
});
