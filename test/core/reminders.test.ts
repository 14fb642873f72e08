import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.ts";
import { createSender } from "../../src/core/delivery/sender.ts";
import { blockPlainText, type OutgoingMessage } from "../../src/core/message.ts";
import type { DeliveryResult } from "../../src/core/ports.ts";
import { createNoticeRenderer } from "../../handlers/framework/notices.ts";
import { features } from "../../handlers/index.ts";
import { toLocale } from "../../src/core/locale.ts";
import { createStore } from "../../src/store/index.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";
import { queryRows } from "../helpers/test-db.ts";

/**
 * The demo branch meets on the 3rd at 19:30 (Vietnam time); its committee three days
 * before. Times below are UTC: 19:30 in Hà Nội is 12:30Z.
 */
let h: Harness;
let store: ReturnType<typeof createStore>;
let branchId: string;
const render = createNoticeRenderer(features);
const delivered: Array<{ address: string; text: string; at: string }> = [];
/** The text of every render the sender asked for. */
const rendered: string[] = [];
let answer: (address: string) => DeliveryResult = () => ({ ok: true });

function newSender() {
  return createSender(
    {
      outbox: { claim: store.outbox.claim, record: store.outbox.record },
      clock: h.clock,
      notifier: {
        async send(address, message: OutgoingMessage) {
          const result = answer(address);
          if (result.ok) delivered.push({ address, text: message.blocks.map(blockPlainText).join("\n"), at: h.clock.now().toISOString() });
          return result;
        },
      },
      render: (notice, locale) => {
        const message = render(notice, h.i18n.t(toLocale(locale)), toLocale(locale));
        rendered.push(message.blocks.map(blockPlainText).join("\n"));
        return message;
      },
      onUnreachable: async (message) => void (await h.core.delivery.reportUnreachable(message)),
    },
    { leaseMs: 60_000, maxInFlight: 8 },
  );
}
const sent = (prefix: string) => delivered.filter((d) => d.text.includes(prefix));
const to = (key: string) => `sandbox:${key}`;

beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  store = createStore(h.database.db);
  const [row] = await queryRows<{ id: string }>(h.database, sql`select id from branches limit 1`);
  branchId = row!.id;
  h.clock.set("2026-11-25T00:00:00Z");
});
afterAll(async () => h.close());

describe("occurrences", () => {
  it("creates this month's and the next months' meetings from the rule, once", async () => {
    expect(await h.core.planner.ensureOccurrences()).toBeGreaterThan(0);
    expect(await h.core.planner.ensureOccurrences()).toBe(0);
    const meetings = await store.meetings.list(branchId, h.clock.now(), new Date("2027-02-01T00:00:00Z"), false);
    const regular = meetings.filter((m) => m.kind === "regular").map((m) => m.startsAt.toISOString());
    // 3 December 2026 is a Thursday; 3 January 2027 a Sunday (the demo keeps the day).
    expect(regular).toEqual(["2026-12-03T12:30:00.000Z", "2027-01-03T12:30:00.000Z"]);
    const committee = meetings.filter((m) => m.kind === "committee").map((m) => m.startsAt.toISOString());
    expect(committee[0]).toBe("2026-11-30T12:30:00.000Z");
  });
});

