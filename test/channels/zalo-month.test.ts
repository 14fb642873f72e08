import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { DEMO_PERSONAS } from "../../src/store/seed/demo-branch.ts";
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from "../helpers/fake-bot-api.ts";
import { seedDemoOnChannels, upcomingMeeting } from "../helpers/demo-on-channels.ts";
import { runningClock } from "../helpers/fake-clock.ts";
import { startFakeZalo, textUpdate, type FakeZalo, type FakeZaloCall } from "../helpers/fake-zalo.ts";
import { createTestDatabase } from "../helpers/test-db.ts";

/**
 * The demo branch's month with the secretary on Telegram and every member on Zalo (a fake Bot
 * API and a fake Zalo Bot Platform, both on 127.0.0.1): a member joins by a typed code, members
 * answer the notice by typing "1", "vắng vì ốm" and "3", check in with the roll call's code,
 * read a resolution summary too long for one Zalo message, and mark their task done by number.
 */
const TOKEN = "123456:TEST-zalo-month";
const SECRETARY = 9300;
const ZALO: Record<string, string> = Object.fromEntries(DEMO_PERSONAS.map((p) => [p.key, `m${p.key}00000000000003`]));
const LUA = "mlua000000000000003";
const SECRETARY_ZALO = "msecretaryzalo0003";
const TU = "mtu00000000000000003";
let invite = "";

let api: FakeBotApi;
let zalo: FakeZalo;
let database: DatabaseHandle;
let chibo: Chibo;
const clock = runningClock();
let meeting: Date;

beforeAll(async () => {
  api = await startFakeBotApi({ token: TOKEN });
  zalo = await startFakeZalo({ maxLongPollMs: 200 });
  database = await createTestDatabase();
  await seedDemoOnChannels(database, clock, (key) =>
    key === "secretary" ? { channel: "telegram", id: String(SECRETARY) } : { channel: "zalo", id: ZALO[key]! },
  );
  const env = { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, ZALO_BOT_TOKEN: zalo.token, ZALO_API_ROOT: zalo.apiRoot };
  chibo = await startChibo(loadConfig({ ...env, PORT: "0", HOST: "127.0.0.1", SANDBOX: "0" }), {
    database,
    logger: pino({ level: "silent" }),
    telegramPollingTimeout: 1,
    zaloPollingTimeout: 1,
    clock,
  });
  meeting = await upcomingMeeting(database);
});
afterAll(async () => {
  await chibo.stop();
  await database.close();
  await zalo.close();
  await api.close();
});

async function at(minutes: number): Promise<void> {
  clock.advanceTo(new Date(meeting.getTime() + minutes * 60_000));
  await chibo.runDue();
}

