import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { DEMO_PERSONAS } from "../../src/store/seed/demo-branch.ts";
import { seedDemoOnChannels, upcomingMeeting } from "../helpers/demo-on-channels.ts";
import { runningClock } from "../helpers/fake-clock.ts";
import { startFakeZalo, textUpdate, type FakeZalo, type FakeZaloCall } from "../helpers/fake-zalo.ts";
import { createTestDatabase } from "../helpers/test-db.ts";

/**
 * The demo branch's month on Zalo alone, the secretary included (a fake Zalo Bot Platform on
 * 127.0.0.1): the notice and its answers, the tally, the roll call completed by typing numbers
 * and “xong”, the resolution written by typing, the summary, and a task marked done. Nothing in
 * it needs a button.
 */
const ZALO: Record<string, string> = Object.fromEntries(DEMO_PERSONAS.map((p) => [p.key, `s${p.key}00000000000004`]));

let zalo: FakeZalo;
let database: DatabaseHandle;
let chibo: Chibo;
const clock = runningClock();
let meeting: Date;

beforeAll(async () => {
  zalo = await startFakeZalo({ maxLongPollMs: 200 });
  database = await createTestDatabase();
  await seedDemoOnChannels(database, clock, (key) => ({ channel: "zalo", id: ZALO[key]! }));
  chibo = await startChibo(loadConfig({ ZALO_BOT_TOKEN: zalo.token, ZALO_API_ROOT: zalo.apiRoot, PORT: "0", HOST: "127.0.0.1", SANDBOX: "0" }), {
    database,
    logger: pino({ level: "silent" }),
    zaloPollingTimeout: 1,
    clock,
  });
  meeting = await upcomingMeeting(database);
});
afterAll(async () => {
  await chibo.stop();
  await database.close();
  await zalo.close();
});

async function at(minutes: number): Promise<void> {
  clock.advanceTo(new Date(meeting.getTime() + minutes * 60_000));
  await chibo.runDue();
}

const zText = (call: FakeZaloCall) => String(call.params.text ?? "");
const seen = new Map<string, number>();
/** The next message to `who` containing `includes`, later than the last one awaited there. */
async function gets(who: string, includes: string): Promise<FakeZaloCall> {
  const chat = ZALO[who]!;
  const after = seen.get(chat) ?? -1;
  const call = await zalo
    .waitForCall("sendMessage", (c) => c.params.chat_id === chat && zText(c).includes(includes) && zalo.calls.indexOf(c) > after, 10_000)
    .catch((error: unknown) => {
      const last = zalo.sent("sendMessage").filter((c) => c.params.chat_id === chat);
      throw new Error(`${who} never got “${includes}”; last: ${last.slice(-2).map(zText).join(" ¶ ")}`, { cause: error });
    });
  seen.set(chat, zalo.calls.indexOf(call));
  return call;
}
const says = (who: string, text: string) => zalo.pushUpdate(textUpdate({ userId: ZALO[who]!, text }));
/** The number the message gives the line that contains `label` (an action or a roll call line). */
function numberOf(call: FakeZaloCall, label: string | RegExp): string {
  const line = zText(call)
    .split("\n")
    .find((l) => /^(• )?\d+\. /.test(l) && (typeof label === "string" ? l.includes(label) : label.test(l)));
  if (!line) throw new Error(`no numbered line “${label}” in ${zText(call)}`);
  return /(\d+)\. /.exec(line)![1]!;
}
/** Types the number of `label` in the message. */
const pick = (who: string, call: FakeZaloCall, label: string | RegExp) => says(who, numberOf(call, label));

