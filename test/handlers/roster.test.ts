import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { readSpreadsheet } from "../../src/files/spreadsheet.ts";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

let h: Harness;
let branchId: string;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  const actor = await h.actor("secretary");
  branchId = actor.memberships[0]!.branchId;
});
afterAll(async () => h.close());

const secretary: Speaker = { id: "secretary" };
const committee: Speaker = { id: "committee" };
const supervisor: Speaker = { id: "supervisor" };

const press = (who: Speaker, replies: OutgoingMessage[], label: string | RegExp) => h.pressLabel(who, replies, label);

/** Opens a member's card from the roster by their name. */
const openMember = (who: Speaker, name: string) => h.pressNumberOf(who, "/thanhvien", name);

describe("/thanhvien", () => {
  it("lists the roster with roles and statuses, ordered by given name, and marks who is not on Chibo yet", async () => {
    const text = plain(await h.command(secretary, "/thanhvien"));
    expect(text).toContain("Danh sách đảng viên — Chi bộ Khu phố 10");
    expect(text).toContain("Tổng số 14 đồng chí: 12 chính thức, 2 dự bị.");
    expect(text).toContain("Nguyễn Văn Hùng · bí thư");
    expect(text).toContain("Ngô Văn Tám · miễn sinh hoạt");
    expect(text).toContain("Cao Thị Yến · chưa dùng Chibo");
    // By given name: Cúc, Đức, Hạnh, Hoa, Hùng…
    expect(text.indexOf("Đỗ Thị Cúc")).toBeLessThan(text.indexOf("Phan Văn Đức"));
    expect(text.indexOf("Phan Văn Đức")).toBeLessThan(text.indexOf("Lý Thị Hạnh"));
  });

  it("is read-only for a committee member and the supervisor", async () => {
    for (const who of [committee, supervisor]) {
      const replies = await h.command(who, "/thanhvien");
      expect(plain(replies)).toContain("Tổng số 14 đồng chí");
      const labels = buttons(replies).map((b) => b.label);
      expect(labels).not.toContain("➕ Thêm người");
      const card = await openMember(who, "Phạm Thị Hoa");
      expect(buttons(card).map((b) => b.label)).not.toContain("📌 Tình trạng");
    }
    expect(buttons(await h.command(supervisor, "/thanhvien")).map((b) => b.label)).toContain("📤 Xuất CSV");
  });

  it("adds people by name, one per line, skipping the ones already there", async () => {
    await press(secretary, await h.command(secretary, "/thanhvien"), "Thêm người");
    const replies = await h.say(secretary, "Vương Văn Mạnh\nphạm thị hoa\n123\nVương Văn Mạnh");
    const text = plain(replies);
    expect(text).toContain("Đã thêm 1 người vào danh sách.");
    expect(text).toContain("phạm thị hoa — đã có trong danh sách");
    expect(text).toContain("“123” — không phải họ tên");
    expect(text).toContain("Vương Văn Mạnh — bị gõ hai lần");
  });
});

