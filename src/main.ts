import type { Hono } from "hono";
import type { Logger } from "pino";
import { features } from "../handlers/index.ts";
import { createNoticeRenderer } from "../handlers/framework/notices.ts";
import { createRouter } from "../handlers/framework/router.ts";
import { createSandboxChannel, SANDBOX_LIMITS } from "./channels/sandbox/channel.ts";
import { createTelegramChannel, WEBHOOK_PATH, type TelegramChannel } from "./channels/telegram/channel.ts";
import { telegramLimits } from "./channels/telegram/limits.ts";
import { createDownloads } from "./channels/downloads.ts";
import type { Channel } from "./channels/types.ts";
import { createZaloChannel, ZALO_WEBHOOK_PATH } from "./channels/zalo/channel.ts";
import { zaloLimits } from "./channels/zalo/limits.ts";
import { loadConfig, ConfigError, type Config } from "./config.ts";
import { AdjustableClock, systemClock } from "./core/clock.ts";
import { OPEN_CHAT_START, parseAddress } from "./core/inbound.ts";
import { createCore } from "./core/index.ts";
import type { Clock, Links, Notifier } from "./core/ports.ts";
import { localDay } from "./core/time.ts";
import { createI18n } from "./i18n.ts";
import { createSender } from "./core/delivery/sender.ts";
import { toLocale } from "./core/locale.ts";
import { createLater } from "./later.ts";
import { createLogger } from "./logger.ts";
import { createNotifications } from "./notifications.ts";
import { createScheduler } from "./scheduler/index.ts";
import { chiboTicks } from "./scheduler/ticks.ts";
import { startServer, type HttpServer } from "./server.ts";
import { openDatabase, type DatabaseHandle } from "./store/client.ts";
import { createStore } from "./store/index.ts";
import { DEMO_BRANCH_NAME, DEMO_PERSONAS, seedDemoBranch } from "./store/seed/demo-branch.ts";

/** How long a file's download link works: the day it is sent, to read it at the evening's meeting. */
const DOWNLOAD_LINK_HOURS = 24;

