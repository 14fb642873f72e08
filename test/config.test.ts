import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
};

describe("config", () => {
  it("defaults to the sandbox on PGlite in ./data when nothing is set", () => {
    const config = loadConfig({});
    expect(config.sandbox).toBe(true);
    expect(config.database).toEqual({ dataDir: "./data" });
    expect(config.http.port).toBe(3000);
    expect(config.telegram.apiRoot).toBe("https://api.telegram.org");
    expect(config.defaultTimezone).toBe("Asia/Ho_Chi_Minh");
  });

  it("runs the real bot without the sandbox when a token is set, unless asked", () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwx" }).sandbox).toBe(false);
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwx", SANDBOX: "1" }).sandbox).toBe(true);
    expect(loadConfig({ SANDBOX: "0" }).sandbox).toBe(false);
  });

  it("uses PostgreSQL when DATABASE_URL is set, and a custom Bot API root", () => {
    const config = loadConfig({ DATABASE_URL: "postgres://u:p@db:5432/chibo", TELEGRAM_API_ROOT: "http://127.0.0.1:8081/" });
    expect(config.database).toEqual({ url: "postgres://u:p@db:5432/chibo" });
    expect(config.telegram.apiRoot).toBe("http://127.0.0.1:8081");
  });

  it("enables webhook mode with PUBLIC_URL and WEBHOOK_SECRET", () => {
    const config = loadConfig({ PUBLIC_URL: "https://chibo.example.vn/", WEBHOOK_SECRET: "s3cret-s3cret-s3cret" });
    expect(config.telegram.webhook).toEqual({ publicUrl: "https://chibo.example.vn", secret: "s3cret-s3cret-s3cret" });
  });

  it("reports every problem at once, one line each, naming the variable", () => {
    const found = problems({
      PORT: "http",
      DATABASE_URL: "mysql://x",
      TELEGRAM_BOT_TOKEN: "not-a-token",
      LOG_LEVEL: "loud",
      PUBLIC_URL: "http://insecure.example",
      DEFAULT_TIMEZONE: "Mars/Olympus",
      SANDBOX: "maybe",
    });
    expect(found).toHaveLength(8);
    for (const name of ["PORT", "DATABASE_URL", "TELEGRAM_BOT_TOKEN", "LOG_LEVEL", "PUBLIC_URL", "WEBHOOK_SECRET", "DEFAULT_TIMEZONE", "SANDBOX"]) {
      expect(found.some((line) => line.startsWith(name))).toBe(true);
    }
    for (const line of found) expect(line).not.toContain("\n");
  });

  it("starts the sandbox clock where SANDBOX_START says, in the default timezone or as an instant", () => {
    expect(loadConfig({}).sandboxStart).toBeUndefined();
    expect(loadConfig({ SANDBOX_START: "2026-12-02T23:59" }).sandboxStart?.toISOString()).toBe("2026-12-02T16:59:00.000Z");
    expect(loadConfig({ SANDBOX_START: "2026-12-02T23:59", DEFAULT_TIMEZONE: "Europe/Paris" }).sandboxStart?.toISOString()).toBe("2026-12-02T22:59:00.000Z");
    expect(loadConfig({ SANDBOX_START: "2026-12-31T17:00:00Z" }).sandboxStart?.toISOString()).toBe("2026-12-31T17:00:00.000Z");
    for (const bad of ["tomorrow", "02/12/2026 19:00", "2026-12-02", "2026-13-40T10:00"]) {
      expect(problems({ SANDBOX_START: bad }), bad).toEqual([expect.stringMatching(/^SANDBOX_START /)]);
    }
  });

  it("treats empty variables as unset (as .env files leave them)", () => {
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: "", DATABASE_URL: "", SANDBOX: "" }).sandbox).toBe(true);
  });
});
