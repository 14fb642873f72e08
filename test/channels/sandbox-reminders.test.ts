import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TranscriptEntry } from "../../src/channels/sandbox/channel.ts";
import { entryText, startSandboxApp, type SandboxApp } from "../helpers/sandbox-app.ts";
import { queryRows } from "../helpers/test-db.ts";

/**
 * The "done when": in the sandbox, moving the clock through the days before the
 * meeting shows the committee reminder, the notice and the reminders arriving at their
 * minutes, in each persona's language, and nothing for exempt members. The meeting is read
 * from the database, as the first regular one more than four days after the clock's start.
 */
let app: SandboxApp;
let meetingStart: Date;
let committeeStart: Date;

beforeAll(async () => {
  app = await startSandboxApp();
  const start = await app.now();
  const meetings = await queryRows<{ kind: string; starts_at: Date }>(
    app.chibo.database,
    sql`select kind, starts_at from meetings where status = 'scheduled' order by starts_at`,
  );
  const regular = meetings.find((m) => m.kind === "regular" && new Date(m.starts_at).getTime() - start.getTime() > 4 * 24 * 3600_000)!;
  meetingStart = new Date(regular.starts_at);
  committeeStart = new Date(
    meetings.find(
      (m) => m.kind === "committee" && new Date(m.starts_at) < meetingStart && meetingStart.getTime() - new Date(m.starts_at).getTime() < 30 * 24 * 3600_000,
    )!.starts_at,
  );
});
afterAll(async () => app.close());

/** A wall-clock time in Vietnam for the clock control. */
const local = (instant: Date) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" }).format(instant).replace(" ", "T");
const minus = (instant: Date, minutes: number) => new Date(instant.getTime() - minutes * 60_000);
const bot = (entries: TranscriptEntry[]) => entries.filter((e) => e.from === "bot");

describe("sandbox clock and reminders", () => {
  it("delivers each reminder at its minute as the clock moves to the meeting", async () => {
    const start = minus(committeeStart, 3 * 24 * 60);
    expect((await app.post("/sandbox/api/clock", { to: local(start) })).status).toBe(200);
    const seen = new Map<string, number>();
    for (const persona of ["secretary", "hoa", "khoa", "tam", "supervisor", "committee"]) seen.set(persona, (await app.transcript(persona)).length);
    expect((await app.post("/sandbox/api/clock", { to: local(minus(meetingStart, 1)) })).status).toBe(200);
    const fresh = async (persona: string) => bot((await app.transcript(persona)).slice(seen.get(persona)));

    const atMinute = (entry: TranscriptEntry) => entry.at.slice(0, 16);
    const committee = await fresh("committee");
    expect(committee.map(atMinute)).toEqual(
      [minus(committeeStart, 2 * 24 * 60), minus(committeeStart, 120), minus(meetingStart, 3 * 24 * 60), minus(meetingStart, 24 * 60), minus(meetingStart, 120)]
        .sort((a, b) => a.getTime() - b.getTime())
        .map((d) => d.toISOString().slice(0, 16)),
    );
    const hoa = await fresh("hoa");
    expect(hoa.map(atMinute)).toEqual(
      [minus(meetingStart, 3 * 24 * 60), minus(meetingStart, 24 * 60), minus(meetingStart, 120)].map((d) => d.toISOString().slice(0, 16)),
    );
    expect(entryText(hoa[0]!)).toContain("📢 Thông báo triệu tập — Chi bộ Khu phố 10");
    expect(entryText(hoa[1]!)).toContain("🔔 Nhắc lịch họp");
    const khoa = await fresh("khoa");
    expect(entryText(khoa[0]!)).toContain("📢 Meeting notice — Chi bộ Khu phố 10");
    expect(await fresh("tam")).toEqual([]);
    const supervisor = await fresh("supervisor");
    expect(supervisor).toHaveLength(1);
    expect(entryText(supervisor[0]!)).toContain("cấp ủy viên phụ trách");
  });
});