// The secretary, on Telegram.
const tgText = (call: RecordedCall) => String(call.params.text ?? call.params.caption ?? "");
let tgSeen = -1;
async function secretaryGets(includes: string): Promise<RecordedCall> {
  const after = tgSeen;
  const call = await api
    .waitForCall(["sendMessage", "editMessageText"], (c) => tgText(c).includes(includes) && api.calls.indexOf(c) > after, 10_000)
    .catch((error: unknown) => {
      const last = api.calls.filter((c) => c.method === "sendMessage" || c.method === "editMessageText").at(-1);
      throw new Error(`the secretary never got “${includes}”; last: ${last ? tgText(last) : "nothing"}`, { cause: error });
    });
  tgSeen = api.calls.indexOf(call);
  return call;
}
const secretarySays = (text: string) => api.pushUpdate(api.textUpdate({ chatId: SECRETARY, text, firstName: "Hùng" }));
function press(call: RecordedCall, label: string | RegExp): void {
  const keyboard = (call.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat();
  const found = keyboard.find((b) => (typeof label === "string" ? b.text.includes(label) : label.test(b.text)));
  if (!found) throw new Error(`no button ${label} in ${keyboard.map((b) => b.text).join(" | ")}`);
  const messageId = (call.result as { message_id: number }).message_id;
  api.pushUpdate(api.callbackUpdate({ chatId: SECRETARY, data: found.callback_data, messageId, firstName: "Hùng" }));
}

// The members, on Zalo.
const zText = (call: FakeZaloCall) => String(call.params.text ?? call.params.caption ?? "");
const zSeen = new Map<string, number>();
async function gets(chat: string, includes: string): Promise<FakeZaloCall> {
  const after = zSeen.get(chat) ?? -1;
  const call = await zalo
    .waitForCall("sendMessage", (c) => c.params.chat_id === chat && zText(c).includes(includes) && zalo.calls.indexOf(c) > after, 10_000)
    .catch((error: unknown) => {
      const last = zalo.sent("sendMessage").filter((c) => c.params.chat_id === chat);
      throw new Error(`${chat} never got “${includes}”; last: ${last.slice(-2).map(zText).join(" ¶ ")}`, { cause: error });
    });
  zSeen.set(chat, zalo.calls.indexOf(call));
  return call;
}
const says = (chat: string, text: string) => zalo.pushUpdate(textUpdate({ userId: chat, text }));
/** The number a Zalo message gives the action whose line contains `label`. */
const numberOf = (call: FakeZaloCall, label: string) => {
  const line = zText(call)
    .split("\n")
    .find((l) => /^\d+\. /.test(l) && l.includes(label));
  if (!line) throw new Error(`no numbered line “${label}” in ${zText(call)}`);
  return line.split(".")[0]!;
};

describe("a month with the secretary on Telegram and the members on Zalo", () => {
  it("a newcomer on Zalo joins by typing the invite code; the secretary approves on Telegram", async () => {
    secretarySays("/thanhvien");
    press(await secretaryGets("Tổng số"), "Mã mời");
    invite = /\b([A-Z0-9]{4}-[A-Z0-9]{4})\b/.exec(tgText(await secretaryGets("Mã mời:")))![1]!;
    says(LUA, invite.toLowerCase());
    await gets(LUA, "gõ họ và tên đầy đủ");
    says(LUA, "To Thi Lua");
    await gets(LUA, "Đã gửi yêu cầu");
    press(await secretaryGets("To Thi Lua xin tham gia"), "Duyệt");
    await gets(LUA, "Bí thư đã duyệt");
  });

  it("the secretary links Zalo too, and chooses Telegram for her messages", async () => {
    secretarySays("/toi");
    press(await secretaryGets("Chibo đang lưu về đồng chí"), "Liên kết kênh khác");
    const code = /Mã liên kết: (\S+)/.exec(tgText(await secretaryGets("Mã liên kết")))![1]!;
    says(SECRETARY_ZALO, code);
    await gets(SECRETARY_ZALO, "Đã liên kết tài khoản này");
    secretarySays("/toi");
    press(await secretaryGets("Chibo đang lưu về đồng chí"), "Nhận tin qua Telegram");
    await secretaryGets("Từ nay Chibo gửi tin cho đồng chí qua Telegram");
  });

  it("members answer the notice by typing: “1”, “vắng vì ốm”, “3”; the secretary gets it once", async () => {
    await at(-3 * 24 * 60 + 1);
    // On the channel she chose, and not on the other.
    await secretaryGets("Thông báo triệu tập");
    expect(zalo.sent("sendMessage").filter((c) => c.params.chat_id === SECRETARY_ZALO && zText(c).includes("Thông báo triệu tập"))).toEqual([]);
    const notice = await gets(ZALO.hoa!, "Thông báo triệu tập");
    expect(zText(notice)).not.toContain("bấm");
    expect(numberOf(notice, "Có mặt")).toBe("1");
    says(ZALO.hoa!, "1");
    await gets(ZALO.hoa!, "Đã ghi: đồng chí Phạm Thị Hoa có mặt");
    await gets(ZALO.nam!, "Thông báo triệu tập");
    says(ZALO.nam!, "vắng vì ốm");
    await gets(ZALO.nam!, "Lý do: ốm");
    const thu = await gets(ZALO.thu!, "Thông báo triệu tập");
    expect(numberOf(thu, "Chưa chắc")).toBe("3");
    says(ZALO.thu!, "3");
    await gets(ZALO.thu!, "Bùi Thị Thu");
    secretarySays("/lichhop");
    const list = await secretaryGets("Sinh hoạt chi bộ thường kỳ");
    const number = /^(\d+)\. Sinh hoạt chi bộ thường kỳ/m.exec(tgText(list).replace(/<[^>]+>/g, ""))![1];
    press(list, `${number} 📊`);
    expect(tgText(await secretaryGets("Chưa trả lời"))).toContain("Có mặt 1 · Vắng 1 · Chưa chắc 1");
  });

  it("the secretary takes the roll call on Telegram; members on Zalo check in with its code", async () => {
    await at(10);
    secretarySays("/diemdanh");
    press(await secretaryGets("Điểm danh"), "Mã điểm danh");
    const code = /(\d{6})/.exec(tgText(await secretaryGets("Mã điểm danh")))![1]!;
    for (const who of ["deputy", "committee", "hoa", "khoa", "thu", "hanh", "duc", "lua"]) {
      const chat = who === "lua" ? LUA : ZALO[who]!;
      says(chat, code);
      await gets(chat, who === "khoa" ? "Checked in" : "điểm danh");
    }
    // Hùng and Yến have no chat account: the secretary marks them.
    for (const name of ["Nguyễn Văn Hùng", "Cao Thị Yến"]) {
      secretarySays("/diemdanh");
      let page = await secretaryGets("Điểm danh");
      if (!tgText(page).includes(name)) {
        press(page, "Sau");
        page = await secretaryGets("Điểm danh");
      }
      const line = tgText(page)
        .split("\n")
        .find((l) => l.includes(name))!;
      press(page, new RegExp(`^${/(\d+)\. /.exec(line)![1]} `));
      await secretaryGets(`✅ ${name}`);
    }
    secretarySays("/diemdanh");
    press(await secretaryGets("Điểm danh"), "Xét lý do vắng");
    press(await secretaryGets("Hoàng Văn Nam"), "Nam: có lý do");
    const decisions = await secretaryGets("Hoàng Văn Nam — vắng có lý do: ốm");
    // Mai said nothing and gave no reason.
    press(decisions, "Mai: không lý do");
    await secretaryGets("Vũ Thị Mai — vắng không lý do");
    secretarySays("/diemdanh");
    press(await secretaryGets("Điểm danh"), "Chốt điểm danh");
    const closed = tgText(await secretaryGets("Phải triệu tập"));
    expect(closed).toContain("Vắng có lý do (1): Hoàng Văn Nam (ốm)");
    expect(closed).toContain("Vắng không lý do (1): Vũ Thị Mai");
  });

  it("the summary reaches Zalo in two parts; members mark it read and their task done by number", async () => {
    secretarySays("/nghiquyet");
    press(await secretaryGets("Số đảng viên có quyền biểu quyết"), "Điền theo mẫu");
    await secretaryGets("Bước 1/4");
    secretarySays("Hoàn thành thu đảng phí quý IV.");
    await secretaryGets("nhiệm vụ thứ nhất");
    secretarySays("Vận động đóng góp quỹ khuyến học");
    press(await secretaryGets("Ai phụ trách"), "Phạm Thị Hoa");
    await secretaryGets("Thời hạn hoàn thành");
    const deadline = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric" }).format(
      new Date(meeting.getTime() + 12 * 24 * 3600_000),
    );
    secretarySays(deadline);
    press(await secretaryGets("nhiệm vụ thứ 2"), "Hết nhiệm vụ");
    await secretaryGets("Bước 3/4");
    // Other content long enough that the summary does not fit one Zalo message.
    const paragraph = "Chi bộ thống nhất tiếp tục vận động đảng viên và nhân dân tham gia giữ gìn vệ sinh môi trường, trật tự an toàn khu phố.";
    const notes = Array.from({ length: 20 }, (_, i) => `${i + 1}. ${paragraph}`).join("\n");
    expect(notes.length).toBeGreaterThan(2400);
    secretarySays(notes);
    await secretaryGets("Kết quả biểu quyết");
    secretarySays("8 0 0");
    press(await secretaryGets("Hợp lệ: 8 phiếu tán thành"), "Gửi cho chi bộ");
    await secretaryGets("Tóm tắt đang được gửi");
    await at(125);

    const first = await gets(ZALO.mai!, "Tóm tắt nghị quyết chi bộ tháng");
    const second = await gets(ZALO.mai!, "Đã đọc");
    expect(zText(first).length).toBeLessThanOrEqual(2000);
    expect(zText(second).length).toBeLessThanOrEqual(2000);
    expect(`${zText(first)}\n${zText(second)}`).toContain(`20. ${paragraph}`);
    says(ZALO.mai!, numberOf(second, "Đã đọc"));
    await gets(ZALO.mai!, "Cảm ơn đồng chí đã đọc nghị quyết");

    const task = await gets(ZALO.hoa!, "Nhiệm vụ chi bộ giao cho đồng chí");
    says(ZALO.hoa!, numberOf(task, "Đã hoàn thành"));
    await gets(ZALO.hoa!, "Đã ghi nhận hoàn thành");
    // The secretary hears of it on Telegram.
    await secretaryGets("Vận động đóng góp quỹ khuyến học");
  });

  it("when Telegram refuses the secretary, what was meant for her arrives on Zalo instead, once", async () => {
    api.failNext("sendMessage", { error_code: 403, description: "Forbidden: bot was blocked by the user" });
    const refusedBefore = api.calls.filter((c) => c.method === "sendMessage" && c.status === 403).length;
    // A newcomer asks to join: the secretary is told through the outbox.
    says(TU, invite.toLowerCase());
    await gets(TU, "gõ họ và tên đầy đủ");
    says(TU, "Le Van Tu");
    await gets(TU, "Đã gửi yêu cầu");
    await gets(SECRETARY_ZALO, "Le Van Tu xin tham gia");
    expect(api.calls.filter((c) => c.method === "sendMessage" && c.status === 403)).toHaveLength(refusedBefore + 1);
    // Not told to phone herself: she was reachable.
    expect(zalo.sent("sendMessage").some((c) => zText(c).includes("không gửi được tin cho đồng chí"))).toBe(false);
  });
});
