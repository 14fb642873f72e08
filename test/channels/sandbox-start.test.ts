import { describe, expect, it } from "vitest";
import { entryText, startSandboxApp, type SandboxApp } from "../helpers/sandbox-app.ts";

/**
 * The sandbox started at awkward moments (SANDBOX_START, a wall-clock time in Vietnam): what
 * a member receives depends only on that moment, never on the day the suite runs. The demo
 * branch meets on the 3rd at 19:30; its notice goes 3 days before, a reminder 1 day before
 * (to those who have not answered) and another 2 hours before.
 */
async function withSandbox(start: string, body: (app: SandboxApp) => Promise<void>): Promise<void> {
  const app = await startSandboxApp({ start });
  try {
    await body(app);
  } finally {
    await app.close();
  }
}

const botEntries = async (app: SandboxApp, persona: string) => (await app.transcript(persona)).filter((e) => e.from === "bot");
const texts = async (app: SandboxApp, persona: string) => (await botEntries(app, persona)).map(entryText);

/** What /lichhop answers the member, however many messages it takes. */
async function upcoming(app: SandboxApp): Promise<string> {
  const before = (await app.transcript("hoa")).at(-1)?.id ?? 0;
  await app.post("/sandbox/api/send", { persona: "hoa", text: "/lichhop" });
  return (await app.transcript("hoa", before))
    .filter((e) => e.from === "bot")
    .map(entryText)
    .join("\n");
}

describe("sandbox started at an awkward moment", { timeout: 60_000 }, () => {
  it("the minute before the notice: nothing yet, then the notice at its minute, once", async () => {
    await withSandbox("2026-11-30T19:29", async (app) => {
      expect((await app.now()).toISOString().slice(0, 16)).toBe("2026-11-30T12:29");
      await app.chibo.runDue();
      expect(await botEntries(app, "hoa")).toEqual([]);
      expect((await app.post("/sandbox/api/clock", { to: "2026-11-30T19:31" })).status).toBe(200);
      await app.chibo.runDue();
      const received = await texts(app, "hoa");
      expect(received).toHaveLength(1);
      expect(received[0]).toContain("📢 Thông báo triệu tập");
      expect(received[0]).toContain("03/12/2026");
    });
  });

  it("the 2nd at 23:59, with the notice and the day-before reminder both overdue: one message, not two", async () => {
    await withSandbox("2026-12-02T23:59", async (app) => {
      await app.chibo.runDue();
      await app.chibo.runDue();
      const received = await texts(app, "hoa");
      expect(received).toHaveLength(1);
      expect(received[0]).toContain("📢 Thông báo triệu tập");
      // The 2-hour reminder still comes at its minute.
      expect((await app.post("/sandbox/api/clock", { to: "2026-12-03T17:31" })).status).toBe(200);
      expect(await texts(app, "hoa")).toHaveLength(2);
    });
  });

  it("31 December, late: the January meeting of the new year is noticed and listed", async () => {
    await withSandbox("2026-12-31T23:50", async (app) => {
      await app.chibo.runDue();
      const received = await texts(app, "hoa");
      expect(received).toHaveLength(1);
      expect(received[0]).toContain("03/01/2027");
      expect(await upcoming(app)).toContain("03/01/2027");
    });
  });

  it("the eve of Tết: February's meeting is over, nothing is sent, and March's is next", async () => {
    await withSandbox("2027-02-05T20:00", async (app) => {
      await app.chibo.runDue();
      expect(await botEntries(app, "hoa")).toEqual([]);
      const listed = await upcoming(app);
      expect(listed).toContain("03/03/2027");
      expect(listed).not.toContain("03/02/2027");
    });
  });
});
