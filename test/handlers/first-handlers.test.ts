import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttons, createHarness, plain, type Harness } from "../helpers/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
});
afterAll(async () => h.close());

const secretary = { id: "secretary" };
const khoa = { id: "khoa" }; // a probationary member who chose English
const tam = { id: "tam" }; // exempt
const supervisor = { id: "supervisor" };
const stranger = { id: "someone-new", name: "Trần Văn Bình" };

describe("/start", () => {
  it("greets the secretary by name with their role and branch, in Vietnamese", async () => {
    const text = plain(await h.command(secretary, "/start"));
    expect(text).toContain("Xin chào Nguyễn Văn Hùng!");
    expect(text).toContain("đảng viên chính thức, bí thư Chi bộ Khu phố 10 (Đảng ủy phường Sài Gòn)");
  });

  it("greets a member who chose English in English", async () => {
    const text = plain(await h.command(khoa, "/start"));
    expect(text).toContain("Hello Đặng Minh Khoa!");
    expect(text).toContain("You are a probationary Party member of Chi bộ Khu phố 10");
  });

  it("tells an exempt member their status", async () => {
    expect(plain(await h.command(tam, "/start"))).toContain("Hiện đồng chí đang miễn công tác và sinh hoạt đảng.");
  });

  it("tells the supervisor what they follow", async () => {
    expect(plain(await h.command(supervisor, "/start"))).toContain("Đồng chí theo dõi: Đảng ủy phường Sài Gòn.");
  });

  it("tells a stranger how to join, and shows no branch data", async () => {
    const text = plain(await h.command(stranger, "/start"));
    expect(text).toContain("Đồng chí chưa thuộc chi bộ nào trên Chibo.");
    expect(text).toContain("mã mời");
    expect(text).not.toContain("Khu phố 10");
  });

  it("offers help and language buttons that work like the commands", async () => {
    const replies = await h.command(secretary, "/start");
    const help = buttons(replies).find((b) => b.label.includes("Trợ giúp"))!;
    expect(plain(await h.press(secretary, help.payload))).toContain("Chibo giúp được đồng chí những việc sau");
  });

  it("answers the command typed without a slash, and the word 'menu'", async () => {
    expect(plain(await h.say(secretary, "start"))).toContain("Xin chào Nguyễn Văn Hùng!");
    expect(plain(await h.say(secretary, "Menu"))).toContain("Xin chào Nguyễn Văn Hùng!");
  });
});

describe("/help", () => {
  it("lists the secretary's section for the secretary", async () => {
    const text = plain(await h.command(secretary, "/help"));
    expect(text).toContain("Ai cũng dùng được");
    expect(text).toContain("/ngonngu");
  });

  it("never lists a command that is not installed", async () => {
    const text = plain(await h.command(secretary, "/help"));
    const listed = [...text.matchAll(/\/([a-z]+)/g)].map((m) => m[1]);
    for (const command of listed) expect(h.router.commandNames).toContain(command);
  });

  it("answers in English for an English speaker, and to 'giúp' typed by an elderly member", async () => {
    expect(plain(await h.command(khoa, "/help"))).toContain("Here is what Chibo can do for you");
    expect(plain(await h.say(tam, "Giúp"))).toContain("Chibo giúp được đồng chí những việc sau");
    expect(plain(await h.say(tam, "giup"))).toContain("Chibo giúp được đồng chí những việc sau");
  });

  it("tells a stranger that more comes after joining", async () => {
    expect(plain(await h.command(stranger, "/help"))).toContain("Khi đã tham gia chi bộ");
  });

  it("explains typing commands without a slash on Zalo", async () => {
    expect(plain(await h.command({ id: "z1", channel: "zalo" }, "/help"))).toContain("Trên Zalo, gõ tên lệnh không cần dấu");
  });
});

describe("/ngonngu", () => {
  const person = { id: "lang-tester", name: "Lê Thị Nga" };

  it("shows both languages as buttons", async () => {
    const replies = await h.command(person, "/ngonngu");
    expect(plain(replies)).toContain("Ngôn ngữ hiện tại: Tiếng Việt");
    expect(buttons(replies).map((b) => b.label)).toEqual(["🇻🇳 Tiếng Việt", "🇬🇧 English"]);
  });

  it("switches by button, confirms in the new language, and remembers it", async () => {
    const english = buttons(await h.command(person, "/ngonngu")).find((b) => b.label.includes("English"))!;
    expect(plain(await h.press(person, english.payload))).toBe("Switched to English. From now on Chibo writes to you in English.");
    expect(plain(await h.command(person, "/start"))).toContain("Hello Lê Thị Nga!");
  });

  it("switches with an argument or by typing the language's name", async () => {
    expect(plain(await h.command(person, "/ngonngu vi"))).toContain("Đã chuyển sang Tiếng Việt");
    expect(plain(await h.say(person, "English"))).toContain("Switched to English");
    expect(plain(await h.say(person, "tiếng việt"))).toContain("Đã chuyển sang Tiếng Việt");
  });

  it("refuses an unknown language in the person's language and changes nothing", async () => {
    const text = plain(await h.command(person, "/ngonngu klingon"));
    expect(text).toContain("Chibo chưa có ngôn ngữ “klingon”");
    expect(plain(await h.command(person, "/start"))).toContain("Xin chào Lê Thị Nga!");
  });

  it("treats a forged language button as unknown", async () => {
    expect(plain(await h.press(person, "lang:xx"))).toContain("Chibo chưa có ngôn ngữ “xx”");
  });
});

describe("fallback", () => {
  it("answers an unknown command with how to find the right one", async () => {
    expect(plain(await h.command(secretary, "/xyz"))).toContain("Chibo chưa hiểu lệnh “/xyz”");
  });

  it("answers text it does not understand, with help buttons", async () => {
    const replies = await h.say(secretary, "hôm nay trời đẹp quá");
    expect(plain(replies)).toContain("Chibo chưa hiểu tin nhắn này");
    expect(buttons(replies).length).toBeGreaterThan(0);
  });

  it("says an unknown or old button is stale", async () => {
    expect(plain(await h.press(secretary, "zz:old:button"))).toContain("Nút này đã cũ");
  });

  it("asks for text when given a sticker or a photo", async () => {
    expect(plain(await h.send(secretary, { kind: "other" }))).toContain("Chibo chỉ đọc được tin nhắn chữ");
  });

  it("stays quiet about ordinary chatter in a group", async () => {
    const group = { kind: "group" as const, address: "sandbox:group-1" };
    expect(await h.say({ id: "secretary", chat: group }, "mọi người nhớ họp nhé")).toEqual([]);
    expect(await h.send({ id: "secretary", chat: group }, { kind: "other" })).toEqual([]);
  });

  it("answers a 10,000-character message without echoing it whole", async () => {
    const replies = await h.command(secretary, `/${"a".repeat(10_000)}`);
    const text = plain(replies);
    expect(text.length).toBeLessThan(400);
  });
});
