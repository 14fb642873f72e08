import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { ROSTER_30_WITH_3_BROKEN, rosterXlsx } from "../fixtures/roster-files.ts";
import { startFakeBotApi, type FakeBotApi, type RecordedCall } from "../helpers/fake-bot-api.ts";
import { createTestDatabase } from "../helpers/test-db.ts";
import { runningClock } from "../helpers/fake-clock.ts";

/**
 * Issue 3's whole story over the Telegram wire (a fake Bot API on 127.0.0.1): the setup code
 * from the log makes an admin, who creates a commune and a secretary code; the secretary
 * registers a branch, imports 30 members from XLSX (3 broken rows reported and skipped only
 * after confirmation), invites members who join by link and by typed code, links the branch
 * group (which then migrates to a supergroup), and a supervisor sees the branch read-only.
 */
const TOKEN = "123456:TEST-onboarding";
const ADMIN = 100;
const SECRETARY = 200;
const MAI = 300;
const LUA = 400;
const SUPERVISOR = 600;
const GROUP = -500;

let api: FakeBotApi;
let database: DatabaseHandle;
let chibo: Chibo;
const logLines: string[] = [];

beforeAll(async () => {
  api = await startFakeBotApi({ token: TOKEN });
  database = await createTestDatabase();
  const logger = pino({ level: "info" }, new Writable({ write: (chunk, _e, done) => (logLines.push(String(chunk)), done()) }));
  chibo = await startChibo(loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: api.apiRoot, PORT: "0", HOST: "127.0.0.1", SANDBOX: "0" }), {
    database,
    logger,
    telegramPollingTimeout: 1,
    clock: runningClock(),
  });
});
afterAll(async () => {
  await chibo.stop();
  await database.close();
  await api.close();
});

const textOf = (call: RecordedCall) => String(call.params.text ?? call.params.caption ?? "");
const seen = new Map<number, number>();
/** The next message the bot sends to a chat that contains `includes` (later than the last one awaited there). */
async function reply(chatId: number, includes: string): Promise<RecordedCall> {
  const after = seen.get(chatId) ?? -1;
  // A message sent, or one edited in place (a roster page, a roll call): what the person now sees.
  const call = await api.waitForCall(
    ["sendMessage", "editMessageText"],
    (c) => Number(c.params.chat_id) === chatId && textOf(c).includes(includes) && api.calls.indexOf(c) > after,
    8000,
  );
  seen.set(chatId, api.calls.indexOf(call));
  return call;
}
const say = (chatId: number, text: string, firstName = "Người dùng", fromId = chatId, chatType: "private" | "group" = "private") =>
  api.pushUpdate(api.textUpdate({ chatId, fromId, text, firstName, chatType }));