export interface Chibo {
  server: HttpServer;
  database: DatabaseHandle;
  channels: Channel[];
  /** Runs every scheduled task once and sends what is due: what the next ticks would do, now. */
  runDue(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** An already open database (tests pass an in-memory PGlite); the caller closes it. */
  database?: DatabaseHandle;
  /** Long polling timeout for Telegram, in seconds. */
  telegramPollingTimeout?: number;
  /** Long polling duration for Zalo, in seconds. */
  zaloPollingTimeout?: number;
  /** A clock to run on instead of the system's (tests walk a month of meetings with it). */
  clock?: Clock;
}

/**
 * The composition root: config → database (+ migrations) → core → channels → HTTP →
 * scheduler. Everything started here is stopped by the returned stop(), in reverse order.
 */
export async function startChibo(config: Config, options: StartOptions = {}): Promise<Chibo> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const database =
    options.database ??
    (await openDatabase("url" in config.database ? { driver: "postgres", url: config.database.url } : { driver: "pglite", dataDir: config.database.dataDir }));
  // A database passed in belongs to the caller, who closes it.
  const stops: Array<() => Promise<void>> = options.database ? [] : [() => database.close()];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch((error: unknown) => logger.error({ err: error }, "shutdown step failed"));
  };
  try {
    await database.migrate();
    logger.info({ driver: database.driver }, "database ready");

    // The sandbox's clock can be moved forward for demos; a real bot always runs on the system clock.
    const sandboxClock = config.sandbox ? new AdjustableClock(config.sandboxStart) : undefined;
    const clock = sandboxClock ?? options.clock ?? systemClock;
    const store = createStore(database.db);
    const i18n = await createI18n();
    const channels: Channel[] = [];
    const notifier: Notifier = {
      async send(address, message) {
        const channel = channels.find((c) => c.name === parseAddress(address)?.channel);
        if (!channel) return { ok: false, reason: "unreachable", detail: `no channel for ${address}` };
        return channel.send(address, message);
      },
      async edit(address, externalMessageId, message) {
        const channel = channels.find((c) => c.name === parseAddress(address)?.channel);
        if (!channel?.edit) return { ok: false, reason: "rejected", detail: `no edits on ${address}` };
        return channel.edit(address, externalMessageId, message);
      },
      isGroup: (address) => channels.find((c) => c.name === parseAddress(address)?.channel)?.isGroup(address) ?? false,
    };
    const renderNotice = createNoticeRenderer(features);
    const notifications = createNotifications({ i18n, notifier, render: renderNotice, logger });
    // Deep links exist once the Telegram bot knows its username (after start).
    let telegram: TelegramChannel | undefined;
    const links: Links = { startLink: (code) => telegram?.startLink(code), openChat: () => telegram?.startLink(OPEN_CHAT_START) };
    // A burst of replies refreshes a group's notice once: a few seconds keep edits within Telegram's per-group limit.
    const later = createLater({ delayMs: 5000, logger });
    stops.push(() => later.stop());
    const core = createCore({ store, clock, notifications, links, later, timezone: config.defaultTimezone });
    const router = createRouter(features, { core, i18n, logger, databaseUp: () => database.ping(), onHandled: () => sender.wake() });
    const setup = await core.access.ensureSetupCode();
    if (setup) logger.warn({ expiresAt: setup.expiresAt.toISOString() }, setupCodeLine(setup.code, Boolean(sandboxClock)));
    const sender = createSender(
      {
        outbox: { claim: store.outbox.claim, record: store.outbox.record },
        clock,
        leaseClock: systemClock,
        notifier,
        render: (notice, locale) => renderNotice(notice, i18n.t(toLocale(locale)), toLocale(locale)),
        onUnreachable: async (message) => void (await core.delivery.reportUnreachable(message)),
        log: (event, data) => logger.warn(data, `delivery: ${event}`),
      },
      {
        // Each channel's own limits, as its adapter declares them.
        limits: { telegram: telegramLimits(config.telegram), zalo: zaloLimits(config.zalo), sandbox: SANDBOX_LIMITS },
      },
    );
    const scheduler = createScheduler(chiboTicks(core, sender), logger);
    const mounts: Array<(app: Hono) => void> = [];

    if (config.telegram.token) {
      telegram = createTelegramChannel({
        token: config.telegram.token,
        apiRoot: config.telegram.apiRoot,
        webhook: config.telegram.webhook,
        router,
        i18n,
        logger: logger.child({ channel: "telegram" }),
        databaseUp: () => database.ping(),
        onGroupMoved: (from, to) => core.branches.groupMoved(from, to),
        onRemovedFromGroup: (chat) => core.branches.groupLeft(chat),
        paidBroadcast: config.telegram.paidBroadcast,
        rateLimit: config.telegram.rateLimit,
        ...(options.telegramPollingTimeout ? { pollingTimeout: options.telegramPollingTimeout } : {}),
      });
      const handler = telegram.webhookHandler;
      if (handler) mounts.push((app) => app.post(WEBHOOK_PATH, (c) => handler(c)));
      channels.push(telegram);
    }
    // Files a channel cannot send itself (Zalo takes pictures by URL, documents not at all) are
    // offered as short-lived links on Chibo's public address, signed with the webhook secret.
    const publicUrl = config.zalo.webhook?.publicUrl;
    const downloads = createDownloads({ store, clock, publicUrl, secret: config.zalo.webhook?.secret ?? "", ttlMs: DOWNLOAD_LINK_HOURS * 3600_000 });
    if (downloads.enabled) mounts.push(downloads.mount);
    if (config.zalo.token) {
      const zalo = createZaloChannel({
        token: config.zalo.token,
        apiRoot: config.zalo.apiRoot,
        webhook: config.zalo.webhook,
        router,
        i18n,
        logger: logger.child({ channel: "zalo" }),
        databaseUp: () => database.ping(),
        inbox: {
          receive: (key, update) => store.inbox.receive("zalo", key, update, clock.now()),
          pending: () => store.inbox.pending("zalo"),
          handled: (id) => store.inbox.handled("zalo", id),
        },
        offerChoices: (to, payloads) => core.choices.offer(to, payloads),
        recentChoices: (to) => core.choices.recent(to),
        files: downloads.enabled ? { link: downloads.link, hours: DOWNLOAD_LINK_HOURS } : undefined,
        groups: config.zalo.groups,
        rateLimit: config.zalo.rateLimit,
        ...(options.zaloPollingTimeout ? { pollingTimeout: options.zaloPollingTimeout } : {}),
      });
      const handler = zalo.webhookHandler;
      if (handler) mounts.push((app) => app.post(ZALO_WEBHOOK_PATH, (c) => handler(c)));
      channels.push(zalo);
    }
    if (sandboxClock) {
      const today = localDay(clock.now(), config.defaultTimezone);
      const seeded = await seedDemoBranch(database.db, { today, timezone: config.defaultTimezone });
      if (seeded.created) logger.info({ branch: DEMO_BRANCH_NAME }, "sandbox: demo branch created");
      const sandbox = createSandboxChannel({
        router,
        i18n,
        clock: sandboxClock,
        personas: DEMO_PERSONAS,
        branchName: DEMO_BRANCH_NAME,
        timezone: config.defaultTimezone,
        logger: logger.child({ channel: "sandbox" }),
        offerChoices: (to, payloads) => core.choices.offer(to, payloads),
        recentChoices: (to) => core.choices.recent(to),
        advanceClock: async (target) => {
          // Stop at each moment something falls due, so every reminder is sent at its minute.
          for (let step = 0; step < 1000; step++) {
            const next = await core.planner.nextEventAfter(sandboxClock.now(), target);
            sandboxClock.advanceTo(next ?? target);
            await scheduler.runAll();
            await sender.drain();
            if (!next) break;
          }
        },
        currentLocales: () => store.people.localesOnChannel("sandbox"),
        // What a persona's action queued for others (a join request for the secretary) shows at once.
        afterHandling: async () => void (await sender.drain()),
        nextMoments: () => core.planner.nextMoments(seeded.branchId),
      });
      mounts.push(sandbox.mount);
      channels.push(sandbox);
    }

    const server = await startServer({ port: config.http.port, host: config.http.host, logger, ping: () => database.ping(), mount: mounts });
    stops.push(() => server.close());
    for (const channel of channels) {
      await channel.start();
      stops.push(() => channel.stop());
    }
    scheduler.start();
    stops.push(() => scheduler.stop());
    sender.start();
    stops.push(() => sender.stop());
    // Meetings of the rule exist from the first start (later, the hourly tick keeps them coming).
    await core.planner.ensureOccurrences();
    if (sandboxClock) logger.info(`sandbox: open http://localhost:${server.port} to talk to Chibo`);
    if (channels.length === 0) logger.warn("no channel is configured: set TELEGRAM_BOT_TOKEN or ZALO_BOT_TOKEN, or SANDBOX=1 for the local web chat");
    const runDue = async () => {
      await scheduler.runAll();
      await sender.drain();
    };
    return { server, database, channels, runDue, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The operator's first step, as the log tells it. The sandbox already has an admin persona,
 * so there the code only matters for making a real Telegram or Zalo account the admin.
 */
function setupCodeLine(code: string, sandbox: boolean): string {
  const validity = "(single use, valid 7 days)";
  if (!sandbox) return `setup: no admin yet. Send "/start ${code}" to the bot to become the admin of this Chibo ${validity}.`;
  const admin = DEMO_PERSONAS.find((p) => p.kind === "admin")?.name ?? "admin";
  return (
    `setup: in the sandbox the persona "${admin}" is already the admin; nothing to do there. ` +
    `This code is for a real chat channel (Telegram or Zalo): send "/start ${code}" to the bot there to become the admin of this Chibo ${validity}.`
  );
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  // Listening before anything starts: a stop signal during start-up (PGlite opening, the
  // migrations) must still close the database and release the data directory, not kill
  // the process half-way.
  let chibo: Chibo | undefined;
  let stopSignal: string | undefined;
  const shutdown = async (signal: string) => {
    if (stopSignal) return;
    stopSignal = signal;
    logger.info({ signal }, "stopping");
    if (!chibo) return; // start-up sees the signal and stops once it is done
    await chibo.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // Last line of defence: log and keep serving; the handlers already catch per update.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection"));
  try {
    chibo = await startChibo(config, { logger });
  } catch (error) {
    logger.fatal({ err: error }, error instanceof Error ? error.message : "start failed");
    process.exit(1);
  }
  if (stopSignal) {
    await chibo.stop();
    process.exit(0);
  }
}

if (import.meta.main) await main();
