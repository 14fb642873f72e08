import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { startChibo } from "../src/main.ts";
import { createTestDatabase } from "./helpers/test-db.ts";
import { runningClock } from "./helpers/fake-clock.ts";

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const dataDir = mkdtempSync(join(tmpdir(), "chibo-main-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm start", () => {
  it("serves the sandbox, then stops cleanly on SIGTERM and releases the data directory", async () => {
    const child = spawn(process.execPath, ["src/main.ts"], {
      env: { ...process.env, DATA_DIR: dataDir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", TELEGRAM_BOT_TOKEN: "", SANDBOX: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no sandbox line within 30 s:\n${output}`)), 30_000);
      child.stdout.on("data", (chunk) => {
        output += chunk;
        const match = /open http:\/\/localhost:(\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.stderr.on("data", (chunk) => (output += chunk));
    });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(await health.json()).toEqual({ ok: true, database: "up" });
    const page = await fetch(`http://127.0.0.1:${port}/`);
    expect(page.headers.get("content-type")).toContain("text/html");

    const exit = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(existsSync(join(dataDir, "chibo.lock"))).toBe(false);
  }, 60_000);

  it("stops Chibo when the stop signal goes to npm itself, releasing the data directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "chibo-npm-start-"));
    // As a person or a service manager does: the signal goes to the npm process they started.
    const npm = spawn("npm", ["start"], {
      env: { ...process.env, DATA_DIR: dir, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", TELEGRAM_BOT_TOKEN: "", SANDBOX: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let output = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no sandbox line within 50 s:\n${output}`)), 50_000);
        const read = (chunk: Buffer) => {
          output += chunk;
          if (/open http:\/\/localhost:\d+/.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        };
        npm.stdout.on("data", read);
        npm.stderr.on("data", read);
      });
      const chiboPid = Number(readFileSync(join(dir, "chibo.lock"), "utf8"));
      expect(chiboPid).not.toBe(npm.pid);
      const exit = new Promise<number | null>((resolve) => npm.on("exit", resolve));
      npm.kill("SIGTERM");
      await exit;
      // Chibo itself has stopped (not only npm): its pid is gone and the lock is released.
      await expect.poll(() => isRunning(chiboPid), { timeout: 15_000 }).toBe(false);
      expect(existsSync(join(dir, "chibo.lock"))).toBe(false);
      expect(output).toContain('"msg":"stopping"');
    } finally {
      npm.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it("refuses to start with an invalid configuration, one line per problem", async () => {
    const child = spawn(process.execPath, ["src/main.ts"], {
      env: { ...process.env, PORT: "not-a-port", DATABASE_URL: "mysql://x" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stderr.on("data", (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(output).toContain("Invalid configuration");
    expect(output).toMatch(/^ {2}- PORT .+$/m);
    expect(output).toMatch(/^ {2}- DATABASE_URL .+$/m);
  }, 30_000);
});

describe("/healthz", () => {
  it("reports the database up, and 503 when it stops answering", async () => {
    const database = await createTestDatabase();
    const chibo = await startChibo(loadConfig({ PORT: "0", HOST: "127.0.0.1", SANDBOX: "0" }), {
      database,
      logger: pino({ level: "silent" }),
      clock: runningClock(),
    });
    try {
      const url = `http://127.0.0.1:${chibo.server.port}/healthz`;
      expect((await fetch(url)).status).toBe(200);
      await database.close();
      const down = await fetch(url);
      expect(down.status).toBe(503);
      expect(await down.json()).toEqual({ ok: false, database: "down" });
    } finally {
      await chibo.stop();
    }
  });
});
