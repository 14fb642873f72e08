import { createHash, timingSafeEqual } from "node:crypto";
import type { Context as HonoContext } from "hono";
import type { Logger } from "pino";
import type { ReplyTransport } from "../../../handlers/framework/context.ts";
import type { DispatchOutcome, Router } from "../../../handlers/framework/router.ts";
import type { OutgoingMessage } from "../../core/message.ts";
import type { DeliveryResult } from "../../core/ports.ts";
import type { I18n } from "../../i18n.ts";
import type { Channel } from "../types.ts";
import { createChatQueue, handleBatch, waitForDatabase } from "../updates.ts";
import { createQuotaBackoff } from "./backoff.ts";
import { createZaloClient, parseWebhookBody, updateKey, ZaloApiError, type ZaloClient } from "./client.ts";
import { toInbound } from "./inbound.ts";
import { isZaloGroup, zaloCapabilities, ZALO_DEFAULT_RATE_LIMIT, zaloLimits } from "./limits.ts";
import { startZaloPolling } from "./polling.ts";
import { sendZaloMessage, zaloDeliveryFailure, type FileLinks, type ZaloSendDeps } from "./send.ts";
import { zaloUpdateSchema, type ZaloUpdate } from "./types.ts";

export const ZALO_WEBHOOK_PATH = "/zalo/webhook";

export interface ZaloOptions {
  token: string;
  apiRoot: string;
  /** Webhook mode when set; long polling otherwise. */
  webhook?: { publicUrl: string; secret: string } | undefined;
  router: Router;
  i18n: I18n;
  logger: Logger;
  databaseUp(): Promise<boolean>;
  /** Where each update is kept from its arrival until it is handled (Zalo never delivers it again). */
  inbox: ZaloInbox;
  /** Remembers the numbered choices a chat was just offered (core choices.offer). */
  offerChoices(address: string, payloads: string[]): Promise<void>;
  /** The list a chat was offered in the last minutes (core choices.recent). */
  recentChoices(address: string): Promise<string[]>;
  /** Download links for files and pictures; undefined when the server has no public address. */
  files?: FileLinks | undefined;
  /** Whether a Zalo group may be linked to a branch (ZALO_GROUPS; groups are in beta). */
  groups?: boolean;
  /** Messages per second for the whole bot (ZALO_RATE_LIMIT). */
  rateLimit?: number;
  /** Long polling duration in seconds (default 30; tests use less). */
  pollingTimeout?: number;
  /** How many times an interactive reply refused with 429 is tried again (default 3). */
  replyRetries?: number;
}

export interface ZaloInbox {
  /** The stored row's id; undefined when the same update is already there. Throws when the database is down. */
  receive(key: string, update: ZaloUpdate): Promise<number | undefined>;
  pending(): Promise<Array<{ id: number; payload: unknown }>>;
  handled(id: number): Promise<void>;
}

export interface ZaloChannel extends Channel {
  client: ZaloClient;
  /** The handler for POST /zalo/webhook (webhook mode only). */
  webhookHandler: ((c: HonoContext) => Promise<Response>) | undefined;
}

/**
 * Zalo has no update id; a delivery is recognised by its event and message id. The router keeps
 * handled updates by number (with Telegram's), so the key is hashed to 53 bits: a collision among
 * the few days of updates kept is vanishingly unlikely, and would only skip one message.
 */
export function zaloUpdateNumber(update: ZaloUpdate): number {
  const digest = createHash("sha256").update(updateKey(update)).digest();
  return digest.readUIntBE(0, 6) * 32 + (digest[6]! >> 3);
}

const chatOf = (update: ZaloUpdate) => update.message.chat.id;

