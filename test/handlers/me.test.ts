import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
});
afterAll(async () => h.close());

const hoa: Speaker = { id: "hoa" };
const hoaOnZalo: Speaker = { id: "zalo-hoa-1", name: "Hoa Phạm", channel: "zalo" };
const khoa: Speaker = { id: "khoa" };

describe("/toi", () => {
  it("shows what Chibo holds, and says what it never holds", async () => {
    const text = plain(await h.command(hoa, "/toi"));
    expect(text).toContain("Thông tin Chibo đang lưu về đồng chí");
    expect(text).toContain("Tên: Phạm Thị Hoa");
    expect(text).toContain("Ngôn ngữ: 🇻🇳 Tiếng Việt");
    expect(text).toContain("Thử nghiệm: liên kết từ");
    expect(text).toContain("Chi bộ Khu phố 10: đảng viên, đảng viên chính thức, đang sinh hoạt");
    expect(text).toContain("không bao giờ lưu số CCCD hay số thẻ đảng viên");
  });

  it("lets an exempt member stop and restart resolution summaries", async () => {
    const tam: Speaker = { id: "tam" };
    const shown = await h.command(tam, "/toi");
    expect(plain(shown)).toContain("miễn công tác và sinh hoạt đảng; nhận tóm tắt nghị quyết");
    expect(plain(await h.pressLabel(tam, shown, "Thôi nhận tóm tắt nghị quyết"))).toContain("không gửi tóm tắt nghị quyết cho đồng chí nữa");
    const after = await h.command(tam, "/toi");
    expect(plain(after)).toContain("không nhận tóm tắt nghị quyết");
    expect(plain(await h.pressLabel(tam, after, "Nhận tóm tắt nghị quyết"))).toContain("Từ nay Chibo gửi tóm tắt nghị quyết");
    // Only for a branch the person belongs to.
    const payload = buttons(after).find((b) => b.label.includes("Nhận tóm tắt"))!.payload;
    expect(plain(await h.press({ id: "newcomer" }, payload))).toContain("không có quyền");
  });

  it("answers in English for an English speaker", async () => {
    expect(plain(await h.command(khoa, "/toi"))).toContain("What Chibo keeps about you");
  });
});

describe("linking a second channel", () => {
  it("joins a Zalo account to the same person with a one-time code, then lets them choose where messages go", async () => {
    const linkButton = buttons(await h.command(hoa, "/toi")).find((b) => b.label.includes("Liên kết kênh khác"))!;
    const shown = plain(await h.press(hoa, linkButton.payload));
    const code = /Mã liên kết: ([A-Z0-9-]+)/.exec(shown)![1]!;
    // On Zalo the code is simply typed.
    expect(plain(await h.say(hoaOnZalo, code))).toContain("Đã liên kết tài khoản này");
    const profile = await h.command(hoaOnZalo, "/toi");
    expect(plain(profile)).toContain("Tên: Phạm Thị Hoa");
    expect(plain(profile)).toContain("Zalo: liên kết từ");
    const prefer = buttons(profile).find((b) => b.label.includes("Nhận tin qua Zalo"))!;
    expect(plain(await h.press(hoaOnZalo, prefer.payload))).toContain("Từ nay Chibo gửi tin cho đồng chí qua Zalo");
    expect(plain(await h.command(hoa, "/toi"))).toContain("Nhận tin nhắn qua: Zalo");
    // The code was single-use.
    expect(plain(await h.say({ id: "zalo-other", channel: "zalo" }, code))).toContain("Mã này đã được dùng rồi");
  });

  it("refuses to merge an account that has its own branch", async () => {
    const linkButton = buttons(await h.command(khoa, "/toi")).find((b) => b.label.includes("Link another channel"))!;
    const code = /Link code: ([A-Z0-9-]+)/.exec(plain(await h.press(khoa, linkButton.payload)))![1]!;
    expect(plain(await h.command({ id: "secretary" }, `/start ${code}`))).toContain("đã có chi bộ hoặc vai trò riêng");
  });

  it("says so when the account is already the same person", async () => {
    const linkButton = buttons(await h.command(hoa, "/toi")).find((b) => b.label.includes("Liên kết kênh khác"))!;
    const code = /Mã liên kết: ([A-Z0-9-]+)/.exec(plain(await h.press(hoa, linkButton.payload)))![1]!;
    expect(plain(await h.command(hoa, `/start ${code}`))).toContain("đã thuộc hồ sơ của đồng chí rồi");
  });
});
