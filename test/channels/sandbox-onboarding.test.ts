import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TranscriptEntry } from "../../src/channels/sandbox/channel.ts";
import { ROSTER_30_WITH_3_BROKEN, rosterXlsx } from "../fixtures/roster-files.ts";
import { entryText as textOf, startSandboxApp, type SandboxApp } from "../helpers/sandbox-app.ts";

/** Issue 3's story played in the sandbox, through the same HTTP API the page uses. */
let app: SandboxApp;
beforeAll(async () => {
  app = await startSandboxApp();
});
afterAll(async () => app.close());

const post = (path: string, body: unknown) => app.post(path, body);
const transcript = (persona: string) => app.transcript(persona);
const last = async (persona: string) => (await transcript(persona)).at(-1)!;
async function say(persona: string, text: string): Promise<TranscriptEntry> {
  await post("/sandbox/api/send", { persona, text });
  return last(persona);
}
async function press(persona: string, entry: TranscriptEntry, label: string): Promise<TranscriptEntry> {
  const action = (entry.message?.actions ?? []).flat().find((a) => a.label.includes(label));
  if (!action) throw new Error(`no button ${label} in ${JSON.stringify(entry.message?.actions)}`);
  await post("/sandbox/api/press", { persona, payload: action.payload });
  return last(persona);
}
const code = (text: string) => /\b([A-Z0-9]{4}-[A-Z0-9]{4}(?:-[A-Z0-9]{2,4})?)\b/.exec(text)![1]!;

describe("in the sandbox", () => {
  let registration = "";
  let invite = "";

  it("the admin persona issues a registration code for the ward", async () => {
    let entry = await say("admin", "/quantri");
    entry = await press("admin", entry, "Thành phố Hồ Chí Minh");
    entry = await press("admin", entry, "Đảng ủy phường Sài Gòn");
    entry = await press("admin", entry, "Mã đăng ký chi bộ");
    registration = code(textOf(entry));
  });

  it("the newcomer registers a second branch with it", async () => {
    await say("newcomer", `/chibo ${registration}`);
    await say("newcomer", "Chi bộ Khu phố 11");
    await say("newcomer", "5");
    await say("newcomer", "19:00");
    await say("newcomer", "Nhà văn hóa khu phố 11");
    await say("newcomer", "Sài Gòn");
    await say("newcomer", "keep");
    await say("newcomer", "Asia/Ho_Chi_Minh");
    const summary = await say("newcomer", "Vũ Văn Mười");
    expect(textOf(summary)).toContain("Họp thường kỳ: ngày 5 hằng tháng, lúc 19:00");
    expect(textOf(await press("newcomer", summary, "Xác nhận"))).toContain("Đã đăng ký Chi bộ Khu phố 11");
  });

  it("imports the roster from an uploaded XLSX after a preview", async () => {
    await press("newcomer", await say("newcomer", "/thanhvien"), "Nhập từ tệp");
    const bytes = await rosterXlsx(ROSTER_30_WITH_3_BROKEN);
    const upload = await fetch(`${app.base}/sandbox/api/upload?persona=newcomer&name=${encodeURIComponent("danh sách.xlsx")}`, {
      method: "POST",
      headers: { "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
      body: Buffer.from(bytes),
    });
    expect(upload.status).toBe(200);
    const entries = await transcript("newcomer");
    expect(entries.at(-2)).toMatchObject({ from: "person", text: "📎 danh sách.xlsx" });
    const preview = entries.at(-1)!;
    expect(textOf(preview)).toContain("27 dòng hợp lệ, 3 dòng lỗi");
    expect(textOf(await press("newcomer", preview, "Nhập 27 người"))).toContain("Đã thêm 27 người mới vào danh sách");
  });

  it("a member of another branch joins with the typed invite code and is approved", async () => {
    invite = code(textOf(await press("newcomer", await say("newcomer", "/thanhvien"), "Mã mời")));
    expect(textOf(await say("hoa", invite))).toContain("Đồng chí được mời tham gia Chi bộ Khu phố 11");
    expect(textOf(await say("hoa", "Trần Thị Mai"))).toContain("Đã gửi yêu cầu");
    const notice = await last("newcomer");
    expect(textOf(notice)).toContain("khớp với “Trần Thị Mai”");
    await press("newcomer", notice, "Duyệt");
    expect(textOf(await last("hoa"))).toContain("Bí thư đã duyệt");
  });

  it("the ward's supervisor now chooses between two branches, read-only", async () => {
    const choice = await say("supervisor", "/chibo");
    expect(textOf(choice)).toContain("Đồng chí muốn làm việc với chi bộ nào?");
    const card = await press("supervisor", choice, "Chi bộ Khu phố 11");
    expect(textOf(card)).toContain("xem được nhưng không sửa");
  });
});
