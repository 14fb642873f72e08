/** Defaults from the spec (§4): what a new branch gets until its secretary changes it. */
export interface ReminderStep {
  kind: "notice" | "reminder";
  minutesBefore: number;
  /** "unanswered": only those who have not replied or said "maybe". */
  audience: "all" | "unanswered";
}

export const DEFAULT_REMINDER_PLAN: ReminderStep[] = [
  { kind: "notice", minutesBefore: 3 * 24 * 60, audience: "all" },
  { kind: "reminder", minutesBefore: 24 * 60, audience: "unanswered" },
  { kind: "reminder", minutesBefore: 2 * 60, audience: "all" },
];

export const DEFAULT_MEETING_DAY = 3;
export const DEFAULT_MEETING_TIME = "19:30";
export const DEFAULT_ATTENDANCE_THRESHOLD = 85;
export const DEFAULT_COMMITTEE_DAYS_BEFORE = 3;
