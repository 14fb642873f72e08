import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/client.ts";
import { lockDataDir } from "../../src/store/data-dir-lock.ts";

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "chibo-lock-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Runs `npm start`'s entry point as a separate process and collects what it says. */
function startSecondProcess(dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["src/main.ts"], {
      env: { ...process.env, DATA_DIR: dataDir, SANDBOX: "1", PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("PGlite data directory", () => {
  it("refuses a second process with a clear message while the first one runs", async () => {
    const dir = tempDir();
    const first = await openDatabase({ driver: "pglite", dataDir: dir });
    try {
      const second = await startSecondProcess(dir);
      expect(second.code).toBe(1);
      expect(second.output).toContain(`already in use by another Chibo process (pid ${process.pid})`);
    } finally {
      await first.close();
    }
  }, 40_000);

  it("is free again once the first process has closed it", async () => {
    const dir = tempDir();
    const first = await openDatabase({ driver: "pglite", dataDir: dir });
    await first.close();
    const again = await openDatabase({ driver: "pglite", dataDir: dir });
    await again.close();
  });

  it("takes over a lock left behind by a process that died", () => {
    const dir = tempDir();
    // A pid far above any real one on this machine stands for a crashed process.
    writeFileSync(join(dir, "chibo.lock"), "999999999");
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, "chibo.lock"), "utf8")).toBe(String(process.pid));
    release();
    expect(existsSync(join(dir, "chibo.lock"))).toBe(false);
  });
});
