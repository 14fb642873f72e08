import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryText, startSandboxApp, type SandboxApp } from "../helpers/sandbox-app.ts";
import { queryRows } from "../helpers/test-db.ts";

/**
 * The clock's shortcuts follow the demo branch's meetings as the database holds them: "to the
 * next notice" is the minute the next meeting's notice goes out, "to the next meeting" a few
 * minutes after its start, when roll call is open. The app starts at TEST_START (10:00 on
 * 25 November 2026 in Vietnam); the branch meets on the 3rd at 19:30, noticed 3 days before.
 */
interface Shortcut {
  at: string;
  to: string;
}
interface State {
  now: string;
  next: { notice: (Shortcut & { meetingStartsAt: string }) | null; meeting: (Shortcut & { startsAt: string }) | null };
}

let app: SandboxApp;
beforeAll(async () => {
  app = await startSandboxApp();
});
afterAll(async () => app.close());

const state = async () => (await (await fetch(`${app.base}/sandbox/api/state`)).json()) as State;
const moveTo = async (to: string) => expect((await app.post("/sandbox/api/clock", { to })).status).toBe(200);
const botTexts = async (persona: string, after = 0) => (await app.transcript(persona, after)).filter((e) => e.from === "bot").map(entryText);
// The sandbox clock runs on at the real pace from where it was put: compare minutes.
const minute = (iso: string) => iso.slice(0, 16);
const lastId = async (persona: string) => (await app.transcript(persona)).at(-1)?.id ?? 0;

/** The branch's own (not committee) scheduled meetings after `from`, as stored. */
async function meetingsAfter(from: string): Promise<Date[]> {
  const rows = await queryRows<{ starts_at: Date | string }>(
    app.chibo.database,
    sql`select starts_at from meetings where status = 'scheduled' and kind <> 'committee' and starts_at > ${from} order by starts_at`,
  );
  return rows.map((r) => new Date(r.starts_at));
}

describe("sandbox clock shortcuts", () => {
  it("offer this month's notice and meeting, read from the meetings in the database", async () => {
    const { now, next } = await state();
    const [december] = await meetingsAfter(now);
    expect(december!.toISOString()).toBe("2026-12-03T12:30:00.000Z");
    expect(next.notice).toEqual({ at: "2026-11-30T12:30:00.000Z", to: "2026-11-30T19:30", meetingStartsAt: december!.toISOString() });
    expect(next.meeting).toEqual({ at: "2026-12-03T12:35:00.000Z", to: "2026-12-03T19:35", startsAt: december!.toISOString() });
  });

  it("follow a meeting the secretary moved, and skip a cancelled one", async () => {
    const [december, january] = await meetingsAfter((await state()).now);
    await queryRows(
      app.chibo.database,
      sql`update meetings set starts_at = '2026-12-10T12:00:00Z' where starts_at = ${december!.toISOString()} and kind = 'regular'`,
    );
    let { next } = await state();
    expect(next.notice).toMatchObject({ to: "2026-12-07T19:00", meetingStartsAt: "2026-12-10T12:00:00.000Z" });
    expect(next.meeting).toMatchObject({ to: "2026-12-10T19:05" });

    await queryRows(app.chibo.database, sql`update meetings set status = 'cancelled' where starts_at = '2026-12-10T12:00:00Z' and kind = 'regular'`);
    ({ next } = await state());
    expect(next.meeting!.startsAt).toBe(january!.toISOString());

    // Back as it was, for the walk through the month below.
    await queryRows(
      app.chibo.database,
      sql`update meetings set status = 'scheduled', starts_at = ${december!.toISOString()} where starts_at = '2026-12-10T12:00:00Z' and kind = 'regular'`,
    );
    expect((await state()).next.meeting!.startsAt).toBe(december!.toISOString());
  });

  it("to the next notice: the members get the notice at that minute, and the shortcut moves on to next month's", async () => {
    const before = await lastId("hoa");
    const { next } = await state();
    await moveTo(next.notice!.to);
    const received = await app.transcript("hoa", before);
    expect(received.map((e) => minute(e.at))).toEqual([minute(next.notice!.at)]);
    expect(entryText(received[0]!)).toContain("📢 Thông báo triệu tập");
    expect(entryText(received[0]!)).toContain("03/12/2026");

    const after = await state();
    expect(minute(after.now)).toBe(minute(next.notice!.at));
    const [, january] = await meetingsAfter(after.now);
    expect(after.next.notice!.meetingStartsAt).toBe(january!.toISOString());
    // This month's meeting is still the next one.
    expect(after.next.meeting!.to).toBe("2026-12-03T19:35");
  });

  it("to the next meeting: the meeting is under way and the secretary can call the roll", async () => {
    const { next } = await state();
    const before = await lastId("secretary");
    await moveTo(next.meeting!.to);
    expect(minute((await state()).now)).toBe(minute(next.meeting!.at));
    await app.post("/sandbox/api/send", { persona: "secretary", text: "/diemdanh" });
    const answer = (await botTexts("secretary", before)).join("\n");
    expect(answer).toContain("Điểm danh — Chi bộ Khu phố 10");
    expect(answer).toContain("03/12/2026");

    // Once it has begun, the next meeting is next month's.
    const later = await state();
    const [january] = await meetingsAfter(later.now);
    expect(later.next.meeting!.startsAt).toBe(january!.toISOString());
  });
});