describe("planning and sending reminders", () => {
  it("sends the committee notice two days before, to the committee only", async () => {
    h.clock.set("2026-11-28T12:30:00Z");
    const planned = await h.core.planner.planDueReminders();
    expect(planned.messages).toBe(3);
    expect((await h.core.planner.planDueReminders()).messages).toBe(0);
    await newSender().drain();
    expect(
      sent("Họp chi ủy")
        .map((d) => d.address)
        .sort(),
    ).toEqual([to("committee"), to("deputy"), to("secretary")]);
  });

  it("sends the notice to every expected member in their language, and the supervisor, never to exempt or away members", async () => {
    h.clock.set("2026-11-30T12:30:00Z");
    await h.core.planner.planDueReminders();
    await newSender().drain();
    const notices = delivered.filter((d) => d.text.includes("Thông báo triệu tập") || d.text.includes("Meeting notice"));
    const addresses = notices.map((d) => d.address).sort();
    expect(addresses).toEqual(["committee", "deputy", "duc", "hanh", "hoa", "khoa", "mai", "nam", "secretary", "supervisor", "thu"].map(to).sort());
    for (const away of ["tam", "cuc", "son"]) expect(addresses).not.toContain(to(away));
    const khoa = notices.find((d) => d.address === to("khoa"))!;
    expect(khoa.text).toContain("Meeting notice — Chi bộ Khu phố 10");
    expect(khoa.text).toContain("19:30 Thursday, 03/12/2026");
    const hoa = notices.find((d) => d.address === to("hoa"))!;
    expect(hoa.text).toContain("Thời gian: 19:30 Thứ Năm, 03/12/2026");
    expect(hoa.text).toContain("Địa điểm: Nhà văn hóa khu phố 10");
    expect(notices.find((d) => d.address === to("supervisor"))!.text).toContain("cấp ủy viên phụ trách");
    // Rendered once per distinct message (Vietnamese, English, the supervisor's) in each claimed
    // batch (8 rows here), not once per person.
    const isNotice = (text: string) => text.includes("Thông báo triệu tập") || text.includes("Meeting notice");
    const renders = rendered.filter(isNotice).length;
    expect(renders).toBeGreaterThanOrEqual(new Set(notices.map((d) => d.text)).size);
    expect(renders).toBeLessThanOrEqual(2 * new Set(notices.map((d) => d.text)).size);
    expect(renders).toBeLessThan(notices.length);
    // The committee met at this very minute: its 2-hour reminder, due at 10:30Z, is not sent late.
    expect(sent("Họp chi ủy").filter((d) => d.at === "2026-11-30T12:30:00.000Z")).toHaveLength(0);
  });

  it("sends the 1-day reminder only to those who have not answered or said maybe", async () => {
    const meeting = (await store.meetings.list(branchId, h.clock.now(), new Date("2026-12-04T00:00:00Z"), false)).find((m) => m.kind === "regular")!;
    for (const [key, answer] of [
      ["hoa", "yes"],
      ["nam", "no"],
      ["mai", "maybe"],
    ] as const) {
      await h.database.db.execute(sql`
        insert into attendance_replies (meeting_id, membership_id, answer)
        select ${meeting.id}, m.id, ${answer} from memberships m join channel_identities ci on ci.person_id = m.person_id where ci.external_id = ${key}`);
    }
    h.clock.set("2026-12-02T12:30:00Z");
    await h.core.planner.planDueReminders();
    await newSender().drain();
    const reminders = delivered.filter((d) => d.at === "2026-12-02T12:30:00.000Z").map((d) => d.address);
    expect(reminders).toContain(to("mai"));
    expect(reminders).not.toContain(to("hoa"));
    expect(reminders).not.toContain(to("nam"));
    expect(reminders).not.toContain(to("supervisor"));
    expect(reminders).toHaveLength(8);
  });

  it("does not remind someone who said they will be absent, two hours before; drops what comes after the start", async () => {
    h.clock.set("2026-12-03T10:30:00Z");
    await h.core.planner.planDueReminders();
    const planned = await queryRows<{ address: string }>(h.database, sql`select address from outbox where dedupe_key like 'meeting.reminder:%:reminder-120:%'`);
    expect(planned.map((r) => r.address)).toContain(to("hoa"));
    expect(planned.map((r) => r.address)).toContain(to("mai"));
    expect(planned.map((r) => r.address)).not.toContain(to("nam"));
    // The sender was down: it comes back after the meeting began.
    h.clock.set("2026-12-03T12:31:00Z");
    const stats = await newSender().drain();
    expect(stats.dropped).toBe(9);
    expect(delivered.filter((d) => d.at === "2026-12-03T12:31:00.000Z")).toHaveLength(0);
  });
});