describe("a month on Zalo alone, the secretary included", () => {
  it("members answer the notice; the secretary reads the tally", async () => {
    await at(-3 * 24 * 60 + 1);
    pick("hoa", await gets("hoa", "Thông báo triệu tập"), "Có mặt");
    await gets("hoa", "có mặt");
    await gets("nam", "Thông báo triệu tập");
    says("nam", "vắng vì ốm");
    await gets("nam", "Lý do: ốm");
    pick("secretary", await gets("secretary", "Thông báo triệu tập"), "Có mặt");
    await gets("secretary", "có mặt");
    says("secretary", "lichhop");
    pick("secretary", await gets("secretary", "Sinh hoạt chi bộ thường kỳ"), /📊/);
    expect(zText(await gets("secretary", "Chưa trả lời"))).toContain("Có mặt 2 · Vắng 1");
  });

  it("the roll call is completed by typing numbers and “xong”", async () => {
    await at(10);
    says("secretary", "diemdanh");
    let roll = await gets("secretary", "Điểm danh —");
    expect(zText(roll)).toContain("ví dụ: 1 3 5");
    expect(zText(roll)).toContain("Gõ “xong” để chốt điểm danh");
    // Everyone on the first page who is marked absent but came: all but Nam and Mai.
    const cameAbsent = zText(roll)
      .split("\n")
      .filter((l) => /^(• )?\d+\. ❌/.test(l) && !/Nam|Mai/.test(l))
      .map((l) => /(\d+)\. /.exec(l)![1]!);
    expect(cameAbsent.length).toBeGreaterThan(2);
    says("secretary", `có mặt ${cameAbsent.join(" ")}`);
    roll = await gets("secretary", "Điểm danh —");
    expect(zText(roll)).not.toMatch(/^(• )?\d+\. ❌ (?!.*(Nam|Mai))/m);
    // A page further on, if any: the same by typing.
    while (/Sau/.test(zText(roll))) {
      pick("secretary", roll, "Sau");
      roll = await gets("secretary", "Điểm danh —");
      const rest = zText(roll)
        .split("\n")
        .filter((l) => /^(• )?\d+\. ❌/.test(l) && !/Nam|Mai/.test(l))
        .map((l) => /(\d+)\. /.exec(l)![1]!);
      if (rest.length) {
        says("secretary", `có mặt ${rest.join(" ")}`);
        roll = await gets("secretary", "Điểm danh —");
      }
      if (!/Sau/.test(zText(roll))) break;
    }
    // Closing with absences not yet decided is refused, worded for typing.
    says("secretary", "xong");
    await gets("secretary", "Còn người vắng chưa xét lý do");
    says("secretary", "diemdanh");
    pick("secretary", await gets("secretary", "Điểm danh —"), "Xét lý do vắng");
    let absences = await gets("secretary", "Xét lý do vắng");
    pick("secretary", absences, "Nam: có lý do");
    absences = await gets("secretary", "Hoàng Văn Nam — vắng có lý do: ốm");
    pick("secretary", absences, "Mai: không lý do");
    await gets("secretary", "Vũ Thị Mai — vắng không lý do");
    // Closed from the absences, where the last decision was made.
    says("secretary", "xong");
    const closed = zText(await gets("secretary", "Phải triệu tập"));
    expect(closed).toContain("Vắng có lý do (1): Hoàng Văn Nam (ốm)");
    expect(closed).toContain("Vắng không lý do (1): Vũ Thị Mai");
  });

  it("the resolution is written by typing; the summary arrives and a task is marked done", async () => {
    says("secretary", "nghiquyet");
    pick("secretary", await gets("secretary", "Số đảng viên có quyền biểu quyết"), "Điền theo mẫu");
    await gets("secretary", "Bước 1/4");
    says("secretary", "Hoàn thành thu đảng phí quý IV.");
    await gets("secretary", "nhiệm vụ thứ nhất");
    says("secretary", "Vận động đóng góp quỹ khuyến học");
    pick("secretary", await gets("secretary", "Ai phụ trách"), "Phạm Thị Hoa");
    await gets("secretary", "Thời hạn hoàn thành");
    const deadline = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric" }).format(
      new Date(meeting.getTime() + 12 * 24 * 3600_000),
    );
    says("secretary", deadline);
    await gets("secretary", "nhiệm vụ thứ 2");
    says("secretary", "xong");
    pick("secretary", await gets("secretary", "Bước 3/4"), "Bỏ qua");
    const votes = zText(await gets("secretary", "Kết quả biểu quyết"));
    const voters = /Có mặt (\d+) trong số/.exec(votes)![1]!;
    says("secretary", `${voters} 0 0`);
    pick("secretary", await gets("secretary", `Hợp lệ: ${voters} phiếu tán thành`), "Gửi cho chi bộ");
    await gets("secretary", "Tóm tắt đang được gửi");
    await at(125);

    const summary = await gets("mai", "Đã đọc");
    expect(zText(summary)).toContain("Tóm tắt nghị quyết chi bộ tháng");
    expect(zText(summary)).toContain(`Vận động đóng góp quỹ khuyến học — đ/c Phạm Thị Hoa, hạn ${deadline}`);
    pick("mai", summary, "Đã đọc");
    await gets("mai", "Cảm ơn đồng chí đã đọc nghị quyết");
    pick("hoa", await gets("hoa", "Nhiệm vụ chi bộ giao cho đồng chí"), "Đã hoàn thành");
    await gets("hoa", "Đã ghi nhận hoàn thành");
    await gets("secretary", "Vận động đóng góp quỹ khuyến học");
  });
});
