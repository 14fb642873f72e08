import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNoticeRenderer } from "../../handlers/framework/notices.ts";
import { features } from "../../handlers/index.ts";
import { createSender } from "../../src/core/delivery/sender.ts";
import { toLocale } from "../../src/core/locale.ts";
import { blockPlainText, type OutgoingMessage } from "../../src/core/message.ts";
import { createStore } from "../../src/store/index.ts";
import { sql } from "drizzle-orm";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";
import { closeDemoRollCall, demoMeetingUnderWay } from "../helpers/demo-roll-call.ts";

/**
 * A resolution of the demo branch's 3 December meeting, from the secretary's typed deadlines
 * to what the fake notifier receives through the outbox and the real sender: in which order,
 * and how a task reminder reads when it goes out late.
 */
let h: Harness;
let meetingId: string;
const secretary: Speaker = { id: "secretary" };
const render = createNoticeRenderer(features);
/** What the fake notifier received, in the order it was sent. */
const received: Array<{ address: string; text: string }> = [];

function drain() {
  const store = createStore(h.database.db);
  return createSender({
    outbox: { claim: store.outbox.claim, record: store.outbox.record },
    clock: h.clock,
    notifier: {
      async send(address, message: OutgoingMessage) {
        received.push({ address, text: message.blocks.map(blockPlainText).join("\n") });
        return { ok: true };
      },
    },
    render: (notice, locale) => render(notice, h.i18n.t(toLocale(locale)), toLocale(locale)),
    onUnreachable: async () => {},
  }).drain();
}

beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  meetingId = await demoMeetingUnderWay(h);
  await closeDemoRollCall(h, meetingId);
  // Closing raised the absentee alerts (tested in test/core/alerts.test.ts): sent before these tests.
  await drain();
  received.length = 0;
});
afterAll(async () => h.close());

describe("the deadline step", () => {
  it("takes “cuối tháng”, “cuoi thang sau”, “cuối năm” and a day without its year", async () => {
    await h.pressLabel(secretary, await h.pressLabel(secretary, await h.command(secretary, "/nghiquyet"), "Điền theo mẫu"), "Bỏ qua");
    const task = async (description: string, owner: string, deadline: string) => {
      await h.say(secretary, description);
      await h.say(secretary, owner);
      return h.say(secretary, deadline);
    };
    expect(plain(await task("Thu đảng phí", "Phạm Thị Hoa", "cuối tháng"))).toContain("nhiệm vụ thứ 2");
    expect(plain(await task("Sửa loa phát thanh", "Lê Văn Minh", "cuoi thang sau"))).toContain("nhiệm vụ thứ 3");
    expect(plain(await task("Tổng kết năm", "Trần Thị Lan", "cuối năm"))).toContain("nhiệm vụ thứ 4");
    const last = await task("Thăm hỏi gia đình chính sách", "Lý Thị Hạnh", "5/1");
    expect(plain(last)).toContain("nhiệm vụ thứ 5");
    await h.pressLabel(secretary, await h.pressLabel(secretary, last, "Hết nhiệm vụ"), "Bỏ qua");
    const preview = plain(await h.say(secretary, "7 0 0"));
    expect(preview).toContain("Thu đảng phí — đ/c Phạm Thị Hoa, hạn 31/12/2026");
    expect(preview).toContain("Sửa loa phát thanh — đ/c Lê Văn Minh, hạn 31/01/2027");
    expect(preview).toContain("Tổng kết năm — đ/c Trần Thị Lan, hạn 31/12/2026");
    expect(preview).toContain("Thăm hỏi gia đình chính sách — đ/c Lý Thị Hạnh, hạn 05/01/2027");
    expect(plain(await h.say(secretary, "gửi"))).toContain("Nghị quyết được thông qua.");
  });
});

describe("the summary", () => {
  it("reaches the absentees before anyone else", async () => {
    await drain();
    const summaries = received.filter((r) => r.text.includes("Tóm tắt nghị quyết") || r.text.includes("Summary of the branch resolution"));
    // Every member (Cúc, exempt, included) and the supervisor.
    expect(summaries).toHaveLength(14);
    const absentees = ["sandbox:mai", "sandbox:nam", "sandbox:thu"];
    // The first three messages sent, before any other summary or task.
    expect(
      received
        .slice(0, 3)
        .map((r) => r.address)
        .sort(),
    ).toEqual(absentees);
    expect(
      summaries
        .slice(0, 3)
        .map((r) => r.address)
        .sort(),
    ).toEqual(absentees);
  });
});

