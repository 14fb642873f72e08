import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { Bot, webhookCallback, type Context } from "grammy";
import type { Logger } from "pino";
import type { Router } from "../../../handlers/framework/router.ts";
import type { ReplyTransport } from "../../../handlers/framework/context.ts";
import { LOCALES } from "../../core/locale.ts";
import type { I18n } from "../../i18n.ts";
import type { Channel } from "../types.ts";
import { toInbound } from "./inbound.ts";
import { createTelegramNotifier, sendTelegramMessage } from "./notifier.ts";

export interface TelegramOptions {
  token: string;
  apiRoot: string;
  /** Webhook mode when set; long polling otherwise. */
  webhook?: { publicUrl: string; secret: string } | undefined;
  router: Router;
  i18n: I18n;
  logger: Logger;
  /** Remembers an update id; false for a redelivery. */
  markProcessed(updateId: number): Promise<boolean>;
  /** Long polling timeout in seconds (Telegram's default 30; tests use less). */
  pollingTimeout?: number;
  /** Upper bound for waiting on a 429 before giving up on an interactive reply. */
  maxRetryDelaySeconds?: number;
  /** Telegram's paid broadcast mode for proactive messages (allow_paid_broadcast). */
  paidBroadcast?: boolean;
  /** A group became a supergroup and got a new chat id. */
  onGroupMigrated(from: number, to: number): Promise<unknown>;
  /** The bot was removed from a group. */
  onRemovedFromGroup(chatId: number): Promise<unknown>;
}

export const WEBHOOK_PATH = "/telegram/webhook";

export interface TelegramChannel extends Channel {
  bot: Bot;
  /** The Hono-compatible handler for POST /telegram/webhook (webhook mode only). */
  webhookHandler: ((c: unknown) => Promise<Response>) | undefined;
  /** t.me link that opens the bot with a start code; undefined before the bot knows its username. */
  startLink(code: string): string | undefined;
}

export function createTelegramChannel(options: TelegramOptions): TelegramChannel {
  const { router, logger } = options;
  const bot = new Bot(options.token, { client: { apiRoot: options.apiRoot } });
  // Waits out short 429s for interactive replies instead of failing them; long ones give up.
  bot.api.config.use(autoRetry({ maxDelaySeconds: options.maxRetryDelaySeconds ?? 30, maxRetryAttempts: 3 }));

  // Updates of one chat are handled one after another, so replies keep their order and a
  // person's dialog state is never read and written by two updates at once.
  bot.use(sequentialize((ctx: Context) => ctx.chat?.id.toString() ?? ctx.from?.id.toString()));
  bot.use(async (ctx, next) => {
    if (!(await options.markProcessed(ctx.update.update_id))) {
      logger.info({ updateId: ctx.update.update_id }, "skipping a redelivered update");
      return;
    }
    await next();
  });
  // Group life events are not messages to answer: they keep the branch's group link right.
  bot.on("message:migrate_to_chat_id", async (ctx) => {
    await options.onGroupMigrated(ctx.chat.id, ctx.message.migrate_to_chat_id);
  });
  bot.on("my_chat_member", async (ctx, next) => {
    const status = ctx.myChatMember.new_chat_member.status;
    if (ctx.chat.type !== "private" && (status === "left" || status === "kicked")) await options.onRemovedFromGroup(ctx.chat.id);
    await next();
  });
  bot.use(async (ctx) => {
    const inbound = toInbound(ctx.update, ctx.me.username, (fileId) => download(fileId));
    if (!inbound) return;
    let answered = false;
    const transport: ReplyTransport = {
      send: async (message) => {
        if (ctx.chat) await sendTelegramMessage(bot.api, ctx.chat.id, message);
      },
      toast: async (text) => {
        if (!ctx.callbackQuery || answered) return;
        answered = true;
        await ctx.answerCallbackQuery({ text: text.slice(0, 200) });
      },
    };
    try {
      await router.dispatch(inbound, transport);
    } finally {
      // A pressed button shows a spinner until answered; always stop it.
      if (ctx.callbackQuery && !answered) await ctx.answerCallbackQuery().catch(() => {});
    }
  });
  // The router already catches handler errors; this catches the rest (e.g. a failed reply).
  bot.catch((error) => {
    logger.error({ err: error.error, updateId: error.ctx.update.update_id }, "telegram update failed");
  });

  const push = createTelegramNotifier({ token: options.token, apiRoot: options.apiRoot, ...(options.paidBroadcast ? { paidBroadcast: true } : {}) });

  /** Downloads a file someone sent, through the same API root (a self-hosted server or a fake). */
  async function download(fileId: string): Promise<Uint8Array> {
    const file = await bot.api.getFile(fileId);
    if (!file.file_path) throw new Error("Telegram gave no file path");
    const response = await fetch(`${options.apiRoot}/file/bot${options.token}/${file.file_path}`);
    if (!response.ok) throw new Error(`file download failed: ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  let runner: RunnerHandle | undefined;

  async function setCommands(): Promise<void> {
    for (const locale of LOCALES) {
      const t = options.i18n.t(locale);
      const commands = router.menuCommands.map((command) => ({ command, description: t(`commands:${command}`) }));
      // Vietnamese is the default menu; English for clients set to English.
      await bot.api.setMyCommands(commands, locale === "vi" ? {} : { language_code: locale });
    }
  }

  return {
    name: "telegram",
    bot,
    startLink: (code) => (bot.isInited() ? `https://t.me/${bot.botInfo.username}?start=${code}` : undefined),
    webhookHandler: options.webhook
      ? (webhookCallback(bot, "hono", { secretToken: options.webhook.secret }) as (c: unknown) => Promise<Response>)
      : undefined,
    async start() {
      await bot.init();
      await setCommands();
      if (options.webhook) {
        await bot.api.setWebhook(`${options.webhook.publicUrl}${WEBHOOK_PATH}`, {
          secret_token: options.webhook.secret,
          allowed_updates: ["message", "callback_query", "my_chat_member"],
        });
        logger.info({ username: bot.botInfo.username }, "telegram: webhook mode");
        return;
      }
      // getUpdates is refused while a webhook is set (e.g. left over from an earlier deployment).
      await bot.api.deleteWebhook();
      runner = run(bot, {
        runner: {
          fetch: { timeout: options.pollingTimeout ?? 30, allowed_updates: ["message", "callback_query", "my_chat_member"] },
          silent: true,
          retryInterval: "exponential",
          maxRetryTime: Number.POSITIVE_INFINITY,
        },
      });
      logger.info({ username: bot.botInfo.username }, "telegram: long polling");
    },
    async stop() {
      if (runner?.isRunning()) await runner.stop();
    },
    send: (address, message) => push.send(address, message),
    edit: (address, externalMessageId, message) => push.edit!(address, externalMessageId, message),
  };
}
