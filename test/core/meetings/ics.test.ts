import { describe, expect, it } from "vitest";
import { meetingIcs } from "../../../src/core/meetings/ics.ts";
import { zonedInstant } from "../../../src/core/time.ts";

const title = "Sinh hoạt chi bộ thường kỳ tháng 12/2026 — Chi bộ Khu phố 3, phường Bến Thành";
const base = {
  uid: "meeting-7f3a@chibo",
  sequence: 2,
  title,
  description: "Nội dung: kiểm điểm, đánh giá, xếp loại đảng viên cuối năm; thu đảng phí.\nMang theo sổ tay đảng viên.",
  location: "Hội trường Ủy ban nhân dân phường, 123 Lê Lợi",
  startsAt: zonedInstant("2026-12-03", "19:30", "Asia/Ho_Chi_Minh"),
  durationMinutes: 120,
  organizerName: "Đồng chí Nguyễn Thị Hồng Nhung",
  now: new Date("2026-11-20T01:02:03Z"),
};

/** Content lines, with folded continuations joined back (RFC 5545 §3.1). */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n[ \t]/g, "").split("\r\n");
}

function valueOf(lines: string[], name: string): string | undefined {
  const line = lines.find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
  return line?.slice(line.indexOf(":") + 1);
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

describe("meetingIcs", () => {
  const ics = meetingIcs(base);
  const lines = unfold(ics);

  it("writes the meeting in UTC so every phone shows the right local time", () => {
    expect(lines).toContain("DTSTART:20261203T123000Z");
    expect(lines).toContain("DTEND:20261203T143000Z");
    expect(lines).toContain("DTSTAMP:20261120T010203Z");
  });

  it("identifies the meeting so later files update it", () => {
    expect(lines).toContain("UID:meeting-7f3a@chibo");
    expect(lines).toContain("SEQUENCE:2");
    expect(lines).toContain("METHOD:PUBLISH");
    expect(lines).toContain("STATUS:CONFIRMED");
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines).toContain("VERSION:2.0");
    expect(lines.filter((l) => l === "BEGIN:VEVENT")).toHaveLength(1);
  });

  it("keeps Vietnamese text intact", () => {
    expect(unescapeText(valueOf(lines, "SUMMARY") ?? "")).toBe(title);
    expect(unescapeText(valueOf(lines, "DESCRIPTION") ?? "")).toBe(base.description);
    expect(unescapeText(valueOf(lines, "LOCATION") ?? "")).toBe(base.location);
    expect(lines.find((l) => l.startsWith("ORGANIZER;"))).toContain('CN="Đồng chí Nguyễn Thị Hồng Nhung"');
  });

  it("reminds an hour before", () => {
    const start = lines.indexOf("BEGIN:VALARM");
    const end = lines.indexOf("END:VALARM");
    expect(start).toBeGreaterThan(-1);
    const alarm = lines.slice(start, end);
    expect(alarm).toContain("ACTION:DISPLAY");
    expect(alarm).toContain("TRIGGER:-PT1H");
    expect(alarm.some((l) => l.startsWith("DESCRIPTION:"))).toBe(true);
  });

  it("uses CRLF line endings and folds lines at 75 octets without splitting a character", () => {
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(/(?<!\r)\n/.test(ics)).toBe(false);
    const bytes = Buffer.from(ics, "utf8");
    const rawLines: Buffer[] = [];
    let from = 0;
    for (let i = 0; i < bytes.length - 1; i++) {
      if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) {
        rawLines.push(bytes.subarray(from, i));
        from = i + 2;
      }
    }
    expect(from).toBe(bytes.length);
    expect(rawLines.some((l) => l[0] === 0x20)).toBe(true); // long Vietnamese lines were folded
    const decoder = new TextDecoder("utf-8", { fatal: true });
    for (const line of rawLines) {
      expect(line.length, decoder.decode(line)).toBeLessThanOrEqual(75);
      expect(() => decoder.decode(line)).not.toThrow();
    }
  });

  it("cancels with METHOD:CANCEL and STATUS:CANCELLED, without a reminder", () => {
    const cancelled = unfold(meetingIcs({ ...base, sequence: 3, cancelled: true }));
    expect(cancelled).toContain("METHOD:CANCEL");
    expect(cancelled).toContain("STATUS:CANCELLED");
    expect(cancelled).toContain("UID:meeting-7f3a@chibo");
    expect(cancelled).toContain("SEQUENCE:3");
    expect(cancelled).not.toContain("BEGIN:VALARM");
    expect(cancelled).not.toContain("METHOD:PUBLISH");
  });

  it("leaves out what was not given", () => {
    const bare = unfold(
      meetingIcs({ uid: "m1", sequence: 0, title: "Họp chi ủy", startsAt: new Date("2026-12-01T12:30:00Z"), durationMinutes: 60, now: base.now }),
    );
    expect(bare).toContain("SUMMARY:Họp chi ủy");
    expect(bare).toContain("DTEND:20261201T133000Z");
    expect(bare.some((l) => l.startsWith("ORGANIZER"))).toBe(false);
    expect(bare.some((l) => l.startsWith("LOCATION"))).toBe(false);
  });

  it("rejects a bad sequence or duration", () => {
    expect(() => meetingIcs({ ...base, sequence: -1 })).toThrow(RangeError);
    expect(() => meetingIcs({ ...base, durationMinutes: 0 })).toThrow(RangeError);
  });
});
