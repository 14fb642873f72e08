import { sql } from "drizzle-orm";
import mammoth from "mammoth";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { DEMO_PERSONAS } from "../../src/store/seed/demo-branch.ts";
import { seedDemoOnChannels, upcomingMeeting } from "../helpers/demo-on-channels.ts";
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from "../helpers/fake-bot-api.ts";
import { runningClock } from "../helpers/fake-clock.ts";
import { createTestDatabase } from "../helpers/test-db.ts";

/**
 * Issue 5's "done when" over the Telegram wire (a fake Bot API on 127.0.0.1): the demo
 * branch, its people on Telegram and its group linked, walks from the notice to the
 * acknowledged summary and the minutes as DOCX. The hand count is the sandbox test's:
 * expected 11, present 8, excused 2 (Nam, Thu — her reason written in by the secretary),
 * unexcused 1 (Mai), voting base 8.
 */
const TOKEN = "123456:TEST-resolution";
const GROUP = -700;
const ID: Record<string, number> = Object.fromEntries(DEMO_PERSONAS.map((p, i) => [p.key, 9100 + i]));

let api: FakeBotApi;
let database: DatabaseHandle;
let chibo: Chibo;
const clock = runningClock();
let meeting: Date;

beforeAll(async () => {
  api = await startFakeBotApi({ token: TOKEN });
  database = await createTestDatabase();
  // The demo branch's people use Telegram here, and the branch has its group.
  await seedDemoOnChannels(database, clock, (key) => ({ channel: "telegram", id: String(ID[key]) }));
  await database.db.execute(
    sql`insert into branch_chats (address, branch_id, channel, linked_at) select ${`telegram:${GROUP}`}, id, 'telegram', now() from branches`,
  );
  chibo = await startChibo(loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, PORT: "0", HOST: "127.0.0.1", SANDBOX: "0" }), {
    database,
    logger: pino({ level: "silent" }),
    telegramPollingTimeout: 1,
    clock,
  });
  meeting = await upcomingMeeting(database);
});
afterAll(async () => {
  await chibo.stop();
  await database.close();
  await api.close();
});

/** Moves the clock to `minutes` after the meeting's start and runs what falls due. */
async function at(minutes: number): Promise<void> {
  clock.advanceTo(new Date(meeting.getTime() + minutes * 60_000));
  await chibo.runDue();
}

const textOf = (call: RecordedCall) => String(call.params.text ?? call.params.caption ?? "");
const seen = new Map<number, number>();
/** The next message the bot sends to a chat that contains `includes` (later than the last one awaited there). */
async function reply(chatId: number, includes: string, method: string | string[] = ["sendMessage", "editMessageText"]): Promise<RecordedCall> {
  const after = seen.get(chatId) ?? -1;
  const call = await api.waitForCall(
    method,
    (c) => Number(c.params.chat_id) === chatId && textOf(c).includes(includes) && api.calls.indexOf(c) > after,
    10_000,
  );
  seen.set(chatId, api.calls.indexOf(call));
  return call;
}
const say = (who: string, text: string) =>
  api.pushUpdate(api.textUpdate({ chatId: ID[who]!, text, firstName: who, languageCode: who === "khoa" ? "en" : "vi" }));
