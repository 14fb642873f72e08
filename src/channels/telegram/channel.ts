import { timingSafeEqual } from "node:crypto";
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot, GrammyError, type Context } from "grammy";
import type { Update } from "grammy/types";
import type { Context as HonoContext } from "hono";
import type { Logger } from "pino";
import type { DispatchOutcome, Router } from "../../../handlers/framework/router.ts";
import type { ReplyTransport } from "../../../handlers/framework/context.ts";
import { LOCALES } from "../../core/locale.ts";
import type { I18n } from "../../i18n.ts";
import type { Channel } from "../types.ts";
import { createChatQueue, handleBatch } from "../updates.ts";
import { address } from "../../core/inbound.ts";
import { toInbound } from "./inbound.ts";
import { DEFAULT_RATE_LIMIT, isTelegramGroup, TELEGRAM_CAPABILITIES, telegramLimits } from "./limits.ts";
import { createTelegramNotifier, editTelegramMessage, sendTelegramMessage } from "./notifier.ts";
import { startPolling, type Polling } from "./polling.ts";

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  /** Webhook mode when set; long polling otherwise. */
  webhook?: { publicUrl: string; secret: string } | undefined;
  router: Router;
  i18n: I18n;
  logger: Logger;
  /** Whether the database answers: while it does not, updates are left with Telegram. */
  databaseUp(): Promise<boolean>;
  /** Messages per second for the whole bot (TELEGRAM_RATE_LIMIT). */
  rateLimit?: number;
  /** Long polling timeout in seconds (Telegram's default 30; tests use less). */
  pollingTimeout?: number;
  /** Upper bound for waiting on a 429 before giving up on an interactive reply. */
  maxRetryDelaySeconds?: number;
  /** Telegram's paid broadcast mode for proactive messages (allow_paid_broadcast). */
  paidBroadcast?: boolean;
  /** A group became a supergroup and got a new chat id. */
  onGroupMoved(from: string, to: string): Promise<unknown>;
  /** The bot was removed from a group. */
  onRemovedFromGroup(chat: string): Promise<unknown>;
}

export const WEBHOOK_PATH = "/telegram/webhook";
const ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"] as const;

export interface TelegramChannel extends Channel {
  bot: Bot;
  /** The handler for POST /telegram/webhook (webhook mode only). */
  webhookHandler: ((c: HonoContext) => Promise<Response>) | undefined;
  /** t.me link that opens the bot with a start code; undefined before the bot knows its username. */
  startLink(code: string): string | undefined;
}

/** The chat an update belongs to, for answering each chat's updates in order. */
function chatOf(update: Update): string {
  const chat = update.message?.chat ?? update.callback_query?.message?.chat ?? update.my_chat_member?.chat;
  const from = update.callback_query?.from ?? update.message?.from;
  return String(chat?.id ?? from?.id ?? update.update_id);
}

