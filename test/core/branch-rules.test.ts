import { describe, expect, it } from "vitest";
import {
  parseBranchName,
  parseCommitteeDays,
  parseHolidayPolicy,
  parseLocality,
  parseMeetingDay,
  parsePlace,
  parseReminderPlan,
  parseThreshold,
  parseTime,
  parseTimeZone,
} from "../../src/core/branches/rules.ts";
import { DEFAULT_REMINDER_PLAN } from "../../src/core/branch-defaults.ts";

const value = <T>(parsed: { ok: true; value: T } | { ok: false; reason: string }) => (parsed.ok ? parsed.value : `!${parsed.reason}`);

describe("branch settings as typed", () => {
  it("meeting day: 1–28 or the last day; 29–31 explained", () => {
    expect(value(parseMeetingDay("3"))).toBe(3);
    expect(value(parseMeetingDay("ngày 15"))).toBe(15);
    expect(value(parseMeetingDay("Cuối tháng"))).toBe(-1);
    expect(value(parseMeetingDay("cuoi thang"))).toBe(-1);
    expect(value(parseMeetingDay("30"))).toBe("!dayAfter28");
    expect(value(parseMeetingDay("0"))).toBe("!day");
    expect(value(parseMeetingDay("thứ hai"))).toBe("!day");
  });

  it("time: HH:mm in the ways people write it", () => {
    for (const [input, expected] of [
      ["19:30", "19:30"],
      ["7:05", "07:05"],
      ["19h30", "19:30"],
      ["19h", "19:00"],
      ["19 giờ", "19:00"],
      ["8", "08:00"],
    ]) {
      expect(value(parseTime(input!))).toBe(expected);
    }
    expect(value(parseTime("24:00"))).toBe("!time");
    expect(value(parseTime("19:75"))).toBe("!time");
    expect(value(parseTime("tối"))).toBe("!time");
  });

  it("time zone: a known IANA name", () => {
    expect(value(parseTimeZone("Asia/Ho_Chi_Minh"))).toBe("Asia/Ho_Chi_Minh");
    expect(value(parseTimeZone("Europe/Berlin"))).toBe("Europe/Berlin");
    expect(value(parseTimeZone("GMT+7 Hà Nội"))).toBe("!timezone");
  });

  it("holiday policy: the button values and the words people type", () => {
    expect(value(parseHolidayPolicy("next_working_day"))).toBe("next_working_day");
    expect(value(parseHolidayPolicy("Giữ nguyên"))).toBe("keep");
    expect(value(parseHolidayPolicy("kế tiếp"))).toBe("next_working_day");
    expect(value(parseHolidayPolicy("liền trước"))).toBe("previous_working_day");
    expect(value(parseHolidayPolicy("tùy"))).toBe("!holidayPolicy");
  });

  it("threshold, committee days, name and place", () => {
    expect(value(parseThreshold("85%"))).toBe(85);
    expect(value(parseThreshold("101"))).toBe("!threshold");
    expect(value(parseCommitteeDays("3 ngày"))).toBe(3);
    expect(value(parseCommitteeDays("28"))).toBe("!committeeDays");
    expect(value(parseBranchName("  Chi bộ   Khu phố 10 "))).toBe("Chi bộ Khu phố 10");
    expect(value(parseBranchName("x".repeat(121)))).toBe("!nameTooLong");
    expect(value(parsePlace("-"))).toBe(null);
    expect(value(parsePlace("x".repeat(201)))).toBe("!placeTooLong");
    expect(value(parsePlace("Bỏ qua"))).toBe(null);
  });

  it("locality: a commune, ward or village for the documents' date line, never an address", () => {
    expect(value(parseLocality("  Ngọc   Trạo ".normalize("NFD")))).toBe("Ngọc Trạo");
    expect(value(parseLocality("Phường 12"))).toBe("Phường 12");
    expect(value(parseLocality("-"))).toBe(null);
    expect(value(parseLocality("bo qua"))).toBe(null);
    expect(value(parseLocality("x"))).toBe("!localityTooShort");
    expect(value(parseLocality("x".repeat(61)))).toBe("!localityTooLong");
    expect(value(parseLocality("Nhà văn hóa, số 12 Ngõ 5 Ngọc Trạo"))).toBe("!localityAddress");
    expect(value(parseLocality("số 12 Ngõ 5"))).toBe("!localityAddress");
  });

  it("reminder plan: the spec's default, written either way, has the spec's shape", () => {
    expect(value(parseReminderPlan("3 ngày, 1 ngày, 2 giờ"))).toEqual(DEFAULT_REMINDER_PLAN);
    expect(value(parseReminderPlan("2h 1d 3d"))).toEqual(DEFAULT_REMINDER_PLAN);
    expect(value(parseReminderPlan("7 ngày"))).toEqual([{ kind: "notice", minutesBefore: 7 * 1440, audience: "all" }]);
    expect(value(parseReminderPlan("3 ngày và 10 phút"))).toBe("!planRange");
    expect(value(parseReminderPlan("1d 2d 3d 4d 5d 6d"))).toBe("!planTooMany");
    expect(value(parseReminderPlan("sớm"))).toBe("!plan");
    expect(value(parseReminderPlan("3 tuần"))).toBe("!plan");
  });
});
