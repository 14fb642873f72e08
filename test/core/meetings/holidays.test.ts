import { describe, expect, it } from "vitest";
import { vietnamCalendar } from "../../../src/core/meetings/holidays.ts";

describe("vietnamCalendar", () => {
  const calendar = vietnamCalendar();

  it("runs under a non-UTC process timezone, so nothing relies on it", () => {
    expect(new Date("2026-02-17T12:00:00Z").getTimezoneOffset()).not.toBe(0);
  });

  it("knows Tết Nguyên đán from the lunar calendar (published: mùng 1 = 17/02/2026, 06/02/2027)", () => {
    expect(calendar.isDayOff("2026-02-17")).toBe(true);
    expect(calendar.holidayName("2026-02-17")).toBe("Tết Nguyên Đán");
    expect(calendar.holidayName("2027-02-06")).toBe("Tết Nguyên Đán");
    // The library's five statutory days: Giao thừa and mùng 1–4 (16–20/02/2026, Monday–Friday).
    for (const day of ["2026-02-16", "2026-02-18", "2026-02-19", "2026-02-20"]) expect(calendar.isDayOff(day), day).toBe(true);
    expect(calendar.holidayName("2026-02-16")).toBe("Giao thừa Tết Nguyên Đán");
    expect(calendar.holidayName("2026-02-19")).toBe("Tết Nguyên Đán");
    expect(calendar.isDayOff("2027-02-08")).toBe(true); // Monday, mùng 3
    expect(calendar.isDayOff("2027-02-09")).toBe(true); // Tuesday, mùng 4
    expect(calendar.isDayOff("2026-02-23")).toBe(false); // back to work
  });

  it("knows Giỗ Tổ Hùng Vương, 10/3 âm lịch (published: 26/04/2026, 16/04/2027)", () => {
    expect(calendar.holidayName("2026-04-26")).toBe("Giỗ tổ Hùng Vương");
    expect(calendar.isDayOff("2027-04-16")).toBe(true); // a Friday
    expect(calendar.holidayName("2027-04-16")).toBe("Giỗ tổ Hùng Vương");
  });

  it("gives the statutory compensatory day when a single-day holiday falls on the weekend", () => {
    // Giỗ Tổ 2026 is a Sunday: Monday 27/04/2026 is off, as announced.
    expect(calendar.isDayOff("2026-04-27")).toBe(true);
    expect(calendar.holidayName("2026-04-27")).toBe("Nghỉ bù Giỗ tổ Hùng Vương");
    // 01/05/2027 is a Saturday → Monday 03/05/2027.
    expect(calendar.holidayName("2027-05-03")).toBe("Nghỉ bù Quốc tế Lao động");
    // 30/04 and 01/05/2022 (Saturday, Sunday) → Monday and Tuesday.
    expect(calendar.isDayOff("2022-05-02")).toBe(true);
    expect(calendar.isDayOff("2022-05-03")).toBe(true);
    expect(calendar.isDayOff("2022-05-04")).toBe(false);
  });

  it("leaves the Tết break's compensatory days to the announced extra days", () => {
    // Tết 2027 spans a weekend; the government fixes the break each year, so nothing is derived.
    expect(calendar.isDayOff("2027-02-10")).toBe(false);
    expect(vietnamCalendar(["2027-02-10", "2027-02-11"]).isDayOff("2027-02-10")).toBe(true);
  });

  it("knows the fixed national holidays", () => {
    for (const year of [2026, 2027]) {
      expect(calendar.holidayName(`${year}-01-01`)).toBe("Tết Dương lịch");
      expect(calendar.holidayName(`${year}-04-30`)).toBe("Ngày Giải phóng miền Nam");
      expect(calendar.holidayName(`${year}-05-01`)).toBe("Quốc tế Lao động");
      expect(calendar.holidayName(`${year}-09-02`)).toBe("Quốc khánh");
      for (const md of ["01-01", "04-30", "05-01", "09-02"]) expect(calendar.isDayOff(`${year}-${md}`)).toBe(true);
    }
  });

  it("does not count commemorations people work on", () => {
    expect(calendar.isDayOff("2026-02-03")).toBe(false); // Ngày thành lập Đảng, a Tuesday
    expect(calendar.holidayName("2026-02-03")).toBeUndefined();
    expect(calendar.isDayOff("2026-09-25")).toBe(false); // Tết Trung thu, a Friday
    expect(calendar.isDayOff("2026-11-20")).toBe(false); // Ngày Nhà giáo, a Friday
  });

  it("counts weekends and extra days off, but not an ordinary Tuesday", () => {
    expect(calendar.isDayOff("2026-03-14")).toBe(true); // Saturday
    expect(calendar.isDayOff("2026-03-15")).toBe(true); // Sunday
    expect(calendar.isDayOff("2026-03-10")).toBe(false); // Tuesday
    expect(calendar.holidayName("2026-03-14")).toBeUndefined();
    const withExtra = vietnamCalendar(["2026-03-10"]);
    expect(withExtra.isDayOff("2026-03-10")).toBe(true);
    expect(withExtra.holidayName("2026-03-10")).toBeUndefined();
    expect(withExtra.isDayOff("2026-03-11")).toBe(false);
  });

  it("takes another weekend", () => {
    const sundayOnly = vietnamCalendar([], { weekend: [0] });
    expect(sundayOnly.isDayOff("2026-03-14")).toBe(false); // Saturday is a working day
    expect(sundayOnly.isDayOff("2026-03-15")).toBe(true);
    expect(sundayOnly.isDayOff("2026-04-27")).toBe(true); // Giỗ Tổ on Sunday still gives Monday
    // 01/01/2022 was a Saturday: a working day here, so no compensatory Monday.
    expect(sundayOnly.isDayOff("2022-01-03")).toBe(false);
    expect(calendar.isDayOff("2022-01-03")).toBe(true);
  });

  it("rejects what is not a calendar day", () => {
    expect(() => calendar.isDayOff("2026-2-17")).toThrow(RangeError);
    expect(() => calendar.isDayOff("2026-02-30")).toThrow(RangeError);
    expect(() => vietnamCalendar(["17/02/2026"])).toThrow(RangeError);
    expect(() => vietnamCalendar([], { weekend: [7] })).toThrow(RangeError);
  });

  it("is cheap enough to build for thousands of branches", () => {
    const started = performance.now();
    for (let i = 0; i < 5000; i++) {
      const c = vietnamCalendar(["2026-02-13"]);
      c.isDayOff("2026-02-17");
      c.isDayOff("2026-12-03");
    }
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
