/**
 * A calendar file (RFC 5545) for one meeting, to send to members so their phone calendar shows it
 * and reminds them. Times are written in UTC ("…Z") so every phone shows the right local time
 * without a VTIMEZONE; ical-generator escapes text and folds lines at 75 octets without splitting
 * a UTF-8 character, so Vietnamese survives intact.
 */
import ical, { ICalAlarmType, ICalCalendarMethod, ICalEventStatus } from "ical-generator";

export interface MeetingIcsInput {
  /** Stable per meeting: the same UID updates (or cancels) the event already in the calendar. */
  uid: string;
  /** Grows each time the meeting moves, so calendars take the newer version. */
  sequence: number;
  title: string;
  description?: string;
  location?: string;
  startsAt: Date;
  durationMinutes: number;
  organizerName?: string;
  cancelled?: boolean;
  now: Date;
}

/** No mailbox receives replies; ".invalid" is reserved (RFC 2606) so nothing is ever delivered there. */
const ORGANIZER_ADDRESS = "noreply@chibo.invalid";
const REMINDER_SECONDS_BEFORE = 60 * 60;

export function meetingIcs(input: MeetingIcsInput): string {
  if (!Number.isInteger(input.sequence) || input.sequence < 0) throw new RangeError(`sequence must be a whole number ≥ 0, got ${input.sequence}`);
  if (!(input.durationMinutes > 0)) throw new RangeError(`durationMinutes must be positive, got ${input.durationMinutes}`);

  const calendar = ical({
    prodId: { company: "Chibo", product: "Chibo", language: "VI" },
    method: input.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
  });
  const event = calendar.createEvent({
    id: input.uid,
    sequence: input.sequence,
    stamp: input.now,
    start: input.startsAt,
    end: new Date(input.startsAt.getTime() + input.durationMinutes * 60_000),
    summary: input.title,
    description: input.description ?? null,
    location: input.location ?? null,
    // iTIP requires an ORGANIZER for PUBLISH and CANCEL, and its value must be an address.
    organizer: input.organizerName ? { name: input.organizerName, email: ORGANIZER_ADDRESS } : null,
    status: input.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  if (!input.cancelled) {
    event.createAlarm({ type: ICalAlarmType.display, trigger: REMINDER_SECONDS_BEFORE, description: input.title });
  }
  // RFC 5545 ends every content line, the last one included, with CRLF.
  const text = calendar.toString();
  return text.endsWith("\r\n") ? text : `${text}\r\n`;
}