function buttonData(call: RecordedCall, label: string): string {
  const keyboard = (call.params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard;
  const found = keyboard.flat().find((b) => b.text.includes(label));
  if (!found)
    throw new Error(
      `no button "${label}" in ${keyboard
        .flat()
        .map((b) => b.text)
        .join(" | ")}`,
    );
  return found.callback_data;
}
const press = (chatId: number, call: RecordedCall, label: string, fromId = chatId) =>
  api.pushUpdate(api.callbackUpdate({ chatId, fromId, data: buttonData(call, label), messageId: (call.result as { message_id: number }).message_id }));
const code = (text: string) => /\b([A-Z0-9]{4}-[A-Z0-9]{4}(?:-[A-Z0-9]{2,4})?)\b/.exec(text)![1]!;

let secretaryCode = "";
let supervisorCode = "";
let invite = "";

describe("over Telegram", () => {
  it("the setup code from the log makes the admin", async () => {
    const line = logLines.find((l) => l.includes("setup: no admin yet"))!;
    const setup = /\/start ([A-Z0-9]{12})/.exec(line)![1]!;
    say(ADMIN, `/start ${setup}`, "Tuấn");
    await reply(ADMIN, "Đồng chí đã là quản trị viên");
  });

  it("the admin creates a commune and issues the secretary and supervisor codes", async () => {
    say(ADMIN, "/quantri", "Tuấn");
    press(ADMIN, await reply(ADMIN, "Các đơn vị"), "Thêm đơn vị");
    await reply(ADMIN, "Tên đơn vị?");
    say(ADMIN, "Đảng ủy xã Đông Hòa", "Tuấn");
    press(ADMIN, await reply(ADMIN, "Cấp của đơn vị?"), "Xã, phường");
    press(ADMIN, await reply(ADMIN, "Đồng chí xác nhận lưu chứ?"), "Xác nhận");
    const unit = await reply(ADMIN, "Đã tạo Đảng ủy xã Đông Hòa");
    press(ADMIN, unit, "Mã đăng ký chi bộ");
    const secretary = await reply(ADMIN, "Mã đăng ký chi bộ thuộc Đảng ủy xã Đông Hòa");
    secretaryCode = code(textOf(secretary));
    expect(textOf(secretary)).toContain(`https://t.me/chibo_test_bot?start=${secretaryCode.replace(/-/g, "")}`);
    press(ADMIN, unit, "Mã phụ trách đơn vị");
    supervisorCode = code(textOf(await reply(ADMIN, "Mã cho cấp ủy viên phụ trách Đảng ủy xã Đông Hòa")));
  });

  it("a secretary opens the link and registers the branch", async () => {
    say(SECRETARY, `/start ${secretaryCode.replace(/-/g, "")}`, "Bảy");
    await reply(SECRETARY, "Tên chi bộ là gì?");
    say(SECRETARY, "Chi bộ thôn Đông", "Bảy");
    press(SECRETARY, await reply(SECRETARY, "họp thường kỳ vào ngày nào"), "ngày 3 hằng tháng");
    press(SECRETARY, await reply(SECRETARY, "Họp lúc mấy giờ?"), "19:30");
    await reply(SECRETARY, "Chi bộ thường họp ở đâu?");
    say(SECRETARY, "Nhà văn hóa thôn Đông", "Bảy");
    press(SECRETARY, await reply(SECRETARY, "Địa danh ghi ở dòng ngày tháng"), "Bỏ trống");
    press(SECRETARY, await reply(SECRETARY, "trùng thứ Bảy"), "ngày làm việc kế tiếp");
    press(SECRETARY, await reply(SECRETARY, "Chi bộ dùng giờ nào?"), "Giờ Việt Nam");
    await reply(SECRETARY, "Họ và tên của đồng chí");
    say(SECRETARY, "Trương Văn Bảy", "Bảy");
    press(SECRETARY, await reply(SECRETARY, "Bí thư: Trương Văn Bảy"), "Xác nhận");
    await reply(SECRETARY, "Đã đăng ký Chi bộ thôn Đông");
  });

  it("imports 30 members from XLSX: 3 broken rows reported, nothing written before the confirmation", async () => {
    say(SECRETARY, "/thanhvien", "Bảy");
    press(SECRETARY, await reply(SECRETARY, "Tổng số 1 đồng chí"), "Nhập từ tệp");
    await reply(SECRETARY, "Xin gửi tệp danh sách");
    const bytes = await rosterXlsx(ROSTER_30_WITH_3_BROKEN);
    api.pushUpdate(api.documentUpdate({ chatId: SECRETARY, fileName: "danh sách chi bộ.xlsx", bytes, firstName: "Bảy" }));
    const preview = await reply(SECRETARY, "27 dòng hợp lệ, 3 dòng lỗi");
    expect(textOf(preview)).toContain("Dòng 6: thiếu họ tên");
    expect(textOf(preview)).toContain("Dòng 13: tình trạng “Nghỉ phép” không rõ");
    expect(textOf(preview)).toContain("Dòng 21: ngày kết thúc 01/03/2026 không sau ngày bắt đầu");
    expect(await database.db.$count((await import("../../src/store/schema/index.ts")).memberships)).toBe(1);
    press(SECRETARY, preview, "Nhập 27 người");
    await reply(SECRETARY, "Đã thêm 27 người mới vào danh sách");
    say(SECRETARY, "/thanhvien", "Bảy");
    await reply(SECRETARY, "Tổng số 28 đồng chí");
  });

  it("members join by link and by typed code; the secretary approves from the notice", async () => {
    say(SECRETARY, "/thanhvien", "Bảy");
    press(SECRETARY, await reply(SECRETARY, "Tổng số 28"), "Mã mời");
    const card = await reply(SECRETARY, "Mã mời:");
    invite = code(textOf(card));
    expect(textOf(card)).toContain(`https://t.me/chibo_test_bot?start=${invite.replace("-", "")}`);

    say(MAI, `/start ${invite.replace("-", "")}`, "Mai");
    await reply(MAI, "Đồng chí được mời tham gia Chi bộ thôn Đông");
    say(MAI, "Tran Thi Mai", "Mai");
    await reply(MAI, "Đã gửi yêu cầu");
    press(SECRETARY, await reply(SECRETARY, "Mai xin tham gia Chi bộ thôn Đông"), "Duyệt");
    await reply(SECRETARY, "được nhận là “Trần Thị Mai”");
    await reply(MAI, "Bí thư đã duyệt");

    say(LUA, invite.toLowerCase(), "Lụa");
    await reply(LUA, "gõ họ và tên đầy đủ");
    say(LUA, "Tô Thị Lụa", "Lụa");
    press(SECRETARY, await reply(SECRETARY, "Tô Thị Lụa xin tham gia"), "Duyệt");
    await reply(LUA, "Bí thư đã duyệt");
    say(MAI, "/start", "Mai");
    await reply(MAI, "phó bí thư Chi bộ thôn Đông");
  });

  it("links the branch's group, and follows it when it becomes a supergroup", async () => {
    api.pushUpdate(api.myChatMemberUpdate({ chatId: GROUP, chatType: "group", newStatus: "member", fromId: SECRETARY }));
    say(GROUP, "/chibo@chibo_test_bot", "Bảy", SECRETARY, "group");
    press(GROUP, await reply(GROUP, "Liên kết nhóm này với chi bộ?"), "Liên kết với Chi bộ thôn Đông", SECRETARY);
    await reply(GROUP, "Đã liên kết nhóm này với chi bộ");
    const groupOf = async () => {
      const branch = await database.db.query.branches.findFirst({ where: (b, { eq }) => eq(b.name, "Chi bộ thôn Đông") });
      const chats = await database.db.query.branchChats.findMany({ where: (c, { eq }) => eq(c.branchId, branch!.id) });
      return chats.map((c) => c.address);
    };
    expect(await groupOf()).toEqual([`telegram:${GROUP}`]);
    // Only the secretary or deputy may link: a member pressing the same kind of button is refused.
    say(GROUP, "/chibo", "Lụa", LUA, "group");
    await reply(GROUP, "Chỉ bí thư hoặc phó bí thư");
    api.pushUpdate(api.migrateUpdate({ fromChatId: GROUP, toChatId: -1000000000500, fromId: SECRETARY }));
    await expect.poll(groupOf, { timeout: 5000 }).toEqual(["telegram:-1000000000500"]);
    api.pushUpdate(api.myChatMemberUpdate({ chatId: -1000000000500, chatType: "supergroup", newStatus: "kicked", fromId: SECRETARY }));
    await expect.poll(groupOf, { timeout: 5000 }).toEqual([]);
  });

  it("a supervisor joins with their code and sees the branch read-only", async () => {
    say(SUPERVISOR, `/start ${supervisorCode}`, "Trung");
    // The welcome names what he follows, and asks his full name (branches see it, not "Trung").
    const welcome = await reply(SUPERVISOR, "Đồng chí đã được phân công theo dõi");
    expect(textOf(welcome)).toMatch(/theo dõi (Đảng ủy|Chi bộ|Xã|xã)/);
    expect(textOf(welcome)).toContain("gõ họ và tên đầy đủ");
    say(SUPERVISOR, "Võ Thành Trung", "Trung");
    await reply(SUPERVISOR, "Cảm ơn đồng chí Võ Thành Trung");
    say(SUPERVISOR, "/start", "Trung");
    await reply(SUPERVISOR, "Xin chào Võ Thành Trung!");
    say(SUPERVISOR, "/help", "Trung");
    const help = await reply(SUPERVISOR, "Cấp ủy viên phụ trách");
    expect(textOf(help)).toContain("/lichhop — lịch họp của các chi bộ đồng chí phụ trách");
    expect(textOf(help)).toContain("/nghiquyet — nghị quyết gần nhất");
    say(SUPERVISOR, "/chibo", "Trung");
    const card = await reply(SUPERVISOR, "Chi bộ thôn Đông");
    expect(textOf(card)).toContain("xem được nhưng không sửa");
    expect(card.params.reply_markup).toBeUndefined();
    say(SUPERVISOR, "/thanhvien", "Trung");
    const roster = await reply(SUPERVISOR, "Tổng số 29 đồng chí");
    expect(JSON.stringify(roster.params.reply_markup)).not.toContain("Thêm người");
  });
});