export function createTelegramChannel(options: TelegramOptions): TelegramChannel {
  const { router, logger } = options;
  const bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } });
  // Waits out short 429s for interactive replies instead of failing them; long ones give up.
  bot.api.config.use(autoRetry({ maxDelaySeconds: options.maxRetryDelaySeconds ?? 30, maxRetryAttempts: 3 }));

  // What each update came to; set by the last middleware, read by whoever fed the update in.
  const outcomes = new WeakMap<Update, DispatchOutcome>();

  /** Group life events keep the branch's group link right; they are not messages to answer. */
  async function settle(ctx: Context, job: () => Promise<unknown>): Promise<void> {
    try {
      await job();
      outcomes.set(ctx.update, "handled");
    } catch (error) {
      const up = await options.databaseUp();
      if (up) logger.error({ err: error, updateId: ctx.update.update_id }, "telegram: group event failed");
      outcomes.set(ctx.update, up ? "handled" : "unavailable");
    }
  }
  bot.on("message:migrate_to_chat_id", (ctx) =>
    settle(ctx, () => options.onGroupMoved(address("telegram", ctx.chat.id), address("telegram", ctx.message.migrate_to_chat_id))),
  );
  bot.on("my_chat_member", async (ctx, next) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (ctx.chat.type !== "private" && (status === "left" || status === "kicked"))
      return settle(ctx, () => options.onRemovedFromGroup(address("telegram", ctx.chat.id)));
    await next();
  });
  bot.use(async (ctx) => {
    const inbound = toInbound(ctx.update, ctx.me.username, (fileId) => download(fileId));
    if (!inbound) return;
    let answered = false;
    const transport: ReplyTransport = {
      capabilities: TELEGRAM_CAPABILITIES,
      send: async (message) => {
        if (ctx.chat) await sendTelegramMessage(bot.api, ctx.chat.id, message);
      },
      edit: async (messageId, message) => {
        if (!ctx.chat) return false;
        try {
          return await editTelegramMessage(bot.api, ctx.chat.id, messageId, message);
        } catch (error) {
          // Too old to edit, or deleted meanwhile: the router sends it anew.
          if (error instanceof GrammyError && error.error_code === 400) return false;
          throw error;
        }
      },
      toast: async (text, extra = {}) => {
        if (!ctx.callbackQuery || answered) return;
        answered = true;
        await ctx.answerCallbackQuery({ text: text.slice(0, 200), ...(extra.url ? { url: extra.url } : {}) });
      },
      sendPrivately: async (message) => {
        if (!ctx.from) return false;
        try {
          await sendTelegramMessage(bot.api, ctx.from.id, message);
          return true;
        } catch (error) {
          // 403: the person never opened a chat with the bot, or blocked it.
          if (error instanceof GrammyError && (error.error_code === 403 || error.error_code === 400)) return false;
          throw error;
        }
      },
    };
    try {
      const outcome = await router.dispatch(inbound, transport, { updateId: ctx.update.update_id });
      if (outcome === "duplicate") logger.info({ updateId: ctx.update.update_id }, "skipping a redelivered update");
      outcomes.set(ctx.update, outcome);
    } finally {
      // A pressed button shows a spinner until answered; always stop it.
      if (ctx.callbackQuery && !answered) await ctx.answerCallbackQuery().catch(() => {});
    }
  });
  // The router already catches handler errors; this catches the rest (e.g. a failed spinner stop).
  bot.catch((error) => {
    logger.error({ err: error.error, updateId: error.ctx.update.update_id }, "telegram update failed");
  });

  /** Runs one update through the middleware; what became of it decides whether Telegram may forget it. */
  async function handle(update: Update): Promise<DispatchOutcome> {
    await bot.handleUpdate(update);
    return outcomes.get(update) ?? "handled";
  }

  const push = createTelegramNotifier({ token: options.token, apiRoot: options.apiRoot, ...(options.paidBroadcast ? { paidBroadcast: true } : {}) });

  /** Downloads a file someone sent, through the same API root (a self-hosted server or a fake). */
  async function download(fileId: string): Promise<Uint8Array> {
    const file = await bot.api.getFile(fileId);
    if (!file.file_path) throw new Error("Telegram gave no file path");
    const response = await fetch(`${options.apiRoot}/file/bot${options.token}/${file.file_path}`);
    if (!response.ok) throw new Error(`file download failed: ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  let polling: Polling | undefined;

  async function setCommands(): Promise<void> {
    for (const locale of LOCALES) {
      const t = options.i18n.t(locale);
      const commands = router.menuCommands.map((command) => ({ command, description: t(`commands:${command}`) }));
      // Vietnamese is the default menu; English for clients set to English.
      await bot.api.setMyCommands(commands, locale === "vi" ? {} : { language_code: locale });
    }
  }

  /**
   * Webhook mode: Telegram posts each update and waits for the answer. 200 once it is handled
   * and stored; 503 while the database does not answer, so Telegram delivers it again later.
   */
  function webhookHandler(secret: string): (c: HonoContext) => Promise<Response> {
    const expected = Buffer.from(secret);
    const queue = createChatQueue();
    return async (c) => {
      const given = Buffer.from(c.req.header("x-telegram-bot-api-secret-token") ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return c.text("secret token mismatch", 401);
      const update = (await c.req.json().catch(() => undefined)) as Update | undefined;
      // Nothing to handle, and nothing to gain from Telegram sending it again.
      if (!update || typeof update.update_id !== "number") return c.text("not an update", 200);
      const outcome = await queue.run(chatOf(update), () => handle(update).catch((): DispatchOutcome => "unavailable"));
      return outcome === "unavailable" ? c.text("database unavailable, send again later", 503) : c.text("ok", 200);
    };
  }

  return {
    name: "telegram",
    bot,
    startLink: (code) => (bot.isInited() ? `https://t.me/${bot.botInfo.username}?start=${code}` : undefined),
    webhookHandler: options.webhook ? webhookHandler(options.webhook.secret) : undefined,
    async start() {
      await bot.init();
      await setCommands();
      if (options.webhook) {
        await bot.api.setWebhook(`${options.webhook.publicUrl}${WEBHOOK_PATH}`, {
          secret_token: options.webhook.secret,
          allowed_updates: [...ALLOWED_UPDATES],
        });
        logger.info({ username: bot.botInfo.username }, "telegram: webhook mode");
        return;
      }
      // getUpdates is refused while a webhook is set (e.g. left over from an earlier deployment).
      await bot.api.deleteWebhook();
      polling = startPolling({
        api: bot.api,
        timeoutSeconds: options.pollingTimeout ?? 30,
        allowedUpdates: ALLOWED_UPDATES,
        handleBatch: (updates) => handleBatch(updates, chatOf, handle),
        databaseUp: options.databaseUp,
        logger,
      });
      logger.info({ username: bot.botInfo.username }, "telegram: long polling");
    },
    async stop() {
      await polling?.stop();
    },
    limits: telegramLimits({ rateLimit: options.rateLimit ?? DEFAULT_RATE_LIMIT, paidBroadcast: options.paidBroadcast ?? false }),
    isGroup: isTelegramGroup,
    capabilities: () => TELEGRAM_CAPABILITIES,
    send: (address, message) => push.send(address, message),
    edit: (address, externalMessageId, message) => push.edit!(address, externalMessageId, message),
  };
}
