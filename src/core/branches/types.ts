import type { ReminderStep } from "../branch-defaults.ts";

export type HolidayPolicy = "keep" | "next_working_day" | "previous_working_day";
export const HOLIDAY_POLICIES: readonly HolidayPolicy[] = ["keep", "next_working_day", "previous_working_day"];

/** Everything a secretary can set about their branch. */
export interface BranchSettings {
  name: string;
  timezone: string;
  /** 1–28, or -1 for the last day of the month. */
  meetingDay: number;
  /** "HH:mm" in the branch timezone. */
  meetingTime: string;
  holidayPolicy: HolidayPolicy;
  committeeDaysBefore: number;
  reminderPlan: ReminderStep[];
  /** Percent. */
  attendanceThreshold: number;
  /** The usual meeting place, used when a meeting names none. */
  defaultPlace: string | null;
  /** The commune, ward or village the branch's documents are dated from ("Ngọc Trạo, ngày …"). */
  locality: string | null;
}

export interface Branch extends BranchSettings {
  id: string;
  orgUnitId: string;
  orgUnitName: string;
  /** Linked group chats' addresses ("telegram:-100123"): notices are posted there too. */
  groupChats: string[];
}

/** A branch as its card shows it: with the rate its org unit asks at the least, if any. */
export interface BranchView extends Branch {
  /** Percent; the rules use the higher of this and the branch's own threshold. */
  unitThreshold: number | null;
}
