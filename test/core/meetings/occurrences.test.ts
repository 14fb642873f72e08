import { describe, expect, it } from "vitest";
import { vietnamCalendar } from "../../../src/core/meetings/holidays.ts";
import {
  addMonths,
  committeeMeeting,
  lastMonthOfQuarter,
  monthOf,
  quarterOf,
  regularMeeting,
  type MeetingRule,
} from "../../../src/core/meetings/occurrences.ts";

const calendar = vietnamCalendar();
const HCM = "Asia/Ho_Chi_Minh";

function rule(overrides: Partial<MeetingRule> = {}): MeetingRule {
  return { meetingDay: 3, meetingTime: "19:30", timezone: HCM, holidayPolicy: "next_working_day", committeeDaysBefore: 3, ...overrides };
}

function meetingDay(r: Partial<MeetingRule>, month: string): string {
  return regularMeeting(rule(r), month, calendar).day;
}

describe("regularMeeting", () => {
  it("runs under a non-UTC process timezone, so nothing relies on it", () => {
    expect(new Date("2026-12-03T12:30:00Z").getTimezoneOffset()).not.toBe(0);
  });

  it("puts an ordinary meeting on the rule's day and time in the branch timezone", () => {
    const m = regularMeeting(rule(), "2026-12", calendar);
    expect(m).toEqual({ day: "2026-12-03", startsAt: new Date("2026-12-03T12:30:00.000Z") });
    expect(m.shiftedFrom).toBeUndefined();
  });

  it("takes the last day of 31-day, 30-day and February months", () => {
    const keep = { meetingDay: -1, holidayPolicy: "keep" as const };
    expect(meetingDay(keep, "2026-01")).toBe("2026-01-31");
    expect(meetingDay(keep, "2026-06")).toBe("2026-06-30");
    expect(meetingDay(keep, "2028-02")).toBe("2028-02-29"); // leap year
    expect(meetingDay(keep, "2027-02")).toBe("2027-02-28");
    expect(meetingDay({ meetingDay: -1 }, "2028-02")).toBe("2028-02-29"); // a Tuesday: no shift
  });

  it("moves a last-day meeting into the next month rather than backwards", () => {
    // 28/02/2027 is a Sunday.
    const m = regularMeeting(rule({ meetingDay: -1 }), "2027-02", calendar);
    expect(m).toEqual({ day: "2027-03-01", startsAt: new Date("2027-03-01T12:30:00.000Z"), shiftedFrom: "2027-02-28" });
    // 31/01/2026 is a Saturday.
    expect(meetingDay({ meetingDay: -1 }, "2026-01")).toBe("2026-02-02");
    expect(meetingDay({ meetingDay: -1, holidayPolicy: "previous_working_day" }, "2027-02")).toBe("2027-02-26");
    // 30/04/2026 (Thursday) and 01/05 are holidays, then a weekend.
    expect(meetingDay({ meetingDay: -1 }, "2026-04")).toBe("2026-05-04");
    expect(meetingDay({ meetingDay: -1, holidayPolicy: "previous_working_day" }, "2026-04")).toBe("2026-04-29");
  });

  it("moves a meeting off the Tết holiday", () => {
    // 17/02/2026 is mùng 1; 16–20/02 are the statutory days, 21–22 a weekend.
    const next = regularMeeting(rule({ meetingDay: 17 }), "2026-02", calendar);
    expect(next).toEqual({ day: "2026-02-23", startsAt: new Date("2026-02-23T12:30:00.000Z"), shiftedFrom: "2026-02-17" });
    expect(meetingDay({ meetingDay: 17, holidayPolicy: "previous_working_day" }, "2026-02")).toBe("2026-02-13");
    // The announced break (from Saturday 14/02) changes nothing here; an announced Friday would.
    const withExtra = vietnamCalendar(["2026-02-13"]);
    expect(regularMeeting(rule({ meetingDay: 17, holidayPolicy: "previous_working_day" }), "2026-02", withExtra).day).toBe("2026-02-12");
  });

  it("moves a weekend meeting both ways", () => {
    // 06/12/2026 is a Sunday.
    expect(meetingDay({ meetingDay: 6 }, "2026-12")).toBe("2026-12-07");
    expect(meetingDay({ meetingDay: 6, holidayPolicy: "previous_working_day" }, "2026-12")).toBe("2026-12-04");
    // 03/01/2027 is a Sunday; 02/01 a Saturday and 01/01 Tết Dương lịch.
    expect(meetingDay({ meetingDay: 3 }, "2027-01")).toBe("2027-01-04");
    // No working day before it in January, so "previous" reaches into December.
    const previous = regularMeeting(rule({ meetingDay: 3, holidayPolicy: "previous_working_day" }), "2027-01", calendar);
    expect(previous).toEqual({ day: "2026-12-31", startsAt: new Date("2026-12-31T12:30:00.000Z"), shiftedFrom: "2027-01-03" });
  });

  it("keeps the day under the keep policy", () => {
    const m = regularMeeting(rule({ meetingDay: 17, holidayPolicy: "keep" }), "2026-02", calendar);
    expect(m).toEqual({ day: "2026-02-17", startsAt: new Date("2026-02-17T12:30:00.000Z") });
    expect(meetingDay({ meetingDay: 6, holidayPolicy: "keep" }, "2026-12")).toBe("2026-12-06");
  });

  it("keeps the wall-clock time across daylight saving in another timezone", () => {
    const berlin = { timezone: "Europe/Berlin" };
    // Winter (CET, UTC+1) and summer (CEST, UTC+2); 29/03/2026 is the change.
    expect(regularMeeting(rule({ ...berlin, meetingDay: 26 }), "2026-02", calendar).startsAt.toISOString()).toBe("2026-02-26T18:30:00.000Z");
    expect(regularMeeting(rule({ ...berlin, meetingDay: -1 }), "2026-03", calendar).startsAt.toISOString()).toBe("2026-03-31T17:30:00.000Z");
    // A meeting shifted across the change keeps 19:30 local: Sunday 25/10/2026 → Monday 26/10 (CET).
    const shifted = regularMeeting(rule({ ...berlin, meetingDay: 25 }), "2026-10", calendar);
    expect(shifted).toEqual({ day: "2026-10-26", startsAt: new Date("2026-10-26T18:30:00.000Z"), shiftedFrom: "2026-10-25" });
  });

  it("treats a day past the month's end as its last day and rejects nonsense", () => {
    expect(meetingDay({ meetingDay: 31, holidayPolicy: "keep" }, "2026-04")).toBe("2026-04-30");
    expect(() => regularMeeting(rule({ meetingDay: 0 }), "2026-04", calendar)).toThrow(RangeError);
    expect(() => regularMeeting(rule({ meetingDay: -2 }), "2026-04", calendar)).toThrow(RangeError);
    expect(() => regularMeeting(rule(), "2026-13", calendar)).toThrow(RangeError);
    expect(() => regularMeeting(rule(), "2026-4", calendar)).toThrow(RangeError);
  });
});