describe("member changes", () => {
  it("records a temporary exemption with dates, and keeps the month before as it was", async () => {
    let card = await openMember(secretary, "Phạm Thị Hoa");
    card = await press(secretary, card, "Tình trạng");
    let replies = await press(secretary, card, "tạm miễn sinh hoạt");
    expect(plain(replies)).toContain("Áp dụng từ ngày nào?");
    expect(plain(await h.say(secretary, "31/02/2026"))).toContain("Ngày chưa đúng");
    await h.say(secretary, "15/12/2026");
    expect(plain(await h.say(secretary, "10/12/2026"))).toContain("Ngày kết thúc phải sau ngày bắt đầu");
    replies = await h.say(secretary, "15/06/2027");
    expect(plain(replies)).toContain("Từ ngày 15/12/2026: Đảng viên chính thức, tạm miễn sinh hoạt đến 15/06/2027.");
    const store = (await import("../../src/store/index.ts")).createStore(h.database.db);
    const before = (await store.roster.list(branchId, "2026-12-10")).find((e) => e.name === "Phạm Thị Hoa")!;
    const after = (await store.roster.list(branchId, "2026-12-20")).find((e) => e.name === "Phạm Thị Hoa")!;
    expect(before.status).toBe("active");
    expect(after).toMatchObject({ status: "temporarily_exempt", statusUntil: "2027-06-15" });
  });

  it("refuses a change dated before the last one", async () => {
    let card = await openMember(secretary, "Phạm Thị Hoa");
    card = await press(secretary, card, "Tình trạng");
    await press(secretary, card, "đang sinh hoạt");
    expect(plain(await h.say(secretary, "01/12/2026"))).toContain("sớm hơn lần thay đổi gần nhất");
  });

  it("changes role and member type", async () => {
    let card = await openMember(secretary, "Bùi Thị Thu");
    card = await press(secretary, card, "Loại đảng viên");
    card = await press(secretary, card, "chính thức");
    expect(plain(card)).toContain("Đảng viên chính thức");
    card = await press(secretary, card, "Chức vụ");
    card = await press(secretary, card, "chi ủy viên");
    expect(plain(card)).toContain("Chức vụ: chi ủy viên");
  });

  it("validates phone numbers", async () => {
    const card = await openMember(secretary, "Hoàng Văn Nam");
    await press(secretary, card, "Điện thoại");
    expect(plain(await h.say(secretary, "12345"))).toContain("Số điện thoại chưa đúng");
    expect(plain(await h.say(secretary, "+84 912 345 678"))).toContain("Điện thoại: 0912345678");
  });

  it("never leaves the branch without a secretary or deputy on Chibo", async () => {
    let card = await openMember(secretary, "Trần Thị Lan");
    card = await press(secretary, card, "Chức vụ");
    expect(plain(await press(secretary, card, "đảng viên"))).toContain("Chức vụ: đảng viên");
    card = await openMember(secretary, "Nguyễn Văn Hùng");
    card = await press(secretary, card, "Ra khỏi danh sách");
    expect(plain(await press(secretary, card, "Đồng ý"))).toContain("cần ít nhất một bí thư hoặc phó bí thư");
  });

  it("removes a member and, on request, erases their contact data but keeps the name for history", async () => {
    let card = await openMember(secretary, "Hoàng Văn Nam");
    card = await press(secretary, card, "Ra khỏi danh sách");
    const removed = await press(secretary, card, "Đồng ý");
    expect(plain(removed)).toContain("Đã đưa Hoàng Văn Nam ra khỏi danh sách");
    expect(plain(await h.command({ id: "nam" }, "/thanhvien"))).toContain("chưa thuộc chi bộ nào");
    expect(plain(await press(secretary, removed, "Xóa thông tin liên lạc"))).toContain("Đã xóa thông tin liên lạc");
    const person = await h.database.db.query.people.findFirst({ where: (p, { eq }) => eq(p.displayName, "Hoàng Văn Nam") });
    expect(person?.erasedAt).not.toBeNull();
    expect(await h.database.db.query.channelIdentities.findFirst({ where: (i, { eq }) => eq(i.personId, person!.id) })).toBeUndefined();
    const row = await h.database.db.query.memberships.findFirst({ where: (m, { eq }) => eq(m.rosterName, "Hoàng Văn Nam") });
    expect(row).toMatchObject({ state: "removed", phone: null });
  });

  it("keeps an audit trail of roster changes", async () => {
    const entries = await h.database.db.query.auditLog.findMany({ where: (a, { eq }) => eq(a.branchId, branchId) });
    const actions = entries.map((e) => e.action);
    for (const action of ["roster.add", "roster.change", "roster.remove", "contact.erase"]) expect(actions).toContain(action);
  });
});

describe("export", () => {
  it("exports CSV with a BOM, so Excel shows the diacritics", async () => {
    const replies = await press(secretary, await h.command(secretary, "/thanhvien"), "Xuất CSV");
    const bytes = replies[0]!.attachment!.bytes;
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const read = await readSpreadsheet(bytes, "x.csv");
    if (!read.ok) throw new Error(read.reason);
    expect(read.rows.map((r) => r.cells[1])).toContain("Ngô Văn Tám");
    expect(read.rows.find((r) => r.cells[1] === "Ngô Văn Tám")!.cells[4]).toBe("miễn công tác và sinh hoạt đảng");
  });
});

describe("a branch of 200", () => {
  it("stays usable in chat: pages of 15 that fit one message, with working page buttons", async () => {
    const actor = await h.actor("secretary");
    for (let batch = 0; batch < 4; batch++) {
      const names = Array.from({ length: 50 }, (_, i) => `Đảng Viên Số ${batch * 50 + i + 1}`);
      const added = await h.core.roster.addMembers(actor, branchId, names);
      expect(added.ok && added.added.length).toBe(50);
    }
    let page = await h.command(secretary, "/thanhvien");
    const total = Number(/Tổng số (\d+) đồng chí/.exec(plain(page))![1]);
    expect(total).toBeGreaterThanOrEqual(200);
    const pages = Math.ceil(total / 15);
    const seen = new Set<string>();
    for (let i = 1; i <= pages; i++) {
      const text = plain(page);
      expect(text).toContain(`Trang ${i}/${pages}`);
      expect(text.length).toBeLessThan(4096);
      for (const line of text.split("\n").filter((l) => /^• \d+\. /.test(l))) seen.add(line.replace(/^• \d+\. /, ""));
      if (i < pages) page = await press(secretary, page, "Sau");
    }
    expect(seen.size).toBe(total);
  });
});
