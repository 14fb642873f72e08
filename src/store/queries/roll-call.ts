import { and, asc, eq } from "drizzle-orm";
import type { RollCallEntry } from "../../core/attendance/counts.ts";
import type { Database } from "../database.ts";
import { attendanceRecords, meetingGuests } from "../schema/index.ts";

export async function records(
  db: Database,
  params: { meetingId: string },
): Promise<Array<RollCallEntry & { source: string; recordedBy: string | null; recordedAt: Date }>> {
  const rows = await db
    .select({
      membershipId: attendanceRecords.membershipId,
      present: attendanceRecords.present,
      absence: attendanceRecords.absence,
      reason: attendanceRecords.reason,
      source: attendanceRecords.source,
      recordedBy: attendanceRecords.recordedBy,
      recordedAt: attendanceRecords.recordedAt,
    })
    .from(attendanceRecords)
    .where(eq(attendanceRecords.meetingId, params.meetingId));
  return rows.map((r) => ({ ...r, absence: r.absence as RollCallEntry["absence"] }));
}

/** Writes one person's line of the roll call (last write wins). */
export async function upsertRecord(
  db: Database,
  params: {
    meetingId: string;
    membershipId: string;
    present: boolean;
    absence: "excused" | "unexcused" | null;
    reason: string | null;
    source: string;
    by: string | null;
    at: Date;
  },
): Promise<void> {
  const values = {
    present: params.present,
    absence: params.present ? null : params.absence,
    reason: params.reason,
    source: params.source,
    recordedBy: params.by,
    recordedAt: params.at,
  };
  await db
    .insert(attendanceRecords)
    .values({ meetingId: params.meetingId, membershipId: params.membershipId, ...values })
    .onConflictDoUpdate({ target: [attendanceRecords.meetingId, attendanceRecords.membershipId], set: values });
}

export async function addGuest(db: Database, params: { meetingId: string; name: string; note: string | null; at: Date }): Promise<void> {
  await db.insert(meetingGuests).values({ meetingId: params.meetingId, name: params.name, note: params.note, createdAt: params.at });
}

/** The meeting's guests in the order they were added (by name within the same instant), with their ids. */
export async function guests(db: Database, params: { meetingId: string }): Promise<Array<{ id: string; name: string }>> {
  return db
    .select({ id: meetingGuests.id, name: meetingGuests.name })
    .from(meetingGuests)
    .where(eq(meetingGuests.meetingId, params.meetingId))
    .orderBy(asc(meetingGuests.createdAt), asc(meetingGuests.name), asc(meetingGuests.id));
}

/** Removes one guest of the meeting; false when there was none with that id. */
export async function removeGuest(db: Database, params: { meetingId: string; guestId: string }): Promise<boolean> {
  const rows = await db
    .delete(meetingGuests)
    .where(and(eq(meetingGuests.meetingId, params.meetingId), eq(meetingGuests.id, params.guestId)))
    .returning({ id: meetingGuests.id });
  return rows.length > 0;
}