describe("a task reminder", () => {
  it("says “today” when it goes out on the deadline's day after downtime", async () => {
    received.length = 0;
    // Planned for 08:00 on 30 December; Chibo was down until 09:00 on the 31st.
    h.clock.set("2026-12-31T02:00:00Z");
    await drain();
    const reminders = received.filter((r) => r.text.includes("Nhắc việc"));
    expect(reminders.map((r) => r.address).sort()).toEqual(["sandbox:deputy", "sandbox:hoa"]);
    for (const reminder of reminders) {
      expect(reminder.text).toContain("⏰ Nhắc việc: hôm nay đến hạn");
      expect(reminder.text).not.toContain("ngày mai");
    }
  });

  it("says “tomorrow” when it goes out as planned, the morning before", async () => {
    received.length = 0;
    h.clock.set("2027-01-04T01:00:00Z");
    await drain();
    const reminder = received.find((r) => r.address === "sandbox:hanh")!;
    expect(reminder.text).toContain("⏰ Nhắc việc: ngày mai đến hạn");
    expect(reminder.text).toContain("Thời hạn: 05/01/2027.");
  });

  it("counts the days left when it goes out earlier than the day before", () => {
    const params = {
      taskId: "00000000-0000-4000-8000-000000000007",
      meetingId,
      description: "Việc",
      dueOn: "2027-01-31",
      branchName: "Chi bộ Khu phố 10",
      startsAt: "2026-12-03T12:30:00Z",
      timezone: "Asia/Ho_Chi_Minh",
    };
    const at = (sendingAt: string | undefined, locale: "vi" | "en" = "vi") =>
      plain([render({ kind: "task.reminder", params: sendingAt ? { ...params, sendingAt } : params }, h.i18n.t(locale), locale)]);
    expect(at("2027-01-28T01:00:00Z")).toContain("⏰ Nhắc việc: còn 3 ngày nữa đến hạn");
    expect(at("2027-02-01T01:00:00Z")).toContain("⚠️ Nhắc việc: đã quá hạn 1 ngày");
    expect(at("2027-01-28T01:00:00Z", "en")).toContain("⏰ Task reminder: due in 3 days");
    // Rendered outside the sender (no moment of sending): it says nothing about the time left.
    expect(at(undefined)).toMatch(/^⏰ Nhắc việc\n/);
  });
});

describe("typed twins of the buttons", () => {
  const hoa: Speaker = { id: "hoa" };
  it("“đã đọc” marks the summary read, once", async () => {
    expect(plain(await h.say(hoa, "Dạ đã đọc ạ"))).toContain("Cảm ơn đồng chí đã đọc nghị quyết");
    expect(plain(await h.say(hoa, "da doc"))).toContain("Chibo đã ghi nhận đồng chí đọc nghị quyết này rồi");
    const readers = await h.core.resolutions.readers(await h.actor("secretary"), meetingId);
    if (!readers.ok) throw new Error("no readers");
    expect(readers.readers.read.map((r) => r.name)).toContain("Phạm Thị Hoa");
  });

  it("“xong” marks the member's only open task done, and asks which when there are several", async () => {
    await h.database.db.execute(
      sql`update tasks set owner_membership_id = (select owner_membership_id from tasks where description = 'Thu đảng phí') where description = 'Sửa loa phát thanh'`,
    );
    const which = await h.say(hoa, "xong");
    expect(plain(which)).toContain("Đồng chí có nhiều nhiệm vụ chưa xong");
    expect(buttons(which).map((b) => b.label)).toEqual(["✔️ Thu đảng phí (hạn 31/12/2026)", "✔️ Sửa loa phát thanh (hạn 31/01/2027)"]);
    expect(plain(await h.pressLabel(hoa, which, "Thu đảng phí"))).toContain("Đã ghi nhận hoàn thành: “Thu đảng phí”");
    expect(plain(await h.say(hoa, "đã hoàn thành"))).toContain("Đã ghi nhận hoàn thành: “Sửa loa phát thanh”");
    // Nothing left: "xong" is no longer a task's twin.
    expect(plain(await h.say(hoa, "xong"))).not.toContain("hoàn thành");
  });
});
