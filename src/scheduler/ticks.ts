import type { Core } from "../core/index.ts";
import type { Tick } from "./index.ts";

/**
 * Chibo's periodic work, each tick one core service that finds what is due in Postgres:
 * - meetings.occurrences: the coming months' regular meetings exist (hourly);
 * - reminders.plan: notices and reminders due now go into the outbox (every minute), and the
 *   sender is woken when it planned any;
 * - alerts.daily: the planner's statistics refreshed, then the absentee rules (A1–A7) of every
 *   branch on the day's record (daily);
 * - housekeeping: old update ids, expired dialogs, choices and download links, old code attempts (every 10 min).
 */
export function chiboTicks(core: Core, sender: { wake(): void }): Tick[] {
  return [
    { name: "meetings.occurrences", schedule: "17 * * * *", run: () => core.planner.ensureOccurrences() },
    {
      name: "reminders.plan",
      schedule: "* * * * *",
      run: async () => {
        const planned = await core.planner.planDueReminders();
        if (planned.messages > 0) sender.wake();
        return planned;
      },
    },
    // 01:05 UTC is 08:05 in Vietnam: alerts arrive in the morning, not in the night.
    {
      name: "alerts.daily",
      schedule: "5 1 * * *",
      run: async () => {
        await core.housekeeping.refreshStatistics();
        const result = await core.alerts.evaluateAll();
        if (result.raised + result.withdrawn > 0) sender.wake();
        return result;
      },
    },
    { name: "housekeeping", schedule: "*/10 * * * *", run: () => core.housekeeping.run() },
  ];
}
