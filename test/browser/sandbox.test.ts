import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import pino from "pino";
import { loadConfig } from "../../src/config.ts";
import { renderMonthlyRateChart } from "../../src/files/chart.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import { openDatabase } from "../../src/store/client.ts";
import { TEST_START } from "../helpers/fake-clock.ts";

// The sandbox page as a newcomer meets it: the real app on a random port, an in-memory
// database, and Debian's Chromium clicking and typing like a person would.

const MOBILE_SHOT = "/tmp/sandbox-mobile.png";
const DESKTOP_SHOT = "/tmp/sandbox-desktop.png";

let chibo: Chibo;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let url: string;
const pageErrors: string[] = [];

async function openPage(ctx: BrowserContext): Promise<Page> {
  const p = await ctx.newPage();
  p.on("pageerror", (error) => pageErrors.push(error.message));
  await p.goto(url);
  await p.locator('body[data-ready="true"]').waitFor();
  return p;
}

const botMessage = (p: Page, text: string) => p.getByTestId("bot-message").filter({ hasText: text });

async function send(p: Page, text: string): Promise<void> {
  await p.getByTestId("input").fill(text);
  await p.getByTestId("input").press("Enter");
}

/** "YYYY-MM-DDTHH:mm" plus whole days, on the wall clock. */
function plusDays(value: string, days: number): string {
  const [day, time] = value.split("T") as [string, string];
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return `${next.toISOString().slice(0, 10)}T${time}`;
}

/** The clock field's "dd/mm/yyyy HH:mm" as "YYYY-MM-DDTHH:mm", and back. */
const fromShown = (shown: string) => shown.replace(/^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}:\d{2})$/, "$3-$2-$1T$4");
const toShown = (value: string) => value.replace(/^(\d{4})-(\d{2})-(\d{2})T(\d{2}:\d{2})$/, "$3/$2/$1 $4");

interface Moment {
  at: string;
  to: string;
}
interface SandboxState {
  now: string;
  today: string;
  next: { notice: Moment | null; meeting: Moment | null };
}
const sandboxState = async () => (await (await fetch(`${url}/sandbox/api/state`)).json()) as SandboxState;
/** "YYYY-MM-DDTHH:mm" in Vietnam: what the clock API takes and the state's `to` gives. */
const vietnamMinute = (instant: Date) =>
  new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" }).format(instant).replace(" ", "T");

/**
 * The tappable controls on screen smaller than 44×44 CSS px (the file input is hidden in its
 * paperclip label, which is what a finger presses).
 */
async function smallControls(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const small: string[] = [];
    for (const node of document.querySelectorAll<HTMLElement>('button, a[href], select, input:not([type="file"]), textarea, label.attach, [role="button"]')) {
      const box = node.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(node).visibility === "hidden") continue;
      if (box.width < 44 || box.height < 44)
        small.push(
          `${node.dataset.testid ?? node.id ?? node.className} "${(node.textContent ?? "").trim().slice(0, 30)}" ${box.width.toFixed(1)}×${box.height.toFixed(1)}`,
        );
    }
    return small;
  });
}

beforeAll(async () => {
  const database = await openDatabase({ driver: "pglite-memory" });
  const loaded = loadConfig({ SANDBOX: "1", HOST: "127.0.0.1", LOG_LEVEL: "silent", SANDBOX_START: TEST_START.toISOString() });
  // loadConfig refuses PORT=0 (min 1), so the random port is asked for here.
  const config = { ...loaded, http: { ...loaded.http, port: 0 } };
  chibo = await startChibo(config, { database, logger: pino({ level: "silent" }) });
  url = `http://127.0.0.1:${chibo.server.port}`;
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "vi-VN" });
  page = await openPage(context);
});

afterAll(async () => {
  await browser?.close();
  await chibo?.stop();
});