describe("catching up", () => {
  it("after downtime sends one message, not every missed step in a burst", async () => {
    h.clock.set("2026-12-05T01:00:00Z");
    const secretary = await h.actor("secretary");
    // Created three hours ahead: the 3-day notice, 1-day and 2-hour reminders are all due.
    const created = await h.core.meetings.createMeeting(secretary, branchId, {
      kind: "extraordinary",
      startsAt: new Date("2026-12-05T04:00:00Z"),
      place: null,
      agenda: "Bàn việc khẩn",
    });
    expect(created.ok).toBe(true);
    h.clock.set("2026-12-05T02:10:00Z");
    const before = delivered.length;
    await h.core.planner.planDueReminders();
    await newSender().drain();
    const burst = delivered.slice(before);
    expect(burst.filter((d) => d.address === to("hoa"))).toHaveLength(1);
    expect(burst.find((d) => d.address === to("hoa"))!.text).toContain("Thông báo triệu tập");
    expect((await h.core.planner.planDueReminders()).messages).toBe(0);
  });
});

describe("failures", () => {
  async function enqueueOne(key: string, address: string) {
    await store.outbox.enqueue(
      [
        {
          dedupeKey: key,
          kind: "rollcall.allowed",
          meetingId: null,
          personId: null,
          address,
          notice: { kind: "rollcall.allowed", params: { branchName: "Chi bộ thử" } },
          dueAt: h.clock.now(),
          staleAt: null,
        },
      ],
      h.clock.now(),
    );
  }
  const statusOf = async (key: string) =>
    (
      await queryRows<{ status: string; attempts: number; next_attempt_at: Date | null }>(
        h.database,
        sql`select status, attempts, next_attempt_at from outbox where dedupe_key = ${key}`,
      )
    )[0]!;

  it("waits out a 429 for the whole channel, then sends", async () => {
    let calls = 0;
    answer = () => (++calls === 1 ? { ok: false, reason: "retry", retryAfterMs: 50, detail: "429 Too Many Requests" } : { ok: true });
    await enqueueOne("t429", "sandbox:x429");
    const stats = await newSender().drain();
    expect(stats.rateLimited).toBe(1);
    expect((await statusOf("t429")).status).toBe("sent");
  });

  it("backs off after a 5xx and gives up after the last attempt", async () => {
    answer = () => ({ ok: false, reason: "retry", detail: "502 Bad Gateway" });
    await enqueueOne("t5xx", "sandbox:x5xx");
    await newSender().drain();
    const first = await statusOf("t5xx");
    expect(first.status).toBe("pending");
    expect(new Date(first.next_attempt_at!).getTime()).toBeGreaterThan(h.clock.now().getTime());
    for (let i = 0; i < 10; i++) {
      h.clock.advance(15 * 60_000);
      await newSender().drain();
    }
    expect(await statusOf("t5xx")).toMatchObject({ status: "failed", attempts: 8 });
  });

  it("marks a blocked member unreachable and tells the secretary and deputy once", async () => {
    answer = (address) => (address === to("thu") ? { ok: false, reason: "unreachable", detail: "403 Forbidden: bot was blocked by the user" } : { ok: true });
    const thu = await queryRows<{ person_id: string }>(h.database, sql`select person_id from channel_identities where external_id = 'thu'`);
    for (const n of [1, 2]) {
      await store.outbox.enqueue(
        [
          {
            dedupeKey: `blocked-${n}`,
            kind: "rollcall.allowed",
            meetingId: null,
            personId: thu[0]!.person_id,
            address: to("thu"),
            notice: { kind: "rollcall.allowed", params: { branchName: "x" } },
            dueAt: h.clock.now(),
            staleAt: null,
          },
        ],
        h.clock.now(),
      );
      await newSender().drain();
    }
    const identity = await queryRows<{ unreachable_at: Date | null }>(h.database, sql`select unreachable_at from channel_identities where external_id = 'thu'`);
    expect(identity[0]!.unreachable_at).not.toBeNull();
    const told = delivered.filter((d) => d.text.includes("không gửi được tin cho đồng chí Bùi Thị Thu"));
    expect(told.map((d) => d.address).sort()).toEqual([to("deputy"), to("secretary")]);
    answer = () => ({ ok: true });
  });
});

