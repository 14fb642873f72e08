/**
 * Which calendar days are days off in Vietnam: the weekend, the statutory public holidays
 * (Bộ luật Lao động 2019, Điều 112) from the maintained `date-holidays` data, the statutory
 * compensatory day when a single-day holiday falls on the weekend (Điều 111 khoản 3, "nghỉ bù"),
 * and whatever extra days the government announces for the year (the full Tết break with its
 * compensatory days, the second Quốc khánh day, bridge days) which org units add themselves.
 *
 * Days are plain "YYYY-MM-DD" calendar dates; nothing here reads the process timezone.
 */
import Holidays from "date-holidays";

export interface DayOffCalendar {
  /** YYYY-MM-DD in the branch's timezone → is it a day off (weekend or public holiday or an extra day off)? */
  isDayOff(day: string): boolean;
  /** The holiday's name (Vietnamese if the library has it) or undefined. */
  holidayName(day: string): string | undefined;
}

export interface VietnamCalendarOptions {
  /** Weekly rest days, 0 = Sunday … 6 = Saturday; default [0, 6]. */
  weekend?: number[];
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since the epoch of a calendar date: pure arithmetic, no timezone involved. */
function dayNumber(day: string): number {
  const m = DAY_RE.exec(day);
  if (!m) throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${day}`);
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const back = new Date(ms);
  if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d)) {
    throw new RangeError(`Not a calendar day (YYYY-MM-DD): ${day}`);
  }
  return ms / DAY_MS;
}

function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

function weekdayOf(n: number): number {
  // 1970-01-01 (day 0) was a Thursday.
  return (((n + 4) % 7) + 7) % 7;
}

// The full data set loads once per process; the VN instance is built on first use.
let vn: Holidays | undefined;
function library(): Holidays {
  // Only "public" days are days off. Vietnam's data has no "bank"/"optional" entries, and
  // its many "observance" entries (Ngày thành lập Đảng, Phật đản, Trung thu, 20/10 …) are
  // commemorations on which people work, so they are deliberately left out.
  vn ??= new Holidays("VN", { languages: ["vi"], types: ["public"] });
  return vn;
}

interface PublicDay {
  name: string;
  /** Part of a multi-day holiday (Tết), whose placement the government fixes each year. */
  multiDay: boolean;
}

/** Public holidays whose rule belongs to `year`, day → holiday (multi-day entries expanded). */
const publicByYear = new Map<number, ReadonlyMap<string, PublicDay>>();

function publicHolidaysOf(year: number): ReadonlyMap<string, PublicDay> {
  let days = publicByYear.get(year);
  if (days) return days;
  const found = new Map<string, PublicDay>();
  const entries = library()
    .getHolidays(year, "vi")
    .filter((h) => h.type === "public")
    .map((h) => {
      const first = dayNumber(h.date.slice(0, 10));
      // Vietnam keeps no DST, so start/end are whole days apart; round defensively anyway.
      const length = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / DAY_MS));
      return { first, length, name: h.name };
    });
  // Single-day entries name their own day. A multi-day entry (the library models Tết as
  // "Giao thừa" plus four days: P5D from the day before mùng 1) names its days after the
  // latest single-day holiday begun inside it, so 18/02/2026 reads "Tết Nguyên Đán" rather
  // than "Giao thừa Tết Nguyên Đán".
  const single = new Map<number, string>();
  for (const e of entries) if (e.length === 1) single.set(e.first, e.name);
  for (const e of entries) {
    let current = e.name;
    for (let i = 0; i < e.length; i++) {
      const n = e.first + i;
      current = single.get(n) ?? current;
      const day = dayString(n);
      found.set(day, { name: current, multiDay: e.length > 1 || found.get(day)?.multiDay === true });
    }
  }
  days = found;
  publicByYear.set(year, days);
  return days;
}

function publicHoliday(day: string): PublicDay | undefined {
  const year = Number(day.slice(0, 4));
  // A multi-day entry of the previous year could spill over New Year's Day.
  return publicHolidaysOf(year).get(day) ?? publicHolidaysOf(year - 1).get(day);
}

/** Compensatory days off ("nghỉ bù") per year and weekend: day → name. */
const compensatoryByYearAndWeekend = new Map<string, ReadonlyMap<string, string>>();

/**
 * Điều 111 khoản 3: when a public holiday falls on the weekly rest day, the rest day is given
 * on the next working day. Each single-day holiday on a weekend day yields one compensatory day,
 * on the first following day that is neither weekend, holiday nor already compensatory (Giỗ Tổ
 * on Sunday 26/04/2026 → Monday 27/04/2026, as announced).
 *
 * Tết is left out on purpose: the government picks which five days around mùng 1 are the
 * holiday (the library always takes Giao thừa + mùng 1–4; in 2024 the break was 29 Chạp –
 * mùng 5, 08–14/02), so derived compensatory days would be wrong in some years, and a wrong
 * day off cannot be taken back. The announced break comes in through the extra days off.
 */
function compensatoryDaysOf(year: number, weekend: ReadonlySet<number>, weekendKey: string): ReadonlyMap<string, string> {
  const key = `${year}|${weekendKey}`;
  let days = compensatoryByYearAndWeekend.get(key);
  if (days) return days;
  const found = new Map<string, string>();
  if (weekend.size < 7) {
    const holidays = [...publicHolidaysOf(year)]
      .filter(([, h]) => !h.multiDay)
      .map(([day, h]) => ({ n: dayNumber(day), name: h.name }))
      .sort((a, b) => a.n - b.n);
    for (const { n, name } of holidays) {
      if (!weekend.has(weekdayOf(n))) continue;
      let m = n + 1;
      while (weekend.has(weekdayOf(m)) || publicHoliday(dayString(m)) !== undefined || found.has(dayString(m))) m++;
      found.set(dayString(m), `Nghỉ bù ${name}`);
    }
  }
  days = found;
  compensatoryByYearAndWeekend.set(key, days);
  return days;
}

/**
 * Vietnam's days off. `extraDaysOff` are "YYYY-MM-DD" days the government (or the org unit)
 * announced on top of the statutory ones; they count as days off but have no holiday name.
 * A swapped working day (a Saturday worked to bridge a holiday, "làm bù") cannot be expressed:
 * a weekend day is always a day off.
 */
export function vietnamCalendar(extraDaysOff: Iterable<string> = [], options: VietnamCalendarOptions = {}): DayOffCalendar {
  const weekendList = options.weekend ?? [0, 6];
  for (const d of weekendList) {
    if (!Number.isInteger(d) || d < 0 || d > 6) throw new RangeError(`Weekend days are 0 (Sunday) … 6 (Saturday), got ${d}`);
  }
  const weekend = new Set(weekendList);
  const weekendKey = [...weekend].sort().join(",");
  const extra = new Set<string>();
  for (const day of extraDaysOff) {
    dayNumber(day); // validates
    extra.add(day);
  }

  function holidayName(day: string): string | undefined {
    dayNumber(day);
    const holiday = publicHoliday(day);
    if (holiday) return holiday.name;
    const year = Number(day.slice(0, 4));
    // A compensatory day for a late-December holiday may fall in January.
    return compensatoryDaysOf(year, weekend, weekendKey).get(day) ?? compensatoryDaysOf(year - 1, weekend, weekendKey).get(day);
  }

  return {
    isDayOff(day: string): boolean {
      const n = dayNumber(day);
      return weekend.has(weekdayOf(n)) || extra.has(day) || holidayName(day) !== undefined;
    },
    holidayName,
  };
}
