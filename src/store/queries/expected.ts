import { sql, type SQL } from "drizzle-orm";

/**
 * Whether a membership term `t` expects its member at a meeting held on `day` (a date
 * expression): not exempt; not temporarily exempt or transferred out until a later date;
 * attached (special duty) only until their end date. One rule for reminders, roll calls and
 * the attendance book, so they never disagree on who was expected.
 */
export function expectedOnDay(day: SQL): SQL {
  return sql`t.status <> 'exempt'
       and not (t.status in ('temporarily_exempt', 'transferred_out') and (t.status_until is null or t.status_until > ${day}))
       and not (t.status = 'attached' and t.status_until is not null and t.status_until <= ${day})`;
}
