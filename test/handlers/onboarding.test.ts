import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { readSpreadsheet } from "../../src/files/spreadsheet.ts";
import { ROSTER_30_BROKEN_LINES, ROSTER_30_WITH_3_BROKEN, rosterCsv, rosterXlsx } from "../fixtures/roster-files.ts";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

/**
 * The whole way in, as people would do it in chat: setup code → admin → org unit and
 * secretary code → branch registration → roster import → invites → joining → approval.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const admin: Speaker = { id: "u-admin", name: "Đinh Quang Tuấn" };
const secretary: Speaker = { id: "u-sec", name: "Hùng Nguyễn" };
const dung: Speaker = { id: "u-dung", name: "Dũng" };
const newcomer: Speaker = { id: "u-new", name: "Tô Thị Lụa", channel: "zalo" };
const stranger: Speaker = { id: "u-x", name: "Người lạ" };

const press = (who: Speaker, replies: OutgoingMessage[], label: string | RegExp) => h.pressLabel(who, replies, label);
const codeIn = (text: string, length: number) => {
  const match = new RegExp(`([A-Z0-9]{4}-[A-Z0-9]{4}(?:-[A-Z0-9]{1,4})?)`).exec(text);
  if (!match || match[1]!.replace(/-/g, "").length !== length) throw new Error(`no ${length}-character code in: ${text}`);
  return match[1]!;
};
const file = (name: string, bytes: Uint8Array) => ({
  kind: "file" as const,
  file: { name, mimeType: undefined, size: bytes.byteLength, read: async () => bytes },
});

let secretaryCode = "";
let inviteCode = "";

describe("first start", () => {
  it("makes whoever sends the setup code the admin, once", async () => {
    const setup = await h.core.access.ensureSetupCode();
    expect(setup?.code).toHaveLength(12);
    // A restart before anyone used it prints the same code.
    expect((await h.core.access.ensureSetupCode())?.code).toBe(setup!.code);
    expect(plain(await h.command(admin, `/start ${setup!.code.toLowerCase()}`))).toContain("Đồng chí đã là quản trị viên");
    expect(await h.core.access.ensureSetupCode()).toBeUndefined();
    expect(plain(await h.command(stranger, `/start ${setup!.code}`))).toContain("Mã này đã được dùng rồi");
  });

  it("lets the admin build the org unit tree and issue a secretary code", async () => {
    let replies = await h.command(admin, "/quantri");
    await press(admin, replies, "Thêm đơn vị");
    replies = await h.say(admin, "Thành phố Hồ Chí Minh");
    replies = await press(admin, replies, "Tỉnh, thành phố");
    replies = await press(admin, replies, "Xác nhận");
    expect(plain(replies)).toContain("Đã tạo Thành phố Hồ Chí Minh");
    await press(admin, replies, "Thêm đơn vị");
    await h.say(admin, "Đảng ủy phường Sài Gòn");
    await h.say(admin, "Xã, phường, đặc khu");
    replies = await h.say(admin, "có");
    expect(plain(replies)).toContain("Trực thuộc: Thành phố Hồ Chí Minh");
    replies = await press(admin, replies, "Mã đăng ký chi bộ");
    const text = plain(replies);
    expect(text).toContain("Mã đăng ký chi bộ thuộc Đảng ủy phường Sài Gòn");
    expect(text).toContain("https://t.me/chibo_test_bot?start=");
    secretaryCode = codeIn(text, 10);
  });

  it("keeps /quantri from everyone else", async () => {
    expect(plain(await h.command(stranger, "/quantri"))).toContain("không có quyền");
    expect(plain(await h.press(stranger, "qt:sec:00000000-0000-0000-0000-000000000000"))).toContain("không có quyền");
  });
});

describe("branch registration", () => {
  it("asks each setting, refuses wrong answers with the reason, and registers", async () => {
    let replies = await h.command(secretary, `/chibo ${secretaryCode}`);
    expect(plain(replies)).toContain("Tên chi bộ là gì?");
    expect(plain(await h.say(secretary, "X"))).toContain("Tên chi bộ ngắn quá");
    replies = await h.say(secretary, "Chi bộ Khu phố 10");
    expect(plain(await h.say(secretary, "31"))).toContain("Tháng Hai không có ngày 29, 30, 31");
    await press(secretary, replies, "ngày 3 hằng tháng");
    expect(plain(await h.say(secretary, "25:00"))).toContain("Giờ họp chưa đúng");
    replies = await h.say(secretary, "19h30");
    // Where the notices say the branch meets, then the place name of its documents' date line.
    expect(plain(replies)).toContain("Chi bộ thường họp ở đâu?");
    replies = await h.say(secretary, "Nhà văn hóa khu phố 10, số 12 ngõ 5");
    expect(plain(replies)).toContain("Địa danh ghi ở dòng ngày tháng");
    expect(plain(await h.say(secretary, "số 12 ngõ 5, Ngọc Trạo"))).toContain("Đây giống một địa chỉ");
    replies = await h.say(secretary, "Ngọc Trạo");
    replies = await press(secretary, replies, "Dời sang ngày làm việc kế tiếp");
    expect(plain(await h.say(secretary, "Mars/Olympus"))).toContain("Chibo không biết múi giờ này");
    replies = await press(secretary, replies, "Giờ Việt Nam");
    expect(plain(replies)).toContain("Họ và tên của đồng chí");
    replies = await h.say(secretary, "Nguyễn Văn Hùng");
    const summary = plain(replies);
    expect(summary).toContain("Họp thường kỳ: ngày 3 hằng tháng, lúc 19:30");
    expect(summary).toContain("Bí thư: Nguyễn Văn Hùng");
    expect(summary).toContain("Địa điểm họp: Nhà văn hóa khu phố 10, số 12 ngõ 5");
    expect(summary).toContain("Địa danh trên văn bản: Ngọc Trạo");
    replies = await press(secretary, replies, "Xác nhận");
    expect(plain(replies)).toContain("Đã đăng ký Chi bộ Khu phố 10");
  });

  it("names the place in the branch's meetings from the start", async () => {
    const text = plain(await h.command(secretary, "/lichhop"));
    expect(text).toContain("Nhà văn hóa khu phố 10, số 12 ngõ 5");
  });

  it("has used the secretary code up", async () => {
    expect(plain(await h.command(stranger, `/chibo ${secretaryCode}`))).toContain("Mã này đã được dùng rồi");
  });

  it("shows the settings card with the spec's defaults, and edits a field with checks", async () => {
    let replies = await h.command(secretary, "/chibo");
    const card = plain(replies);
    expect(card).toContain("Họp thường kỳ ngày 3 hằng tháng, lúc 19:30");
    expect(card).toContain("Thông báo triệu tập trước 3 ngày, gửi mọi đảng viên");
    expect(card).toContain("Nhắc trước 1 ngày, chỉ gửi người chưa trả lời hoặc còn phân vân");
    expect(card).toContain("Nhắc trước 2 giờ, gửi mọi đảng viên");
    expect(card).toContain("dưới 85%");
    expect(card).toContain("Địa danh trên văn bản: Ngọc Trạo");
    await press(secretary, replies, "Địa danh");
    expect(plain(await h.say(secretary, "x"))).toContain("Địa danh ngắn quá");
    replies = await h.say(secretary, "bỏ qua");
    expect(plain(replies)).toContain("Địa danh trên văn bản: chưa ghi");
    await press(secretary, replies, "Địa danh");
    await h.say(secretary, "Ngọc  Trạo");
    replies = await h.command(secretary, "/chibo");
    expect(plain(replies)).toContain("Địa danh trên văn bản: Ngọc Trạo");
    await press(secretary, replies, "Ngưỡng dự họp");
    expect(plain(await h.say(secretary, "150"))).toContain("từ 0 đến 100");
    replies = await h.say(secretary, "90");
    expect(plain(replies)).toContain("dưới 90%");
    await press(secretary, replies, "Lịch nhắc");
    expect(plain(await h.say(secretary, "mai nhé"))).toContain("Chưa hiểu lịch nhắc");
    expect(plain(await h.say(secretary, "5 ngày, 2 ngày, 1 giờ"))).toContain("Nhắc trước 1 giờ, gửi mọi đảng viên");
  });
});

describe("roster import", () => {
  it("previews a 30-row XLSX with its 3 broken rows by line number, writes nothing until confirmed", async () => {
    let replies = await h.command(secretary, "/thanhvien");
    replies = await press(secretary, replies, "Nhập từ tệp");
    expect(plain(replies)).toContain("Xin gửi tệp danh sách");
    replies = await h.send(secretary, file("danh-sach.xlsx", await rosterXlsx(ROSTER_30_WITH_3_BROKEN)));
    const preview = plain(replies);
    expect(preview).toContain("27 dòng hợp lệ, 3 dòng lỗi");
    expect(preview).toContain(`Dòng ${ROSTER_30_BROKEN_LINES.emptyName}: thiếu họ tên`);
    expect(preview).toContain(`Dòng ${ROSTER_30_BROKEN_LINES.unknownStatus}: tình trạng “Nghỉ phép” không rõ`);
    expect(preview).toContain(`Dòng ${ROSTER_30_BROKEN_LINES.endBeforeStart}: ngày kết thúc 01/03/2026 không sau ngày bắt đầu`);
    // The secretary's own row is already on the roster from registration: her phone is filled in.
    expect(preview).toContain("Đã có trong danh sách, sẽ cập nhật (1):\n• Dòng 2: Nguyễn Văn Hùng — điện thoại 0912345678");

    // Every new row shows its type, role and status; officers and the unusual statuses first.
    expect(preview).toContain("Người mới (26):\n• Dòng 3: Trần Thị Mai — chính thức · phó bí thư · đang sinh hoạt");
    expect(preview).toContain("Dòng 9: Đặng Quốc Bảo — chính thức · đảng viên · miễn sinh hoạt");
    expect(preview).toContain("Dòng 11: Đỗ Minh Tuấn — chính thức · đảng viên · tạm miễn đến 31/07/2026");
    expect(preview).toContain("Dòng 15: Lý Văn Phúc — chính thức · đảng viên · chuyển đi tạm thời đến 15/09/2026");
    expect(preview.indexOf("Lý Văn Phúc")).toBeLessThan(preview.indexOf("Hoàng Văn Nam"));
    expect(buttons(replies).map((b) => b.label)).toContain("📥 Nhập 26 người, cập nhật 1 người");
    expect(plain(await h.command(secretary, "/thanhvien"))).toContain("Tổng số 1 đồng chí");
  });

  it("imports after confirmation, and the export reads back the same roster", async () => {
    let replies = await press(secretary, await sendImport(), "Nhập 26 người");
    expect(plain(replies)).toContain("Đã thêm 26 người mới vào danh sách.\nĐã cập nhật 1 người đã có trong danh sách: Nguyễn Văn Hùng.");
    expect(plain(await h.pressNumberOf(secretary, "/thanhvien", "Nguyễn Văn Hùng"))).toContain("Điện thoại: 0912345678");
    replies = await h.command(secretary, "/thanhvien");
    expect(plain(replies)).toContain("Tổng số 27 đồng chí");
    expect(plain(replies)).toContain("Trang 1/2");
    const exported = await press(secretary, replies, "Xuất Excel");
    const attachment = exported[0]!.attachment!;
    expect(attachment.filename).toBe("danh-sach-chi-bo-khu-pho-10.xlsx");
    expect(attachment.caption).toBe("📋 Danh sách đảng viên Chi bộ Khu phố 10 ngày 01/12/2026 (27 đồng chí)");
    const read = await readSpreadsheet(attachment.bytes, attachment.filename);
    if (!read.ok) throw new Error(read.reason);
    expect(read.rows).toHaveLength(28);
    expect(read.rows[0]!.cells.slice(0, 3)).toEqual(["STT", "Họ và tên", "Loại"]);
    expect(read.rows.map((r) => r.cells[1])).toContain("Trần Thị Mai");
  });

  it("adds nobody twice: the same file again has nothing new, and says so", async () => {
    const replies = await sendImport();
    const preview = plain(replies);
    expect(preview).toContain("27 người đã có trong danh sách, tệp không có gì mới");
    expect(preview).toContain("Tệp không có gì mới để nhập");
    expect(buttons(replies).map((b) => b.label)).not.toContain("📥 Nhập 0 người");
    expect(plain(await h.say(secretary, "hủy"))).toContain("Đã hủy");
    expect(plain(await h.command(secretary, "/thanhvien"))).toContain("Tổng số 27 đồng chí");
  });

  it("reads the end of a status from the status cell, and updates a member the file says more about", async () => {
    await press(secretary, await h.command(secretary, "/thanhvien"), "Nhập từ tệp");
    const csv = rosterCsv([
      ["Họ và tên", "Chức vụ", "Tình trạng", "Điện thoại"],
      ["Trần Quang Huy", "", "Tạm miễn đến 30/06/2027", ""],
      ["Ngô Thị Hiền", "", "chuyen sinh hoat tam thoi di den 31/03/2027", ""],
      ["Phan Thị Nga", "Đảng viên", "Sinh hoạt tạm thời đến 31/12/2026", "0911 222 333"],
    ]);
    const replies = await h.send(secretary, file("bo-sung.csv", csv));
    const preview = plain(replies);
    expect(preview).toContain("3 dòng hợp lệ, 0 dòng lỗi");
    expect(preview).toContain("Đã có trong danh sách, sẽ cập nhật (1):\n• Dòng 2: Trần Quang Huy — tình trạng: tạm miễn đến 30/06/2027");
    expect(preview).toContain("Dòng 3: Ngô Thị Hiền — chính thức · đảng viên · chuyển đi tạm thời đến 31/03/2027");
    expect(preview).toContain("Dòng 4: Phan Thị Nga — chính thức · đảng viên · sinh hoạt tạm thời đến 31/12/2026");
    expect(plain(await press(secretary, replies, "Nhập 2 người, cập nhật 1 người"))).toContain("Đã cập nhật 1 người đã có trong danh sách: Trần Quang Huy.");
    const card = plain(await h.pressNumberOf(secretary, "/thanhvien", "Trần Quang Huy"));
    expect(card).toContain("Tình trạng: tạm miễn sinh hoạt đến 30/06/2027");
    expect(plain(await h.command(secretary, "/thanhvien"))).toContain("Tổng số 29 đồng chí");
  });

  it("says the limit README gives: 500 members a file", async () => {
    await press(secretary, await h.command(secretary, "/thanhvien"), "Nhập từ tệp");
    const many = Array.from({ length: 501 }, (_, i) => [`Đảng viên số ${i + 1}`]);
    const refused = plain(await h.send(secretary, file("lon.csv", rosterCsv([["Họ và tên"], ...many]))));
    expect(refused).toContain("Tệp có hơn 500 dòng đảng viên; mỗi lần nhập nhiều nhất 500 người");
    const huge = Array.from({ length: 1001 }, (_, i) => [`Đảng viên số ${i + 1}`]);
    expect(plain(await h.send(secretary, file("rat-lon.csv", rosterCsv([["Họ và tên"], ...huge]))))).toContain("mỗi lần nhập nhiều nhất 500 người");
    expect(plain(await h.say(secretary, "hủy"))).toContain("Đã hủy");
  });

  it("refuses a 10 MB file without reading it, a picture, and an old .xls, changing nothing", async () => {
    const replies = await h.command(secretary, "/thanhvien");
    await press(secretary, replies, "Nhập từ tệp");
    let read = false;
    const big = {
      kind: "file" as const,
      file: { name: "to.csv", mimeType: "text/csv", size: 10_000_000, read: async () => ((read = true), new Uint8Array(10)) },
    };
    expect(plain(await h.send(secretary, big))).toContain("Tệp lớn quá");
    expect(read).toBe(false);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    expect(plain(await h.send(secretary, file("anh.png", png)))).toContain("không phải tệp bảng tính");
    const xls = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    expect(plain(await h.send(secretary, file("cu.xls", xls)))).toContain("tệp Excel đời cũ");
    expect(plain(await h.send(secretary, file("khong-tieu-de.csv", rosterCsv([["Nguyễn Văn A", "chính thức"]]))))).toContain("Tệp không có dòng tiêu đề");
    expect(plain(await h.say(secretary, "hủy"))).toContain("Đã hủy");
    expect(plain(await h.command(secretary, "/thanhvien"))).toContain("Tổng số 29 đồng chí");
  });
});

async function sendImport(): Promise<OutgoingMessage[]> {
  const replies = await h.command(secretary, "/thanhvien");
  await press(secretary, replies, "Nhập từ tệp");
  return h.send(secretary, file("danh-sach.xlsx", await rosterXlsx(ROSTER_30_WITH_3_BROKEN)));
}

describe("invites and joining", () => {
  it("gives the secretary a link and a short code", async () => {
    const replies = await press(secretary, await h.command(secretary, "/thanhvien"), "Mã mời");
    const text = plain(replies);
    inviteCode = codeIn(text, 8);
    expect(text).toContain(`https://t.me/chibo_test_bot?start=${inviteCode.replace("-", "")}`);
  });

  it("lets a member claim their roster row by link; the secretary confirms the match", async () => {
    let replies = await h.command(dung, `/start ${inviteCode.replace("-", "")}`);
    expect(plain(replies)).toContain("Đồng chí được mời tham gia Chi bộ Khu phố 10 (Đảng ủy phường Sài Gòn)");
    // Nothing of the branch is visible yet.
    expect(plain(await h.command(dung, "/thanhvien"))).toContain("chưa thuộc chi bộ nào có quyền");
    await h.command(dung, `/start ${inviteCode}`);
    await h.deliver();
    replies = await h.say(dung, "le van dung");
    expect(plain(replies)).toContain("Đã gửi yêu cầu tham gia Chi bộ Khu phố 10");
    expect(plain(await h.command(dung, "/chibo"))).not.toContain("Họp thường kỳ");
    const notice = (await h.deliver()).find((n) => n.address === "sandbox:u-sec")!;
    expect(plain([notice.message])).toContain("khớp với “Lê Văn Dũng” trong danh sách");
    replies = await press(secretary, [notice.message], "Duyệt");
    expect(plain(replies)).toContain("được nhận là “Lê Văn Dũng”");
    expect(plain((await h.deliver()).map((n) => n.message))).toContain("Bí thư đã duyệt");
    expect(plain(await h.command(dung, "/start"))).toContain("Đồng chí là đảng viên chính thức, chi ủy viên Chi bộ Khu phố 10");
    // Pressing the same button again does not approve twice.
    expect(plain(await press(secretary, [notice.message], "Duyệt"))).toContain("đã được xử lý rồi");
  });

  it("lets someone type the code (as on Zalo) and join as a new member", async () => {
    await h.deliver();
    expect(plain(await h.say(newcomer, inviteCode.toLowerCase()))).toContain("gõ họ và tên đầy đủ");
    expect(plain(await h.say(newcomer, "https://example.com"))).toContain("Họ tên chưa đúng");
    await h.say(newcomer, "Tô Thị Lụa");
    const notice = (await h.deliver()).find((n) => n.address === "sandbox:u-sec")!;
    expect(plain([notice.message])).toContain("chưa có trong danh sách");
    await press(secretary, [notice.message], "Duyệt");
    expect(plain(await h.command(secretary, "/thanhvien"))).toContain("Tổng số 30 đồng chí");
  });

  it("tells the truth about expired, revoked and unknown codes, and stops guessers", async () => {
    expect(plain(await h.command(stranger, "/start ABCD-EFGH"))).toContain("Mã này không đúng");
    const renewed = plain(await press(secretary, await h.command(secretary, "/thanhvien"), "Mã mời"));
    const current = codeIn(renewed, 8);
    const fresh = plain(await press(secretary, await press(secretary, await h.command(secretary, "/thanhvien"), "Mã mời"), "Tạo mã mới"));
    expect(codeIn(fresh, 8)).not.toBe(current);
    expect(plain(await h.command(stranger, `/start ${current}`))).toContain("Mã này đã bị thu hồi");
    h.clock.advance(31 * 24 * 3600_000);
    expect(plain(await h.command(stranger, `/start ${codeIn(fresh, 8)}`))).toContain("Mã này đã hết hạn");
    // The hour before the clock moved no longer counts; nine more wrong codes make ten.
    for (let i = 0; i < 9; i++) await h.command(stranger, `/start ZZZZ-ZZZ${i + 2}`);
    expect(plain(await h.command(stranger, `/start ${codeIn(fresh, 8)}`))).toContain("gõ sai mã quá nhiều lần");
  });

  it("keeps roster buttons from a member, and a member's typed words are not codes", async () => {
    const roster = await press(secretary, await h.command(secretary, "/thanhvien"), "1");
    const edit = buttons(roster).find((b) => b.label.includes("Tình trạng"))!;
    expect(plain(await h.press(dung, edit.payload))).toContain("không có quyền");
    expect(plain(await h.say(dung, "Có mặt 2 người"))).toContain("Chibo chưa hiểu tin nhắn này");
  });
});
