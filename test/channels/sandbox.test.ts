import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startChibo } from "../../src/main.ts";
import { entryText as botText, startSandboxApp, type SandboxApp } from "../helpers/sandbox-app.ts";
import { createTestDatabase } from "../helpers/test-db.ts";
import { runningClock } from "../helpers/fake-clock.ts";

let app: SandboxApp;
let base: string;
beforeAll(async () => {
  app = await startSandboxApp();
  base = app.base;
});
afterAll(async () => app.close());

const post = (path: string, body: unknown) => app.post(path, body);
const messages = (persona: string, after = 0) => app.transcript(persona, after);

describe("sandbox API", () => {
  it("lists the demo branch's personas, every status included", async () => {
    const state = (await (await fetch(`${base}/sandbox/api/state`)).json()) as {
      branchName: string;
      personas: Array<{ key: string; kind: string; status?: string }>;
    };
    expect(state.branchName).toBe("Chi bộ Khu phố 10");
    const kinds = new Set(state.personas.map((p) => p.kind));
    for (const kind of ["secretary", "deputy", "committee", "member", "supervisor", "newcomer"]) expect(kinds).toContain(kind);
    const statuses = new Set(state.personas.map((p) => p.status));
    for (const status of ["active", "exempt", "temporarily_exempt", "transferred_out", "attached", "special_duty"]) expect(statuses).toContain(status);
  });

  it("carries a persona's message to Chibo and shows the reply in that persona's transcript", async () => {
    expect((await post("/sandbox/api/send", { persona: "secretary", text: "/start" })).status).toBe(200);
    const entries = await messages("secretary");
    expect(entries[0]).toMatchObject({ from: "person", text: "/start" });
    expect(botText(entries[1]!)).toContain("Xin chào Nguyễn Văn Hùng!");
    expect(await messages("deputy")).toEqual([]);
  });

  it("presses a button", async () => {
    const before = await messages("khoa");
    await post("/sandbox/api/send", { persona: "khoa", text: "/ngonngu" });
    const menu = (await messages("khoa", before.at(-1)?.id ?? 0)).at(-1)!;
    const vi = menu.message!.actions!.flat().find((a) => a.label.includes("Tiếng Việt"))!;
    await post("/sandbox/api/press", { persona: "khoa", payload: vi.payload });
    expect(botText((await messages("khoa")).at(-1)!)).toContain("Đã chuyển sang Tiếng Việt");
  });

  it("moves the clock forward only", async () => {
    const state = (await (await fetch(`${base}/sandbox/api/state`)).json()) as { now: string };
    const tomorrow = new Date(new Date(state.now).getTime() + 26 * 3600_000);
    const local = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Ho_Chi_Minh", dateStyle: "short", timeStyle: "short" }).format(tomorrow).replace(" ", "T");
    const moved = await post("/sandbox/api/clock", { to: local });
    expect(moved.status).toBe(200);
    const after = (await moved.json()) as { now: string };
    expect(new Date(after.now).getTime()).toBeGreaterThan(new Date(state.now).getTime() + 25 * 3600_000);
    expect((await post("/sandbox/api/clock", { to: "2020-01-01T00:00" })).status).toBe(409);
  });

  it("refuses bad requests without touching anything", async () => {
    expect((await post("/sandbox/api/send", { persona: "nobody", text: "/start" })).status).toBe(400);
    expect((await post("/sandbox/api/send", { persona: "secretary", text: "x".repeat(10_000) })).status).toBe(400);
    expect((await post("/sandbox/api/send", { persona: "secretary", text: "   " })).status).toBe(400);
    expect((await post("/sandbox/api/clock", { to: "31/12/2026" })).status).toBe(400);
    // Well formed but not in the calendar: refused, not rolled over to 3 March or the next day.
    const clockBefore = await app.now();
    expect((await post("/sandbox/api/clock", { to: "2027-02-31T10:00" })).status).toBe(400);
    expect((await post("/sandbox/api/clock", { to: "2027-01-05T24:00" })).status).toBe(400);
    expect((await app.now()).getTime() - clockBefore.getTime()).toBeLessThan(60_000);
    expect((await fetch(`${base}/sandbox/api/send`, { method: "POST", body: "not json" })).status).toBe(400);
    expect((await fetch(`${base}/sandbox/api/messages?persona=nobody`)).status).toBe(404);
    expect((await fetch(`${base}/sandbox/api/files/999`)).status).toBe(404);
  });

  it("serves the page UI strings in both languages", async () => {
    const vi = (await (await fetch(`${base}/sandbox/api/ui?lang=vi`)).json()) as { strings: Record<string, unknown> };
    const en = (await (await fetch(`${base}/sandbox/api/ui?lang=en`)).json()) as { strings: Record<string, unknown> };
    expect(vi.strings.send).toBe("Gửi");
    expect(en.strings.send).toBe("Send");
  });
});

describe("sandbox off", () => {
  it("has no clock control and no sandbox page when the sandbox is off", async () => {
    const db = await createTestDatabase();
    const real = await startChibo(loadConfig({ SANDBOX: "0", PORT: "0", HOST: "127.0.0.1" }), {
      database: db,
      logger: pino({ level: "silent" }),
      clock: runningClock(),
    });
    try {
      const url = `http://127.0.0.1:${real.server.port}`;
      expect((await fetch(`${url}/sandbox/api/clock`, { method: "POST", body: "{}" })).status).toBe(404);
      expect((await fetch(`${url}/`)).status).toBe(404);
    } finally {
      await real.stop();
      await db.close();
    }
  });
});