describe("a person on two channels", () => {
  it("gets one copy, on the channel they chose, and the other channel's when that one refuses", async () => {
    const [hoa] = await queryRows<{ person_id: string }>(h.database, sql`select person_id from channel_identities where external_id = 'hoa'`);
    const personId = hoa!.person_id;
    await h.database.db.execute(
      sql`insert into channel_identities (person_id, channel, external_id, address) values (${personId}, 'zalo', 'hoa-zalo', 'zalo:hoa-zalo')`,
    );
    await h.database.db.execute(sql`update people set preferred_channel = 'zalo' where id = ${personId}`);
    expect((await store.people.deliveryAddress(personId))?.address).toBe("zalo:hoa-zalo");
    const before = delivered.length;
    answer = (address) => (address === "zalo:hoa-zalo" ? { ok: false, reason: "unreachable", detail: "403 blocked" } : { ok: true });
    await store.outbox.enqueue(
      [
        {
          dedupeKey: "two-channels",
          kind: "rollcall.allowed",
          meetingId: null,
          personId,
          address: "zalo:hoa-zalo",
          notice: { kind: "rollcall.allowed", params: { branchName: "Chi bộ Khu phố 10" } },
          dueAt: h.clock.now(),
          staleAt: null,
        },
      ],
      h.clock.now(),
    );
    await newSender().drain();
    // Sent once, on the other channel; nobody is asked to phone her, since she is reachable.
    const got = delivered.slice(before);
    expect(got.map((d) => d.address)).toEqual([to("hoa")]);
    expect(got[0]!.text).toContain("Chi bộ Khu phố 10");
    expect(delivered.some((d) => d.text.includes("không gửi được tin cho đồng chí Phạm Thị Hoa"))).toBe(false);
    expect((await store.people.deliveryAddress(personId))?.address).toBe(to("hoa"));
    answer = () => ({ ok: true });
  });
});

describe("several senders", () => {
  it("never send one row twice, and a dead sender's rows come back after its lease", async () => {
    const before = delivered.length;
    const items = Array.from({ length: 60 }, (_, i) => ({
      dedupeKey: `many-${i}`,
      kind: "rollcall.allowed" as const,
      meetingId: null,
      personId: null,
      address: `sandbox:many-${i}`,
      notice: { kind: "rollcall.allowed" as const, params: { branchName: "x" } },
      dueAt: h.clock.now(),
      staleAt: null,
    }));
    await store.outbox.enqueue(items, h.clock.now());
    // A sender claims ten rows and dies before sending them.
    const orphaned = await store.outbox.claim(h.clock.now(), 10, 60_000);
    expect(orphaned).toHaveLength(10);
    await Promise.all([newSender().drain(), newSender().drain(), newSender().drain()]);
    let got = delivered.slice(before).map((d) => d.address);
    expect(got).toHaveLength(50);
    expect(new Set(got).size).toBe(50);
    h.clock.advance(61_000);
    const stats = await newSender().drain();
    expect(stats.ambiguous).toBe(10);
    got = delivered.slice(before).map((d) => d.address);
    expect(got).toHaveLength(60);
    expect(new Set(got).size).toBe(60);
  });
});

describe("a moved clock", () => {
  it("does not make a row in flight look abandoned: leases run on real time", async () => {
    const before = delivered.length;
    await store.outbox.enqueue(
      [
        {
          dedupeKey: "moved-clock",
          kind: "rollcall.allowed",
          meetingId: null,
          personId: null,
          address: "sandbox:moved",
          notice: { kind: "rollcall.allowed", params: { branchName: "x" } },
          dueAt: h.clock.now(),
          staleAt: null,
        },
      ],
      h.clock.now(),
    );
    let release: () => void = () => {};
    const slow = createSender(
      {
        outbox: { claim: store.outbox.claim, record: store.outbox.record },
        clock: h.clock,
        leaseClock: systemClock,
        notifier: {
          send: async (address) => (await new Promise<void>((resolve) => (release = resolve)), delivered.push({ address, text: "", at: "" }), { ok: true }),
        },
        render: () => ({ blocks: [] }),
        onUnreachable: async () => {},
      },
      { leaseMs: 60_000 },
    );
    const first = slow.drain();
    await expect.poll(() => store.outbox.countByStatus().then((c) => c.sending ?? 0)).toBe(1);
    // The sandbox moves its clock two hours on while the send travels.
    h.clock.advance(2 * 3600_000);
    const second = createSender({
      outbox: { claim: store.outbox.claim, record: store.outbox.record },
      clock: h.clock,
      leaseClock: systemClock,
      notifier: { send: async () => ({ ok: true }) },
      render: () => ({ blocks: [] }),
      onUnreachable: async () => {},
    });
    expect((await second.drain()).sent).toBe(0);
    release();
    await first;
    expect(delivered.slice(before).map((d) => d.address)).toEqual(["sandbox:moved"]);
  });
});

