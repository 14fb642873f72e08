import { sql } from "drizzle-orm";
import type { Harness } from "./harness.ts";
import { queryRows } from "./test-db.ts";

/**
 * The demo branch's meeting of 3 December 2026, ten minutes in: its occurrences planned on
 * 25 November, the clock at 19:40 in Vietnam, the roll call open. Returns the meeting's id.
 */
export async function demoMeetingUnderWay(h: Harness): Promise<string> {
  h.clock.set("2026-11-25T00:00:00Z");
  await h.core.planner.ensureOccurrences();
  h.clock.set("2026-12-03T12:40:00Z");
  const chief = await h.actor("secretary");
  const found = await h.core.rollCall.currentMeeting(chief, chief.memberships[0]!.branchId);
  if (!found.ok) throw new Error("no meeting");
  return found.meetingId;
}

/**
 * The roll call of the demo branch's meeting as the resolution tests need it: 8 present,
 * Nam and Thu excused, Mai unexcused, closed at 21:00 (Vietnam) on the meeting's day.
 */
export async function closeDemoRollCall(h: Harness, meetingId: string): Promise<void> {
  const chief = await h.actor("secretary");
  const view = await h.core.rollCall.view(chief, meetingId);
  if (!view.ok) throw new Error("no roll call");
  const line = (name: string) => view.view.lines.find((l) => l.name === name)!.membershipId;
  for (const name of ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Văn Minh", "Phạm Thị Hoa", "Đặng Minh Khoa", "Lý Thị Hạnh", "Phan Văn Đức", "Cao Thị Yến"]) {
    await h.core.rollCall.mark(chief, meetingId, line(name), { present: true });
  }
  await h.core.rollCall.mark(chief, meetingId, line("Hoàng Văn Nam"), { absence: "excused", reason: "ốm" });
  await h.core.rollCall.mark(chief, meetingId, line("Bùi Thị Thu"), { absence: "excused", reason: "việc gia đình" });
  await h.core.rollCall.mark(chief, meetingId, line("Vũ Thị Mai"), { absence: "unexcused" });
  h.clock.set("2026-12-03T14:00:00Z");
  const closed = await h.core.rollCall.close(chief, meetingId);
  if (!closed.ok) throw new Error(`roll call not closed: ${closed.reason}`);
}

/**
 * Holds the demo branch's regular meeting of a month, as the secretary would: its meetings
 * planned a week before, the roll call taken ten minutes in (everyone present but those
 * named), closed two hours later. Leaves the clock there; returns the meeting's id.
 */
export async function holdDemoMonth(h: Harness, month: string, absent: { excused?: Record<string, string>; unexcused?: string[] } = {}): Promise<string> {
  const [year, m] = month.split("-").map(Number) as [number, number];
  h.clock.set(new Date(Date.UTC(year, m - 1, -6)));
  await h.core.planner.ensureOccurrences();
  const chief = await h.actor("secretary");
  const [meeting] = await queryRows<{ id: string; starts_at: Date }>(
    h.database,
    sql`select id, starts_at from meetings where kind = 'regular' and status <> 'cancelled'
           and starts_at >= ${new Date(Date.UTC(year, m - 1, 1)).toISOString()}::timestamptz and starts_at < ${new Date(Date.UTC(year, m, 1)).toISOString()}::timestamptz`,
  );
  if (!meeting) throw new Error(`no regular meeting in ${month}`);
  const startsAt = new Date(meeting.starts_at);
  h.clock.set(new Date(startsAt.getTime() + 10 * 60_000));
  const view = await h.core.rollCall.view(chief, meeting.id);
  if (!view.ok) throw new Error("no roll call");
  for (const line of view.view.lines) {
    const reason = absent.excused?.[line.name];
    const mark = reason
      ? { absence: "excused" as const, reason }
      : absent.unexcused?.includes(line.name)
        ? { absence: "unexcused" as const }
        : { present: true };
    await h.core.rollCall.mark(chief, meeting.id, line.membershipId, mark);
  }
  h.clock.set(new Date(startsAt.getTime() + 2 * 3600_000));
  const closed = await h.core.rollCall.close(chief, meeting.id);
  if (!closed.ok) throw new Error(`roll call not closed: ${closed.reason}`);
  return meeting.id;
}