describe("sandbox web chat", () => {
  it("opens in Vietnamese with the demo branch, playing the secretary", async () => {
    expect(await page.locator("html").getAttribute("lang")).toBe("vi");
    await expect(page.title()).resolves.toBe("Chibo — thử nghiệm");
    const subtitle = page.locator("#subtitle");
    await subtitle.waitFor();
    expect(await subtitle.textContent()).toBe("Đóng vai bí thư, đảng viên hoặc cấp ủy viên phụ trách của Chi bộ Khu phố 10 và trò chuyện với Chibo.");
    expect(await page.getByTestId("persona").inputValue()).toBe("secretary");
    expect(await page.getByTestId("send").textContent()).toContain("Gửi");
    await page.getByText("Chưa có tin nhắn. Gõ /start để bắt đầu.").waitFor();
    expect(await page.getByRole("textbox", { name: "Tin nhắn gửi Chibo" }).count()).toBe(1);
  });

  it("answers /start sent with Enter", async () => {
    await send(page, "/start");
    await botMessage(page, "Xin chào Nguyễn Văn Hùng").waitFor();
    await page.getByTestId("person-message").filter({ hasText: "/start" }).waitFor();
    expect(await page.getByTestId("input").inputValue()).toBe("");
  });

  it("runs a button under the bot's message", async () => {
    await page.getByTestId("action").filter({ hasText: "❓ Trợ giúp" }).last().click();
    const help = botMessage(page, "Chibo giúp được đồng chí những việc sau");
    await help.waitFor();
    expect(await help.locator(".b-title").first().textContent()).toBe("Chibo giúp được đồng chí những việc sau");
    expect(await help.locator("li").count()).toBeGreaterThanOrEqual(3);
  });

  it("shows text as text, never as markup", async () => {
    await send(page, '<img src="x" onerror="document.body.dataset.hacked=1">');
    await page.getByTestId("person-message").filter({ hasText: '<img src="x"' }).waitFor();
    expect(await page.locator("#messages img").count()).toBe(0);
    expect(await page.locator("body").getAttribute("data-hacked")).toBeNull();
  });

  it("keeps one conversation per persona, each in the persona's language", async () => {
    await page.getByTestId("persona").selectOption("khoa");
    await page.getByText("Chưa có tin nhắn. Gõ /start để bắt đầu.").waitFor();
    expect(await botMessage(page, "Xin chào").count()).toBe(0);
    await send(page, "/start");
    await botMessage(page, "Hello Đặng Minh Khoa").waitFor();

    await page.getByTestId("persona").selectOption("secretary");
    await botMessage(page, "Xin chào Nguyễn Văn Hùng").waitFor();
    expect(await botMessage(page, "Hello Đặng Minh Khoa").count()).toBe(0);
  });

  it("fits a 360×740 phone without sideways scrolling", async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "vi-VN" });
    try {
      const p = await openPage(phone);
      await botMessage(p, "Xin chào Nguyễn Văn Hùng").waitFor();
      for (const id of ["input", "send", "persona", "clock-now"]) {
        const box = await p.getByTestId(id).boundingBox();
        expect(box, id).not.toBeNull();
        expect(box!.x, id).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width, id).toBeLessThanOrEqual(360);
        expect(box!.y + box!.height, id).toBeLessThanOrEqual(740);
      }
      expect(await p.getByTestId("input").isVisible()).toBe(true);
      expect(await p.getByTestId("send").isVisible()).toBe(true);
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      // The input is pinned to the bottom of the screen.
      const input = await p.getByTestId("input").boundingBox();
      expect(input!.y + input!.height).toBeGreaterThan(740 - 80);
      await p.screenshot({ path: MOBILE_SHOT });

      // The folded clock opens, and still nothing spills sideways.
      await p.getByRole("button", { name: "Mở hoặc thu gọn đồng hồ thử nghiệm" }).click();
      await p.getByTestId("clock-move").waitFor();
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await p.screenshot({ path: "/tmp/sandbox-mobile-clock.png" });
    } finally {
      await phone.close();
    }
  });

  it("shows the Zalo view at phone size: numbered text, answered by typing the number", async () => {
    const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "vi-VN" });
    try {
      const p = await openPage(phone);
      await p.getByTestId("persona").selectOption("mai");
      const toggle = p.getByTestId("text-view");
      expect(await toggle.getAttribute("aria-pressed")).toBe("false");
      await toggle.click();
      await p.locator('[data-testid="text-view"][aria-pressed="true"]').waitFor();
      await send(p, "/ngonngu");
      const menu = botMessage(p, "Gõ một số từ 1 đến");
      await menu.waitFor();
      expect(await p.locator(".row.bot").last().locator('[data-testid="action"]').count()).toBe(0);
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await p.screenshot({ path: "/tmp/sandbox-mobile-zalo.png" });
      await send(p, "2");
      await botMessage(p, "Switched to English").waitFor();
      // Back to buttons: the page remembers the view per persona on the server.
      await toggle.click();
      await p.locator('[data-testid="text-view"][aria-pressed="false"]').waitFor();
    } finally {
      await phone.close();
    }
  });

  it("changes the message a button was pressed on in place, without a new bubble", async () => {
    await page.getByTestId("persona").selectOption("deputy");
    await send(page, "/thanhvien");
    const list = botMessage(page, "Danh sách đảng viên");
    await list.waitFor();
    const bubbles = await page.getByTestId("bot-message").count();
    await page.locator(".row.bot").last().getByTestId("action").filter({ hasText: /^4$/ }).click();
    await botMessage(page, "Phạm Thị Hoa").filter({ hasText: "Chức vụ" }).waitFor();
    expect(await page.getByTestId("bot-message").count()).toBe(bubbles);
    expect(await botMessage(page, "Danh sách đảng viên").count()).toBe(0);
    await page.getByTestId("persona").selectOption("secretary");
  });

  it("makes every control at least 44×44 at phone size, and keeps the open clock to two rows", async () => {
    // A message with buttons and a file, as a reminder brings them, so they are measured too.
    const sandbox = chibo.channels.find((c) => c.name === "sandbox")!;
    await sandbox.send("sandbox:mai", {
      blocks: [{ kind: "title", text: "Nhắc lịch họp" }],
      actions: [
        [
          { label: "✅ Có mặt", payload: "x:1" },
          { label: "📝 Vắng", payload: "x:2" },
          { label: "❔", payload: "x:3" },
        ],
      ],
      attachment: { filename: "lich.ics", mimeType: "text/calendar", bytes: new TextEncoder().encode("BEGIN:VCALENDAR"), caption: "Lịch họp" },
    });
    for (const width of [360, 375, 400]) {
      const phone = await browser.newContext({ viewport: { width, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "vi-VN" });
      try {
        const p = await openPage(phone);
        await botMessage(p, "Xin chào Nguyễn Văn Hùng").waitFor();
        expect(await smallControls(p), `${width} px, the secretary's chat`).toEqual([]);
        // Typed and cleared, the message field is one line again: its placeholder does not wrap it taller.
        await p.getByTestId("input").fill("x");
        await p.getByTestId("input").fill("");
        expect((await p.getByTestId("input").boundingBox())!.height, `${width} px`).toBeLessThanOrEqual(46);
        if (width === 375) await p.screenshot({ path: "/tmp/sandbox-375.png" });

        await p.getByTestId("persona").selectOption("mai");
        await botMessage(p, "Nhắc lịch họp").getByTestId("attachment").waitFor();
        expect(await smallControls(p), `${width} px, a reminder with buttons and a file`).toEqual([]);

        await p.getByRole("button", { name: "Mở hoặc thu gọn đồng hồ thử nghiệm" }).click();
        await p.getByTestId("clock-next-meeting").waitFor();
        expect(await smallControls(p), `${width} px, the open clock`).toEqual([]);
        const clock = (await p.locator("#clock").boundingBox())!;
        expect(clock.height, `${width} px`).toBeLessThanOrEqual(667 * 0.25);
        // The date field and its button, then the four shortcuts: two rows.
        const rows = await p
          .locator("#clock-body")
          .evaluate((body) => new Set([...body.querySelectorAll("input, button")].map((n) => Math.round(n.getBoundingClientRect().top))).size);
        expect(rows, `${width} px`).toBe(2);
        expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        if (width === 375) await p.screenshot({ path: "/tmp/sandbox-375-clock.png" });
      } finally {
        await phone.close();
      }
    }
  });

  it("shows and reads the date as dd/mm/yyyy HH:mm in a US-English browser, and explains bad input in the page's language", async () => {
    const us = await browser.newContext({
      viewport: { width: 375, height: 667 },
      isMobile: true,
      hasTouch: true,
      locale: "en-US",
      timezoneId: "America/New_York",
    });
    try {
      const p = await openPage(us);
      await p.locator("#clock-toggle").click();
      const field = p.getByTestId("clock-input");
      const before = await sandboxState();
      // The next whole minute on the sandbox clock, in Vietnam, written the Vietnamese way.
      const expected = toShown(vietnamMinute(new Date(new Date(before.now).getTime() + 60_000)));
      expect(await field.inputValue()).toBe(expected);
      expect(await field.getAttribute("type")).toBe("text");

      const notice = p.getByTestId("clock-notice");
      const tryTyping = async (typed: string, message: string) => {
        await field.fill(typed);
        await p.getByTestId("clock-move").click();
        await notice.filter({ hasText: message }).waitFor();
        expect(await field.getAttribute("aria-invalid")).toBe("true");
        expect(await field.inputValue()).toBe(typed);
      };
      await tryTyping("31/02/2027 10:00", "Lịch không có ngày 31/02/2027. Xin kiểm tra lại ngày và tháng.");
      // Typed the American way: the 31st month does not exist.
      await tryTyping("12/31/2026 19:30", "Lịch không có ngày 12/31/2026.");
      await tryTyping("03/12/2026 25:00", "Giờ phải từ 00:00 đến 23:59 (tính theo 24 giờ), ví dụ 19:30.");
      await tryTyping("ngày mai", "Chưa đọc được ngày giờ này. Xin gõ theo dạng ngày/tháng/năm giờ:phút (24 giờ), ví dụ");
      await p.screenshot({ path: "/tmp/sandbox-375-clock-error.png" });

      await p.getByTestId("lang-en").click();
      await p.getByTestId("send").filter({ hasText: "Send" }).waitFor();
      await tryTyping("31/02/2027 10:00", "There is no 31/02/2027 in the calendar. Please check the day and the month.");
      await tryTyping("3pm tomorrow", "That date and time could not be read. Please type it as day/month/year hour:minute (24-hour clock), e.g.");
      await tryTyping("03/12/2026 24:00", "The time must be between 00:00 and 23:59 (24-hour clock), e.g. 19:30.");
      await p.screenshot({ path: "/tmp/sandbox-375-clock-error-en.png" });

      // Typing again clears the mark; nothing of the above moved the clock.
      await field.fill("0");
      expect(await field.getAttribute("aria-invalid")).toBeNull();
      expect((await sandboxState()).today).toBe(before.today);
    } finally {
      await us.close();
    }
  });

  it("flags news for other personas and offers files as downloads", async () => {
    // What a reminder would do: Chibo writes to a member while the page shows the secretary.
    const sandbox = chibo.channels.find((c) => c.name === "sandbox")!;
    const result = await sandbox.send("sandbox:hoa", {
      blocks: [
        { kind: "title", text: "Nhắc lịch họp" },
        { kind: "note", text: "Tin thử nghiệm" },
      ],
      attachment: { filename: "báo cáo.csv", mimeType: "text/csv", bytes: new TextEncoder().encode("a,b\n1,2\n"), caption: "Tệp đính kèm" },
    });
    expect(result.ok).toBe(true);
    // Moving the clock is when reminders arrive; the page then looks at every persona. The
    // hour may also bring the demo meeting's own notices, so the count is at least one.
    await page.getByTestId("clock-plus-hour").click();
    const badge = page.locator('.person[data-key="hoa"] .badge');
    await badge.waitFor();
    await page.screenshot({ path: "/tmp/sandbox-desktop-badge.png" });
    const unread = Number(await badge.textContent());
    expect(unread).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId("persona").locator('option[value="hoa"]').textContent()).toContain(`(${unread})`);

    await page.getByTestId("persona").selectOption("hoa");
    const news = botMessage(page, "Nhắc lịch họp");
    await news.waitFor();
    expect(await news.locator(".b-note").textContent()).toBe("Tin thử nghiệm");
    const link = news.getByTestId("attachment");
    expect(await link.textContent()).toContain("báo cáo.csv");
    const href = await link.getAttribute("href");
    const file = await fetch(new URL(href!, url));
    expect(await file.text()).toBe("a,b\n1,2\n");
    expect(await page.locator('.person[data-key="hoa"] .badge').isHidden()).toBe(true);
    await page.screenshot({ path: "/tmp/sandbox-desktop-attachment.png" });
    await page.getByTestId("persona").selectOption("secretary");
  });

  it("shows a chart as a picture in the bubble, its caption as its alt text, at phone size", async () => {
    const sandbox = chibo.channels.find((c) => c.name === "sandbox")!;
    const chart = await renderMonthlyRateChart({
      title: "Chi bộ Khu phố 10 — Quý IV/2026",
      points: [
        { label: "T10", rate: 0.9 },
        { label: "T11", rate: 0.72 },
        { label: "T12", rate: 0.82 },
      ],
      threshold: 0.85,
      thresholdLabel: "Ngưỡng 85%",
      xTitle: "Tháng",
      yTitle: "Tỷ lệ dự họp",
    });
    const caption = "Biểu đồ tỷ lệ dự họp theo tháng: T10: 90%; T11: 72%; T12: 82%.";
    expect(
      (await sandbox.send("sandbox:secretary", { blocks: [], attachment: { filename: "ty-le.png", mimeType: "image/png", bytes: chart.png, caption } })).ok,
    ).toBe(true);
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "vi-VN" });
    const p = await openPage(phone);
    const picture = p.getByTestId("picture").last();
    await picture.waitFor();
    await p.waitForFunction(() =>
      [...document.querySelectorAll<HTMLImageElement>('[data-testid="picture"]')].every((img) => img.complete && img.naturalWidth > 0),
    );
    const shown = await picture.evaluate((img: HTMLImageElement) => ({ natural: img.naturalWidth, width: img.getBoundingClientRect().width, alt: img.alt }));
    expect(shown.natural).toBeGreaterThanOrEqual(1000);
    expect(shown.alt).toBe(caption);
    // Scaled into the bubble, never wider than the phone.
    expect(shown.width).toBeLessThanOrEqual(390);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await p.screenshot({ path: "/tmp/sandbox-mobile-chart.png" });
    await phone.close();
  });

  it("moves the sandbox clock forward, never back", async () => {
    const display = page.getByTestId("clock-now");
    const before = await display.textContent();
    const shown = await page.getByTestId("clock-input").inputValue();
    expect(shown).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    const target = plusDays(fromShown(shown), 1);
    await page.getByTestId("clock-input").fill(toShown(target));
    await page.getByTestId("clock-move").click();
    await page.waitForFunction(
      ([shown, time]) => {
        const now = document.querySelector('[data-testid="clock-now"]')?.textContent ?? "";
        return now !== shown && now.includes(time);
      },
      [before, target.slice(11)] as const,
    );
    const state = (await (await fetch(`${url}/sandbox/api/state`)).json()) as { today: string };
    expect(state.today).toBe(target.slice(0, 10));
    await page.getByTestId("clock-notice").filter({ hasText: "Đã chuyển đồng hồ đến" }).waitFor();

    // The quick button moves another day on.
    const afterMove = await display.textContent();
    await page.getByTestId("clock-plus-day").click();
    await page.waitForFunction((shown) => document.querySelector('[data-testid="clock-now"]')?.textContent !== shown, afterMove);
    const later = (await (await fetch(`${url}/sandbox/api/state`)).json()) as { today: string };
    expect(later.today).toBe(plusDays(target, 1).slice(0, 10));

    await page.getByTestId("clock-input").fill("01/01/2001 08:00");
    await page.getByTestId("clock-move").click();
    await page.getByText("Không thể lùi đồng hồ về quá khứ.").waitFor();
    const still = (await (await fetch(`${url}/sandbox/api/state`)).json()) as { today: string };
    expect(still.today).toBe(later.today);
    await page.screenshot({ path: DESKTOP_SHOT });
  });

  it("moves to the next notice, then into the next meeting, as the branch's meetings say", async () => {
    const { next } = await sandboxState();
    const notice = next.notice!;
    // Where the shortcut leads is shown on it (on a wide screen) as the secretary writes it.
    expect(await page.getByTestId("clock-next-notice").textContent()).toContain(`${notice.to.slice(11)} ngày ${toShown(notice.to).slice(0, 10)}`);
    const seen = (await (await fetch(`${url}/sandbox/api/messages?persona=hoa`)).json()) as { entries: Array<{ id: number }> };
    const lastSeen = seen.entries.at(-1)?.id ?? 0;
    await page.getByTestId("clock-next-notice").click();
    await page.getByTestId("clock-notice").filter({ hasText: "Đã chuyển đồng hồ đến" }).waitFor();
    expect(vietnamMinute(new Date((await sandboxState()).now))).toBe(notice.to);
    const fresh = (await (await fetch(`${url}/sandbox/api/messages?persona=hoa&after=${lastSeen}`)).json()) as {
      entries: Array<{ at: string; message?: { blocks: Array<{ text?: string }> } }>;
    };
    const noticed = fresh.entries.filter((e) => e.message?.blocks.some((b) => b.text?.includes("Thông báo triệu tập")));
    expect(noticed.map((e) => vietnamMinute(new Date(e.at)))).toEqual([notice.to]);

    const meeting = (await sandboxState()).next.meeting!;
    await page.getByTestId("clock-next-meeting").click();
    await page.waitForFunction((time) => document.querySelector('[data-testid="clock-now"]')?.textContent?.includes(time), meeting.to.slice(11));
    expect(vietnamMinute(new Date((await sandboxState()).now))).toBe(meeting.to);
    // The meeting is under way: the secretary calls the roll.
    await send(page, "/diemdanh");
    await botMessage(page, "Điểm danh — Chi bộ Khu phố 10").waitFor();
    await page.screenshot({ path: "/tmp/sandbox-desktop-meeting.png" });
  });

  it("switches the page to English and remembers it", async () => {
    await page.getByTestId("lang-en").click();
    await page.getByTestId("send").filter({ hasText: "Send" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.locator("#subtitle").textContent()).toBe(
      "Play the secretary, a member or the supervising committee member of Chi bộ Khu phố 10 and talk to Chibo.",
    );
    expect(await page.getByTestId("input").getAttribute("placeholder")).toBe("Type a message");
    expect(await page.getByTestId("persona").locator("option:checked").textContent()).toContain("Secretary");
    // The bot keeps speaking the persona's language; only the page changed.
    await botMessage(page, "Xin chào Nguyễn Văn Hùng").waitFor();

    await page.reload();
    await page.locator('body[data-ready="true"]').waitFor();
    await page.getByTestId("send").filter({ hasText: "Send" }).waitFor();
    await page.screenshot({ path: "/tmp/sandbox-desktop-en.png" });
    await page.getByTestId("lang-vi").click();
    await page.getByTestId("send").filter({ hasText: "Gửi" }).waitFor();
  });

  it("raised no script errors", () => {
    expect(pageErrors).toEqual([]);
  });
});
