import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { startChibo } from "../../src/main.ts";
import { runningClock, TEST_START } from "../helpers/fake-clock.ts";
import { createTestDatabase } from "../helpers/test-db.ts";

/** The log lines of an app started on a fresh database, in the given mode. */
async function firstStartLog(env: Record<string, string>): Promise<string[]> {
  const lines: string[] = [];
  const logger = pino({ level: "info" }, new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) }));
  const database = await createTestDatabase();
  const chibo = await startChibo(loadConfig({ PORT: "0", HOST: "127.0.0.1", ...env }), { database, logger, clock: runningClock() });
  try {
    return lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
  } finally {
    await chibo.stop();
    await database.close();
  }
}

describe("the setup code in the log", () => {
  it("in the sandbox, says the admin persona is already admin and the code is for a real chat channel", async () => {
    const log = await firstStartLog({ SANDBOX: "1", SANDBOX_START: TEST_START.toISOString() });
    const setup = log.filter((line) => line.startsWith("setup:"));
    expect(setup).toHaveLength(1);
    expect(setup[0]).toContain('the persona "Đinh Quang Tuấn" is already the admin');
    expect(setup[0]).toContain("for a real chat channel (Telegram or Zalo)");
    expect(setup[0]).toMatch(/send "\/start [A-Z0-9]{12}" to the bot there/);
    expect(setup[0]).not.toContain("no admin yet");
  });

  it("without the sandbox, tells the operator to send the code to the bot", async () => {
    const log = await firstStartLog({ SANDBOX: "0" });
    const setup = log.filter((line) => line.startsWith("setup:"));
    expect(setup).toHaveLength(1);
    expect(setup[0]).toMatch(/^setup: no admin yet\. Send "\/start [A-Z0-9]{12}" to the bot/);
  });
});
