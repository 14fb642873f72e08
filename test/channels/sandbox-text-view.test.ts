import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryText, startSandboxApp, type SandboxApp } from "../helpers/sandbox-app.ts";

/**
 * The sandbox's "Zalo view": the conversation of a channel without buttons. Every action is a
 * numbered line, and the number typed back does what the button would have done — through
 * the router's one mapping, never a handler's own typed fallback.
 */
let app: SandboxApp;
beforeAll(async () => {
  app = await startSandboxApp();
});
afterAll(async () => app.close());

async function say(persona: string, text: string): Promise<string> {
  const before = (await app.transcript(persona)).at(-1)?.id ?? 0;
  expect((await app.post("/sandbox/api/send", { persona, text })).status).toBe(200);
  return (await app.transcript(persona, before))
    .filter((e) => e.from === "bot")
    .map(entryText)
    .join("\n---\n");
}

describe("the text view of a channel without buttons", () => {
  it("shows actions as numbered lines, no buttons", async () => {
    expect((await app.post("/sandbox/api/view", { persona: "hoa", text: true })).status).toBe(200);
    const shown = await say("hoa", "/lichhop");
    // Each line says what it does, never a bare “1. 1 ✅”; no legend of buttons.
    expect(shown).toMatch(/^1\. Buổi 1: ✅ có mặt$/m);
    expect(shown).toMatch(/^2\. Buổi 1: 📝 vắng \(có lý do\)$/m);
    expect(shown).not.toContain("Các lựa chọn mang số thứ tự");
    expect(shown).toContain("Gõ một số từ 1 đến");
    const last = (await app.transcript("hoa")).at(-1)!;
    expect(last.message?.actions).toBeUndefined();
  });

  it("maps a typed number to the action it was offered under", async () => {
    // 2 is “Buổi 1: 📝 vắng”: absent at the first meeting, which asks the reason.
    const answered = await say("hoa", "2");
    expect(answered).toContain("Đã ghi: đồng chí Phạm Thị Hoa vắng buổi họp");
    expect(answered).toContain("Xin đồng chí cho biết lý do vắng");
    // The reason question offers “Không nêu lý do” as 1.
    expect(answered).toMatch(/^1\. Không nêu lý do$/m);
    // Worded for typing: nothing to press on this channel.
    expect(answered).toContain("Gõ lý do rồi gửi.");
    expect(answered).not.toContain("bấm");
    // A member who only types gives the reason in words.
    expect(await say("hoa", "ốm nặng")).toContain("Lý do: ốm nặng");
    // And a number still picks from the list last offered: 1 = “Không nêu lý do” after another “2”.
    await say("hoa", "/lichhop");
    await say("hoa", "2");
    expect(await say("hoa", "1")).toContain("Đã ghi: đồng chí Phạm Thị Hoa vắng");
  });

  it("says how many choices there were when the number is out of range", async () => {
    await say("hoa", "/ngonngu");
    expect(await say("hoa", "9")).toContain("xin gõ một số từ 1 đến");
  });

  it("keeps a list's own numbers, numbers the other actions after it, and lists navigation apart", async () => {
    await app.post("/sandbox/api/view", { persona: "secretary", text: true });
    const roster = await say("secretary", "/thanhvien");
    expect(roster).toContain("• 4. Phạm Thị Hoa");
    expect(roster).toContain("Gõ số thứ tự trong danh sách (1–14) để chọn dòng đó.");
    expect(roster).not.toMatch(/^4\. 4$/m);
    expect(roster).toMatch(/^15\. ➕ Thêm người$/m);
    const card = await say("secretary", "4");
    expect(card).toContain("Phạm Thị Hoa");
    const lines = card.split("\n");
    const back = lines.findIndex((l) => /^\d+\. ◀ Danh sách$/.test(l));
    expect(back).toBeGreaterThan(0);
    // Navigation stands apart from the choices, after them.
    expect(lines[back - 1]).toBe("");
    expect(await say("secretary", lines[back]!.split(".")[0]!)).toContain("Danh sách đảng viên");
  });

  it("goes back to buttons, and a bare number is no longer a choice", async () => {
    expect((await app.post("/sandbox/api/view", { persona: "hoa", text: false })).status).toBe(200);
    await say("hoa", "/lichhop");
    const last = (await app.transcript("hoa")).at(-1)!;
    expect(last.message?.actions?.length).toBeGreaterThan(0);
    expect((await app.post("/sandbox/api/view", { persona: "nobody", text: true })).status).toBe(400);
  });
});

describe("edits in place", () => {
  it("changes the roster page the button was pressed on, where the view has buttons", async () => {
    await app.post("/sandbox/api/view", { persona: "deputy", text: false });
    await app.post("/sandbox/api/send", { persona: "deputy", text: "/thanhvien" });
    const before = await app.transcript("deputy");
    const list = before.at(-1)!;
    const four = list.message!.actions!.flat().find((a) => a.label === "4")!;
    expect((await app.post("/sandbox/api/press", { persona: "deputy", payload: four.payload, message: list.id })).status).toBe(200);
    const after = await app.transcript("deputy");
    // The same number of entries: the list became the card where it stood.
    expect(after).toHaveLength(before.length);
    expect(after.at(-1)).toMatchObject({ replaces: list.id });
    expect(entryText(after.at(-1)!)).toContain("Phạm Thị Hoa");
    // The page fetching after the old id gets the edit.
    expect((await app.transcript("deputy", list.id)).map((e) => e.replaces)).toEqual([list.id]);
  });

  it("sends anew in the text view, which has no edits", async () => {
    await app.post("/sandbox/api/view", { persona: "committee", text: true });
    await app.post("/sandbox/api/send", { persona: "committee", text: "/thanhvien" });
    const before = await app.transcript("committee");
    expect((await app.post("/sandbox/api/send", { persona: "committee", text: "4" })).status).toBe(200);
    const after = await app.transcript("committee");
    expect(after.length).toBe(before.length + 2);
    expect(after.at(-1)!.replaces).toBeUndefined();
  });
});