export function createZaloChannel(options: ZaloOptions): ZaloChannel {
  const { router, logger } = options;
  const client = createZaloClient({
    token: options.token,
    apiRoot: options.apiRoot,
    onInvalidUpdate: (_raw, problem) => logger.warn({ problem }, "zalo: an update could not be read and was skipped"),
  });
  const capabilities = zaloCapabilities(options.groups ?? false);
  const backoff = createQuotaBackoff();
  const sendDeps: ZaloSendDeps = {
    client,
    i18n: options.i18n,
    backoff,
    offerChoices: options.offerChoices,
    recentChoices: options.recentChoices,
    files: options.files,
  };
  const stopping = new AbortController();
  // One send at a time to a chat: each message numbers its choices after the list the last one
  // left, so two sent at once would give the same numbers to different things.
  const sending = createChatQueue();
  const send = (address: string, message: OutgoingMessage, proactive = false) =>
    sending.run(address, () => sendZaloMessage(sendDeps, address, message, { proactive }));

  /** An answer to someone's own message: a short 429 is waited out rather than lost. */
  async function reply(address: string, message: OutgoingMessage): Promise<void> {
    const retries = options.replyRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        await send(address, message);
        return;
      } catch (error) {
        if (!(error instanceof ZaloApiError && error.code === 429) || attempt >= retries || stopping.signal.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, backoff.refused()));
      }
    }
  }

  async function handle(update: ZaloUpdate): Promise<DispatchOutcome> {
    const inbound = toInbound(update);
    if (!inbound) return "handled";
    const transport: ReplyTransport = {
      capabilities,
      send: (message) => reply(inbound.chat.address, message),
      sendPrivately: async (message) => {
        try {
          await reply(inbound.sender.privateAddress, message);
          return true;
        } catch (error) {
          // The person has no private chat the bot may write to.
          if (error instanceof ZaloApiError && (error.code === 403 || error.code === 400)) return false;
          throw error;
        }
      },
    };
    const outcome = await router.dispatch(inbound, transport, { updateId: zaloUpdateNumber(update) });
    if (outcome === "duplicate") logger.info({ key: updateKey(update) }, "zalo: skipping a repeated delivery");
    return outcome;
  }

  /**
   * Handles an update Zalo will not deliver again: while the database does not answer, it is
   * held and tried again once it does, so that nothing a person sent is dropped by an outage.
   */
  async function handleHeld(update: ZaloUpdate): Promise<boolean> {
    for (;;) {
      const outcome = await handle(update).catch((): DispatchOutcome => "unavailable");
      if (outcome !== "unavailable") return true;
      if (stopping.signal.aborted) return false;
      logger.warn({ key: updateKey(update) }, "zalo: database unreachable; holding an update until it answers");
      await waitForDatabase(options.databaseUp, stopping.signal);
    }
  }

  /** Handles an update already stored in the inbox, then forgets it there; a stop meanwhile leaves it for the next start. */
  async function handleStored(id: number, update: ZaloUpdate): Promise<void> {
    if (!(await handleHeld(update))) return;
    // Left behind, it is handled again after a restart and recognised then as handled.
    await options.inbox.handled(id).catch((error: unknown) => logger.warn({ err: error }, "zalo: a handled update stays in the inbox"));
  }

  /** Stores an update the moment it arrives: its inbox id, "repeat" when it is there already, "unstored" when the database did not take it. */
  async function keep(update: ZaloUpdate): Promise<number | "repeat" | "unstored"> {
    try {
      return (await options.inbox.receive(updateKey(update), update)) ?? "repeat";
    } catch (error) {
      logger.warn({ err: error }, "zalo: an update could not be stored");
      return "unstored";
    }
  }

  /** Polling: stores an update, then handles it; "unavailable" keeps it in the loop's memory until the database answers. */
  async function receive(update: ZaloUpdate): Promise<DispatchOutcome> {
    const kept = await keep(update);
    if (kept === "unstored") return "unavailable";
    if (kept === "repeat") return "duplicate";
    await handleStored(kept, update);
    return "handled";
  }

  const inFlight = new Set<Promise<void>>();

  /**
   * Webhook mode. The secret is compared in constant time; a stranger gets 403. The update is
   * stored and Zalo answered at once; it is handled after, each chat's in order. While the
   * database cannot store it, Zalo is answered 503 (whether it delivers again is not documented).
   */
  function webhookHandler(secret: string): (c: HonoContext) => Promise<Response> {
    const expected = Buffer.from(secret);
    const queue = createChatQueue();
    return async (c) => {
      const given = Buffer.from(c.req.header("x-bot-api-secret-token") ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return c.json({ ok: false, description: "Forbidden" }, 403);
      const update = parseWebhookBody(await c.req.json().catch(() => undefined));
      if (!update) {
        logger.warn("zalo: a webhook delivery that is not an update was ignored");
        return c.json({ ok: true });
      }
      const kept = await keep(update);
      if (kept === "unstored") return c.json({ ok: false, description: "Service Unavailable" }, 503);
      if (kept !== "repeat") {
        const job = queue.run(chatOf(update), () => handleStored(kept, update)).catch((error: unknown) => logger.error({ err: error }, "zalo: update failed"));
        inFlight.add(job);
        void job.finally(() => inFlight.delete(job));
      }
      return c.json({ ok: true });
    };
  }

  /** What a crash left received but not handled: handled first, in the order it came. */
  async function handleLeftovers(): Promise<void> {
    const left = await options.inbox.pending();
    for (const row of left) {
      const update = zaloUpdateSchema.safeParse(row.payload);
      if (update.success) await handleStored(row.id, update.data);
      else await options.inbox.handled(row.id);
    }
    if (left.length) logger.info({ count: left.length }, "zalo: handled the updates a stop had left");
  }

  let polling: { stop(): Promise<void> } | undefined;

  return {
    name: "zalo",
    client,
    webhookHandler: options.webhook ? webhookHandler(options.webhook.secret) : undefined,
    limits: zaloLimits({ rateLimit: options.rateLimit ?? ZALO_DEFAULT_RATE_LIMIT }),
    isGroup: isZaloGroup,
    capabilities: () => capabilities,
    async start() {
      const me = await client.getMe();
      await handleLeftovers();
      if (options.webhook) {
        await client.setWebhook({ url: `${options.webhook.publicUrl}${ZALO_WEBHOOK_PATH}`, secret_token: options.webhook.secret });
        logger.info({ bot: me.account_name }, "zalo: webhook mode");
        return;
      }
      // Zalo refuses getUpdates while a webhook is set (e.g. left by an earlier deployment).
      await client.deleteWebhook();
      polling = startZaloPolling({
        client,
        timeoutSeconds: options.pollingTimeout ?? 30,
        handleBatch: (updates) => handleBatch(updates, chatOf, receive),
        databaseUp: options.databaseUp,
        logger,
      });
      logger.info({ bot: me.account_name }, "zalo: long polling");
    },
    async stop() {
      stopping.abort();
      await polling?.stop();
      await Promise.all(inFlight);
    },
    async send(address, message): Promise<DeliveryResult> {
      try {
        const externalMessageId = await send(address, message, true);
        return externalMessageId ? { ok: true, externalMessageId } : { ok: true };
      } catch (error) {
        return zaloDeliveryFailure(error, backoff);
      }
    },
  };
}
