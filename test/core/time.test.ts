import { describe, expect, it } from "vitest";
import { daysBetween, formatDate, formatDateTime, formatQuarter, localDay, zonedInstant } from "../../src/core/time.ts";

describe("time", () => {
  it("runs under a non-UTC process timezone, so nothing relies on it", () => {
    expect(new Date("2026-01-15T12:00:00Z").getTimezoneOffset()).not.toBe(0);
  });

  it("turns a Vietnamese wall-clock time into the right instant", () => {
    expect(zonedInstant("2026-12-03", "19:30", "Asia/Ho_Chi_Minh").toISOString()).toBe("2026-12-03T12:30:00.000Z");
    expect(zonedInstant("2027-01-01", "00:00", "Asia/Ho_Chi_Minh").toISOString()).toBe("2026-12-31T17:00:00.000Z");
  });

  it("handles a zone with daylight saving across the change", () => {
    expect(zonedInstant("2026-03-08", "12:00", "America/New_York").toISOString()).toBe("2026-03-08T16:00:00.000Z");
    expect(zonedInstant("2026-03-07", "12:00", "America/New_York").toISOString()).toBe("2026-03-07T17:00:00.000Z");
  });

  it("gives the local calendar day, not the UTC one", () => {
    expect(localDay(new Date("2026-12-02T18:00:00Z"), "Asia/Ho_Chi_Minh")).toBe("2026-12-03");
    expect(localDay(new Date("2026-12-02T18:00:00Z"), "UTC")).toBe("2026-12-02");
  });

  it("formats a meeting time as a secretary writes it", () => {
    const instant = new Date("2026-12-03T12:30:00Z");
    expect(formatDateTime(instant, "Asia/Ho_Chi_Minh", "vi")).toBe("19:30 Thứ Năm, 03/12/2026");
    expect(formatDateTime(instant, "Asia/Ho_Chi_Minh", "en")).toBe("19:30 Thursday, 03/12/2026");
    expect(formatDate(instant, "Asia/Ho_Chi_Minh", "vi")).toBe("03/12/2026");
  });

  it("names a quarter the way people write it", () => {
    expect(formatQuarter("2026-Q4", "vi")).toBe("IV/2026");
    expect(formatQuarter("2027-Q1", "vi")).toBe("I/2027");
    expect(formatQuarter("2026-Q4", "en")).toBe("Q4 2026");
  });

  it("counts whole days between calendar days", () => {
    expect(daysBetween("2026-12-30", "2026-12-31")).toBe(1);
    expect(daysBetween("2026-12-31", "2027-01-05")).toBe(5);
    expect(daysBetween("2026-12-31", "2026-12-31")).toBe(0);
    expect(daysBetween("2027-01-01", "2026-12-31")).toBe(-1);
  });
});
