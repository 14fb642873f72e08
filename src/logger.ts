import pino, { type Logger } from "pino";

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { app: "chibo" },
    // Tokens must never reach a log line, wherever they appear in a logged object.
    redact: { paths: ["token", "*.token", "config.telegram.token", "config.zalo.token", "headers.authorization"], censor: "[redacted]" },
  });
}