describe("stopping", () => {
  it("hands back what it has not sent instead of waiting out a 429, and the next sender sends it once", async () => {
    const before = delivered.length;
    const items = Array.from({ length: 6 }, (_, i) => ({
      dedupeKey: `stop-${i}`,
      kind: "rollcall.allowed" as const,
      meetingId: null,
      personId: null,
      address: `sandbox:stop-${i}`,
      notice: { kind: "rollcall.allowed" as const, params: { branchName: "x" } },
      dueAt: h.clock.now(),
      staleAt: null,
    }));
    await store.outbox.enqueue(items, h.clock.now());
    // The platform answers with a 30-second 429: the channel pauses, every send waits.
    answer = () => ({ ok: false, reason: "retry", retryAfterMs: 30_000, detail: "429 Too Many Requests" });
    const sender = newSender();
    sender.start();
    await expect.poll(() => sender.stats.rateLimited).toBe(6);
    const stopping = performance.now();
    await sender.stop();
    expect(performance.now() - stopping).toBeLessThan(3000);
    expect(sender.stats.released).toBe(6);
    const rows = await queryRows<{ status: string; attempts: number; lease_until: Date | null }>(
      h.database,
      sql`select status, attempts, lease_until from outbox where dedupe_key like 'stop-%'`,
    );
    expect(rows.map((r) => [r.status, r.attempts, r.lease_until])).toEqual(Array.from({ length: 6 }, () => ["pending", 0, null]));
    answer = () => ({ ok: true });
    await newSender().drain();
    const got = delivered.slice(before).map((d) => d.address);
    expect(got.sort()).toEqual(items.map((i) => i.address).sort());
  });
});

describe("changes", () => {
  it("moving a meeting withdraws unsent reminders and tells those already told", async () => {
    h.clock.set("2026-12-31T12:30:00Z");
    await h.core.planner.ensureOccurrences();
    const secretary = await h.actor("secretary");
    const january = (await store.meetings.list(branchId, h.clock.now(), new Date("2027-01-10T00:00:00Z"), false)).find((m) => m.kind === "regular")!;
    await h.core.planner.planDueReminders();
    await newSender().drain();
    expect(delivered.filter((d) => d.text.includes("03/01/2027") && d.address === to("hoa"))).toHaveLength(1);
    const moved = await h.core.meetings.moveMeeting(secretary, january.id, new Date("2027-01-05T12:30:00Z"));
    // Ten: every member told of it (Thu blocked the bot above) and the supervisor.
    expect(moved).toMatchObject({ ok: true, told: 10 });
    await newSender().drain();
    expect(delivered.find((d) => d.address === to("hoa") && d.text.includes("dời buổi họp"))!.text).toContain("sang 19:30 Thứ Ba, 05/01/2027");
    const cancelled = await h.core.meetings.cancelMeeting(secretary, january.id, "Trùng lịch bầu cử");
    expect(cancelled.ok).toBe(true);
    await newSender().drain();
    expect(delivered.find((d) => d.address === to("nam") && d.text.includes("hủy buổi họp"))!.text).toContain("hủy buổi họp 19:30 Thứ Ba, 05/01/2027");
  });

  it("refuses a member managing meetings, a time in the past, and a cancelled meeting", async () => {
    const hoa = await h.actor("hoa");
    const secretary = await h.actor("secretary");
    expect(
      await h.core.meetings.createMeeting(hoa, branchId, { kind: "thematic", startsAt: new Date("2027-01-20T12:00:00Z"), place: null, agenda: null }),
    ).toEqual({ ok: false, reason: "forbidden" });
    expect(
      await h.core.meetings.createMeeting(secretary, branchId, { kind: "thematic", startsAt: new Date("2026-01-20T12:00:00Z"), place: null, agenda: null }),
    ).toEqual({ ok: false, reason: "in_past" });
  });
});
