/**
 * When a branch's regular monthly meeting and its committee meeting fall. Pure: the calendar of
 * days off is passed in, months are "YYYY-MM" and days "YYYY-MM-DD" in the branch timezone, and
 * the only instants made are through zonedInstant, so the process timezone never matters.
 */
import type { HolidayPolicy } from "../branches/types.ts";
import { addDays, localDay, zonedInstant } from "../time.ts";
import type { DayOffCalendar } from "./holidays.ts";

export interface MeetingRule {
  meetingDay: number;
  meetingTime: string;
  timezone: string;
  holidayPolicy: HolidayPolicy;
  committeeDaysBefore: number;
}

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** Longer than any run of days off (the Tết break with weekends is about 9–10 days). */
const MAX_SHIFT_DAYS = 60;
const COMMITTEE_SAME_DAY_LEAD_MS = 2 * 60 * 60 * 1000;

function parseMonth(month: string): { year: number; month: number } {
  const m = MONTH_RE.exec(month);
  if (!m) throw new RangeError(`Not a month (YYYY-MM): ${month}`);
  return { year: Number(m[1]), month: Number(m[2]) };
}

function formatMonth(year: number, month: number): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function step(day: string, direction: 1 | -1, calendar: DayOffCalendar): string {
  let d = day;
  for (let i = 0; i < MAX_SHIFT_DAYS; i++) {
    d = addDays(d, direction);
    if (!calendar.isDayOff(d)) return d;
  }
  throw new RangeError(`No working day within ${MAX_SHIFT_DAYS} days ${direction > 0 ? "after" : "before"} ${day}`);
}

/**
 * The regular meeting of a month ("2026-12"): the rule's day (the last day when -1), shifted off
 * weekends/holidays by the policy, at the rule's time in the branch timezone.
 *
 * Shifting may cross the month boundary, deliberately:
 * - "next_working_day" keeps moving forward past the month's end (a last-day-of-month meeting
 *   on a Sunday is held on the 1st or 2nd of the next month). Pulling it back instead would
 *   silently turn the policy into "previous_working_day"; a meeting a day or two into the next
 *   month is what the secretary asked for.
 * - "previous_working_day" steps back, and so lands in the previous month only when the month
 *   has no working day before the rule's day — practically only a rule day of 1–3 that is a day
 *   off (1 January, or the 1st on a weekend).
 * The returned meeting therefore belongs to `month` even when its day does not; callers key it by
 * the month they asked for, not by monthOf(startsAt). A shifted meeting keeps the rule's time.
 */
export function regularMeeting(rule: MeetingRule, month: string, calendar: DayOffCalendar): { day: string; startsAt: Date; shiftedFrom?: string } {
  const { year, month: m } = parseMonth(month);
  const last = daysInMonth(year, m);
  let dayOfMonth: number;
  if (rule.meetingDay === -1) dayOfMonth = last;
  else if (Number.isInteger(rule.meetingDay) && rule.meetingDay >= 1 && rule.meetingDay <= 31) {
    // Settings allow 1–28; a larger day (older data) means the month's last day rather than overflow.
    dayOfMonth = Math.min(rule.meetingDay, last);
  } else throw new RangeError(`meetingDay must be 1–28 or -1, got ${rule.meetingDay}`);

  const nominal = `${month}-${String(dayOfMonth).padStart(2, "0")}`;
  let day = nominal;
  if (rule.holidayPolicy !== "keep" && calendar.isDayOff(nominal)) {
    day = step(nominal, rule.holidayPolicy === "next_working_day" ? 1 : -1, calendar);
  }
  const startsAt = zonedInstant(day, rule.meetingTime, rule.timezone);
  return day === nominal ? { day, startsAt } : { day, startsAt, shiftedFrom: nominal };
}

/**
 * The committee meeting before it: committeeDaysBefore days earlier, same time; if that day is a
 * day off, the previous working day (never on or after the regular meeting's day; with 0 days it
 * is the same day, 2 hours earlier).
 */
export function committeeMeeting(rule: MeetingRule, regular: { day: string; startsAt: Date }, calendar: DayOffCalendar): { day: string; startsAt: Date } {
  const n = rule.committeeDaysBefore;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`committeeDaysBefore must be a whole number ≥ 0, got ${n}`);
  if (n === 0) {
    const startsAt = new Date(regular.startsAt.getTime() - COMMITTEE_SAME_DAY_LEAD_MS);
    return { day: localDay(startsAt, rule.timezone), startsAt };
  }
  let day = addDays(regular.day, -n);
  if (calendar.isDayOff(day)) day = step(day, -1, calendar);
  return { day, startsAt: zonedInstant(day, rule.meetingTime, rule.timezone) };
}

/** The month ("2026-12") an instant falls in, in a timezone. */
export function monthOf(instant: Date, timeZone: string): string {
  return localDay(instant, timeZone).slice(0, 7);
}

/** "2026-12" + 1 → "2027-01"; n may be negative. */
export function addMonths(month: string, n: number): string {
  if (!Number.isInteger(n)) throw new RangeError(`Months to add must be whole, got ${n}`);
  const { year, month: m } = parseMonth(month);
  const index = year * 12 + (m - 1) + n;
  return formatMonth(Math.floor(index / 12), (((index % 12) + 12) % 12) + 1);
}

/** "2026-12" → "2026-Q4". */
export function quarterOf(month: string): string {
  const { year, month: m } = parseMonth(month);
  return `${String(year).padStart(4, "0")}-Q${Math.ceil(m / 3)}`;
}

/** March, June, September, December. */
export function lastMonthOfQuarter(month: string): boolean {
  return parseMonth(month).month % 3 === 0;
}