function keyboard(call: RecordedCall): Array<{ text: string; callback_data: string }> {
  return (call.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard.flat();
}
function press(who: string, call: RecordedCall, label: string | RegExp, chatId = ID[who]!): void {
  const found = keyboard(call).find((b) => (typeof label === "string" ? b.text.includes(label) : label.test(b.text)));
  if (!found)
    throw new Error(
      `no button ${label} in ${keyboard(call)
        .map((b) => b.text)
        .join(" | ")}`,
    );
  const messageId = (call.result as { message_id: number }).message_id;
  api.pushUpdate(api.callbackUpdate({ chatId, fromId: ID[who]!, data: found.callback_data, messageId, firstName: who }));
}

describe("a month's meeting over Telegram", () => {
  let groupNotice: RecordedCall;

  it("sends the notice to each member and to the group; members answer by button, in the group, and in words", async () => {
    await at(-3 * 24 * 60 + 1);
    groupNotice = await reply(GROUP, "Thông báo triệu tập");
    press("hoa", await reply(ID.hoa!, "Thông báo triệu tập"), "Có mặt");
    await reply(ID.hoa!, "Đã ghi: đồng chí Phạm Thị Hoa có mặt");
    press("nam", await reply(ID.nam!, "Thông báo triệu tập"), "Vắng");
    await reply(ID.nam!, "lý do vắng");
    say("nam", "ốm");
    await reply(ID.nam!, "Lý do: ốm");
    say("mai", "vắng vì việc nhà");
    await reply(ID.mai!, "Lý do: việc nhà");
    // Khoa answers under the group's notice: it records his own answer, told to him alone in
    // the button's toast; nothing is posted to the group.
    const groupPosts = api.sent("sendMessage").filter((c) => Number(c.params.chat_id) === GROUP).length;
    press("khoa", groupNotice, "Có mặt", GROUP);
    await api.waitForCall("answerCallbackQuery", (c) => String(c.params.text).includes("Đặng Minh Khoa will attend"));
    say("thu", "2");
    await reply(ID.thu!, "vắng buổi họp");
    await reply(ID.thu!, "lý do vắng");
    say("thu", "-");
    await reply(ID.thu!, "vắng buổi họp");
    say("hanh", "có mặt");
    await reply(ID.hanh!, "có mặt");
    expect(api.sent("sendMessage").filter((c) => Number(c.params.chat_id) === GROUP)).toHaveLength(groupPosts);
  });

  it("keeps the group's notice tally current by editing it", async () => {
    const edit = await api.waitForCall(
      "editMessageText",
      (c) => Number(c.params.chat_id) === GROUP && textOf(c).includes("Đã trả lời: ✅ có mặt 3 · 📝 vắng 3"),
      12_000,
    );
    expect(edit.params.message_id).toBe((groupNotice.result as { message_id: number }).message_id);
  });

  it("shows the secretary the tally, and the nudge reaches those who have not answered", async () => {
    say("secretary", "/lichhop");
    const regular = await reply(ID.secretary!, "Sinh hoạt chi bộ thường kỳ");
    // The list numbers the meetings; 📊 with a meeting's number is its tally.
    const lines = textOf(regular)
      .replace(/<[^>]+>/g, "")
      .split("\n");
    const number = /^(\d+)\. Sinh hoạt chi bộ thường kỳ/m.exec(lines.join("\n"))![1];
    press("secretary", regular, `${number} 📊`);
    const tally = await reply(ID.secretary!, "Chưa trả lời");
    expect(textOf(tally)).toContain("Có mặt 3 · Vắng 3 · Chưa chắc 0 · Chưa trả lời 5");
    const calls = api.calls.length;
    press("secretary", tally, "Nhắc người chưa trả lời");
    await reply(ID.secretary!, "Đã gửi lời nhắc cho 4 người");
    await at(-3 * 24 * 60 + 3);
    const nudged = api.calls
      .slice(calls)
      .filter((c) => c.method === "sendMessage" && textOf(c).includes("Nhắc lịch họp"))
      .map((c) => Number(c.params.chat_id));
    expect(nudged.sort()).toEqual([ID.secretary, ID.deputy, ID.committee, ID.duc].sort());
  });

  it("takes the roll call: check-in code, toggles, one unexcused and two excused absences", async () => {
    await at(10);
    say("secretary", "/diemdanh");
    press("secretary", await reply(ID.secretary!, "Điểm danh"), "Mã điểm danh");
    const code = /(\d{6})/.exec(textOf(await reply(ID.secretary!, "Mã điểm danh")))![1]!;
    for (const who of ["deputy", "committee", "duc"]) {
      say(who, code);
      await reply(ID[who]!, "điểm danh");
    }
    // Hùng and Yến (no chat account) are marked by the secretary.
    for (const name of ["Nguyễn Văn Hùng", "Cao Thị Yến"]) {
      say("secretary", "/diemdanh");
      let page = await reply(ID.secretary!, "Điểm danh");
      if (!textOf(page).includes(name)) {
        press("secretary", page, "Sau");
        page = await reply(ID.secretary!, "Điểm danh");
      }
      const number = /(\d+)\. /.exec(
        textOf(page)
          .split("\n")
          .find((l) => l.includes(name))!,
      )![1]!;
      press("secretary", page, new RegExp(`^${number} `));
      // The tap changes the roll call it was made on: an edit of that message, not a new copy.
      const toggled = await reply(ID.secretary!, `✅ ${name}`);
      expect(toggled.method).toBe("editMessageText");
      expect(toggled.params.message_id).toBe((page.result as { message_id: number }).message_id);
    }
    say("secretary", "/diemdanh");
    press("secretary", await reply(ID.secretary!, "Điểm danh"), "Xét lý do vắng");
    press("secretary", await reply(ID.secretary!, "Hoàng Văn Nam"), "Nam: có lý do");
    press("secretary", await reply(ID.secretary!, "Hoàng Văn Nam"), "Thu: có lý do");
    // Thu said "vắng" with no reason: the secretary writes in the one she gave by phone.
    await reply(ID.secretary!, "Bùi Thị Thu vắng vì lý do gì?");
    say("secretary", "đi công tác");
    const decisions = await reply(ID.secretary!, "Bùi Thị Thu — vắng có lý do: đi công tác");
    const rows = (decisions.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard;
    const mai = rows.find((row) => row[0]!.text.includes("Mai:"))![1]!;
    api.pushUpdate(api.callbackUpdate({ chatId: ID.secretary!, data: mai.callback_data, messageId: (decisions.result as { message_id: number }).message_id }));
    await reply(ID.secretary!, "Vũ Thị Mai — vắng không lý do");
    say("secretary", "/diemdanh");
    press("secretary", await reply(ID.secretary!, "Điểm danh"), "Chốt điểm danh");
    const closed = textOf(await reply(ID.secretary!, "Phải triệu tập"));
    expect(closed).toContain("Phải triệu tập: 11");
    expect(closed).toContain("Có mặt: 8 — tỷ lệ 72,7%");
    expect(closed).toContain("Vắng có lý do (2): Bùi Thị Thu (đi công tác), Hoàng Văn Nam (ốm)");
    expect(closed).toContain("Vắng không lý do (1): Vũ Thị Mai");
    expect(closed).toContain("Số đảng viên để tính biểu quyết: 8");
  });

  it("sends the resolution with a task; the summary arrives and is acknowledged; the minutes come as DOCX", async () => {
    say("secretary", "/nghiquyet");
    press("secretary", await reply(ID.secretary!, "Số đảng viên có quyền biểu quyết: 8"), "Điền theo mẫu");
    await reply(ID.secretary!, "Bước 1/4");
    say("secretary", "Hoàn thành thu đảng phí quý IV.");
    await reply(ID.secretary!, "nhiệm vụ thứ nhất");
    say("secretary", "Vận động đóng góp quỹ khuyến học");
    press("secretary", await reply(ID.secretary!, "Ai phụ trách"), "Phạm Thị Hoa");
    await reply(ID.secretary!, "Thời hạn hoàn thành");
    const deadline = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Ho_Chi_Minh", day: "2-digit", month: "2-digit", year: "numeric" }).format(
      new Date(meeting.getTime() + 12 * 24 * 3600_000),
    );
    say("secretary", deadline);
    press("secretary", await reply(ID.secretary!, "nhiệm vụ thứ 2"), "Hết nhiệm vụ");
    press("secretary", await reply(ID.secretary!, "Bước 3/4"), "Bỏ qua");
    await reply(ID.secretary!, "Kết quả biểu quyết");
    say("secretary", "7 0 0");
    press("secretary", await reply(ID.secretary!, "Hợp lệ: 7 phiếu tán thành"), "Gửi cho chi bộ");
    const adopted = await reply(ID.secretary!, "Tóm tắt đang được gửi đến 14 người");
    await at(125);

    const summary = await reply(ID.mai!, "Tóm tắt nghị quyết chi bộ tháng");
    expect(textOf(summary)).toContain(`Vận động đóng góp quỹ khuyến học — đ/c Phạm Thị Hoa, hạn ${deadline}`);
    press("mai", summary, "Đã đọc");
    await reply(ID.mai!, "Cảm ơn đồng chí đã đọc nghị quyết");
    await reply(ID.khoa!, "Summary of the branch resolution");
    await reply(ID.supervisor!, "Tóm tắt nghị quyết");
    press("hoa", await reply(ID.hoa!, "Nhiệm vụ chi bộ giao cho đồng chí"), "Đã hoàn thành");
    await reply(ID.hoa!, "Đã ghi nhận hoàn thành");
    // The linked group sees the summary; “Đã đọc” pressed there is answered in private.
    const inGroup = await reply(GROUP, "Tóm tắt nghị quyết chi bộ tháng");
    press("hoa", inGroup, "Đã đọc", GROUP);
    await reply(ID.hoa!, "Cảm ơn đồng chí đã đọc nghị quyết");

    press("secretary", adopted, "Ai đã đọc");
    expect(textOf(await reply(ID.secretary!, "Ai đã đọc tóm tắt"))).toContain("Đã đọc 2 ·");
    press("secretary", adopted, "Biên bản (DOCX)");
    const document = await reply(ID.secretary!, "", "sendDocument");
    const file = Object.values(document.files ?? {})[0]!;
    expect(file.filename).toMatch(/^bien-ban-\d{4}-\d{2}-\d{2}\.docx$/);
    // The document says what it is in Telegram's own caption, with the file.
    expect(String(document.params.caption)).toMatch(/^📄 Biên bản: .+ ngày \d{2}\/\d{2}\/\d{4} — Chi bộ Khu phố 10$/);
    const text = (await mammoth.extractRawText({ buffer: file.bytes })).value;
    expect(text).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
    expect(text).toContain("Vũ Thị Mai");
    expect(text).toContain("Vận động đóng góp quỹ khuyến học");
  });

  it("shows the month's report with its chart as a photo, and its workbook as a document", async () => {
    say("secretary", "/baocao");
    const month = `Tháng ${String(new Date(meeting.getTime() + 7 * 3600_000).getUTCMonth() + 1).padStart(2, "0")}/`;
    press("secretary", await reply(ID.secretary!, "Báo cáo dự sinh hoạt"), month);
    const shown = await reply(ID.secretary!, "có mặt 8/11 lượt đảng viên");
    const photo = await reply(ID.secretary!, "Biểu đồ tỷ lệ dự họp", "sendPhoto");
    const png = Object.values(photo.files ?? {})[0]!;
    expect(png.filename).toMatch(/\.png$/);
    expect(String(photo.params.caption)).toContain("72,7%");
    press("secretary", shown, "Tải Excel");
    expect(Object.values((await reply(ID.secretary!, "Báo cáo dự sinh hoạt", "sendDocument")).files ?? {})[0]!.filename).toMatch(/\.xlsx$/);
  });
});