describe("committeeMeeting", () => {
  it("comes the set number of days before, at the same time", () => {
    const r = rule({ committeeDaysBefore: 3 });
    const regular = regularMeeting(r, "2026-12", calendar);
    expect(committeeMeeting(r, regular, calendar)).toEqual({ day: "2026-11-30", startsAt: new Date("2026-11-30T12:30:00.000Z") });
  });

  it("steps back off days off, never onto or past the regular meeting", () => {
    // Regular meeting Monday 04/05/2026 (shifted from 30/04): 3 days before is 01/05, a holiday.
    const r = rule({ meetingDay: -1, committeeDaysBefore: 3 });
    const regular = regularMeeting(r, "2026-04", calendar);
    expect(regular.day).toBe("2026-05-04");
    expect(committeeMeeting(r, regular, calendar).day).toBe("2026-04-29");
    // One day before a Monday meeting is Sunday → Friday.
    const monday = rule({ meetingDay: 7, committeeDaysBefore: 1 });
    expect(committeeMeeting(monday, regularMeeting(monday, "2026-12", calendar), calendar).day).toBe("2026-12-04");
    // After Tết: the meeting moved to 23/02/2026; a week before is 16/02, inside Tết → 13/02.
    const tet = rule({ meetingDay: 17, committeeDaysBefore: 7 });
    expect(committeeMeeting(tet, regularMeeting(tet, "2026-02", calendar), calendar).day).toBe("2026-02-13");
  });

  it("with 0 days is the same day, 2 hours earlier", () => {
    const r = rule({ committeeDaysBefore: 0 });
    const regular = regularMeeting(r, "2026-12", calendar);
    expect(committeeMeeting(r, regular, calendar)).toEqual({ day: "2026-12-03", startsAt: new Date("2026-12-03T10:30:00.000Z") });
  });

  it("uses the branch timezone across daylight saving", () => {
    // Regular Tuesday 31/03/2026 19:30 CEST; 2 days before is Sunday 29/03 → Friday 27/03, 19:30 CET.
    const r = rule({ timezone: "Europe/Berlin", meetingDay: -1, committeeDaysBefore: 2 });
    const regular = regularMeeting(r, "2026-03", calendar);
    expect(committeeMeeting(r, regular, calendar)).toEqual({ day: "2026-03-27", startsAt: new Date("2026-03-27T18:30:00.000Z") });
  });

  it("rejects a negative number of days", () => {
    const r = rule({ committeeDaysBefore: -1 });
    expect(() => committeeMeeting(r, regularMeeting(r, "2026-12", calendar), calendar)).toThrow(RangeError);
  });
});

describe("months and quarters", () => {
  it("finds the month of an instant in the branch timezone", () => {
    const instant = new Date("2026-11-30T17:30:00Z"); // 00:30 on 1 December in Vietnam
    expect(monthOf(instant, HCM)).toBe("2026-12");
    expect(monthOf(instant, "UTC")).toBe("2026-11");
  });

  it("adds months across years both ways", () => {
    expect(addMonths("2026-12", 1)).toBe("2027-01");
    expect(addMonths("2027-01", -1)).toBe("2026-12");
    expect(addMonths("2026-05", 19)).toBe("2027-12");
    expect(addMonths("2026-03", -15)).toBe("2024-12");
    expect(addMonths("2026-03", 0)).toBe("2026-03");
    expect(() => addMonths("2026-3", 1)).toThrow(RangeError);
  });

  it("names quarters and their last months", () => {
    expect(quarterOf("2026-12")).toBe("2026-Q4");
    expect(quarterOf("2026-01")).toBe("2026-Q1");
    expect(quarterOf("2026-04")).toBe("2026-Q2");
    expect(quarterOf("2026-09")).toBe("2026-Q3");
    expect(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"].filter((m) => lastMonthOfQuarter(`2026-${m}`))).toEqual([
      "03",
      "06",
      "09",
      "12",
    ]);
  });
});
