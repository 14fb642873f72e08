import { z } from "zod";
import { isValidTimeZone, zonedInstant } from "./core/time.ts";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const flag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""])
  .transform((v) => (v === "" ? undefined : ["1", "true", "yes", "on"].includes(v)))
  .optional();

const url = (what: string) => optionalString.refine((v) => v === undefined || URL.canParse(v), { message: `must be a URL (${what})` });

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const isTime = (value: string) => !Number.isNaN(Date.parse(value));

const schema = z.object({
  TELEGRAM_BOT_TOKEN: optionalString.refine((v) => v === undefined || /^\d+:[\w-]{20,}$/.test(v) || /^\d+:TEST/.test(v), {
    message: "does not look like a BotFather token (digits, a colon, then the secret)",
  }),
  TELEGRAM_API_ROOT: url("e.g. https://api.telegram.org").default("https://api.telegram.org"),
  // Telegram allows about 30 messages a second per bot; stay a little under it.
  TELEGRAM_RATE_LIMIT: z.coerce.number().positive().max(1000).default(28),
  // Telegram's paid broadcast mode (up to 1000 messages a second, paid in Stars).
  TELEGRAM_PAID_BROADCAST: flag,
  ZALO_BOT_TOKEN: optionalString,
  ZALO_API_ROOT: url("e.g. https://bot-api.zaloplatforms.com").default("https://bot-api.zaloplatforms.com"),
  // Zalo publishes no send limit; see src/channels/zalo/limits.ts for why 10.
  ZALO_RATE_LIMIT: z.coerce.number().positive().max(1000).default(10),
  // Zalo groups are in beta (the bot sees only mentions of it): linking one to a branch is opt-in.
  ZALO_GROUPS: flag,
  DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
    message: "must start with postgres:// or postgresql://",
  }),
  DATA_DIR: optionalString.default("./data"),
  // 0 asks the system for a free port (tests).
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: optionalString.default("0.0.0.0"),
  PUBLIC_URL: url("the https address Telegram can reach, e.g. https://chibo.example.vn").refine((v) => v === undefined || v.startsWith("https://"), {
    message: "must start with https:// (Telegram and Zalo only call https webhooks)",
  }),
  WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{16,256}$/.test(v), {
    message: "must be 16–256 characters of A-Z, a-z, 0-9, _ and -",
  }),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SANDBOX: flag,
  // Where the sandbox clock starts: a wall-clock time in DEFAULT_TIMEZONE ("2026-12-02T19:00")
  // or an instant with its offset ("2026-12-02T12:00:00Z"). Default: now.
  SANDBOX_START: optionalString.refine((v) => v === undefined || (LOCAL_TIME.test(v) && isTime(`${v}Z`)) || (INSTANT.test(v) && isTime(v)), {
    message: "must be a local time like 2026-12-02T19:00 or an instant like 2026-12-02T12:00:00Z",
  }),
  DEFAULT_TIMEZONE: optionalString.default("Asia/Ho_Chi_Minh").refine(isValidTimeZone, { message: "is not a known IANA timezone (e.g. Asia/Ho_Chi_Minh)" }),
});

export interface Config {
  telegram: {
    token: string | undefined;
    apiRoot: string;
    webhook: { publicUrl: string; secret: string } | undefined;
    /** Proactive messages per second (the send budget). */
    rateLimit: number;
    paidBroadcast: boolean;
  };
  zalo: {
    token: string | undefined;
    apiRoot: string;
    /** Webhook mode when set (the same PUBLIC_URL and WEBHOOK_SECRET as Telegram's); long polling otherwise. */
    webhook: { publicUrl: string; secret: string } | undefined;
    rateLimit: number;
    /** Whether a Zalo group may be linked to a branch. */
    groups: boolean;
  };
  database: { url: string } | { dataDir: string };
  dataDir: string;
  http: { port: number; host: string };
  logLevel: z.infer<typeof schema>["LOG_LEVEL"];
  /** The local web chat with a demo branch and a movable clock; never on when a real bot runs unless asked. */
  sandbox: boolean;
  /** The instant the sandbox clock starts at; undefined = now. Tests always set it. */
  sandboxStart: Date | undefined;
  defaultTimezone: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Parses the environment once; every problem is reported, one line each, before anything starts. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`);
  // Checked on the raw values so it is reported together with the field errors.
  if (env.PUBLIC_URL?.trim() && !env.WEBHOOK_SECRET?.trim()) problems.push("WEBHOOK_SECRET is required when PUBLIC_URL is set (webhook mode)");
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  const e = parsed.data;
  const anyToken = Boolean(e.TELEGRAM_BOT_TOKEN || e.ZALO_BOT_TOKEN);
  const webhook = e.PUBLIC_URL && e.WEBHOOK_SECRET ? { publicUrl: e.PUBLIC_URL.replace(/\/+$/, ""), secret: e.WEBHOOK_SECRET } : undefined;
  return {
    telegram: {
      token: e.TELEGRAM_BOT_TOKEN,
      apiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
      webhook,
      rateLimit: e.TELEGRAM_RATE_LIMIT,
      paidBroadcast: e.TELEGRAM_PAID_BROADCAST ?? false,
    },
    zalo: { token: e.ZALO_BOT_TOKEN, apiRoot: e.ZALO_API_ROOT.replace(/\/+$/, ""), webhook, rateLimit: e.ZALO_RATE_LIMIT, groups: e.ZALO_GROUPS ?? false },
    database: e.DATABASE_URL ? { url: e.DATABASE_URL } : { dataDir: e.DATA_DIR },
    dataDir: e.DATA_DIR,
    http: { port: e.PORT, host: e.HOST },
    logLevel: e.LOG_LEVEL,
    sandbox: e.SANDBOX ?? !anyToken,
    sandboxStart: sandboxStart(e.SANDBOX_START, e.DEFAULT_TIMEZONE),
    defaultTimezone: e.DEFAULT_TIMEZONE,
  };
}

function sandboxStart(value: string | undefined, timezone: string): Date | undefined {
  if (value === undefined) return undefined;
  if (!LOCAL_TIME.test(value)) return new Date(value);
  const [day, time] = value.split("T") as [string, string];
  return zonedInstant(day, time, timezone);
}
