import { GrammyError, HttpError, type Api } from "grammy";
import type { Update } from "grammy/types";
import type { Logger } from "pino";
import type { DispatchOutcome } from "../../../handlers/framework/router.ts";
import { pause, waitForDatabase } from "../updates.ts";

export interface PollingOptions {
  api: Api;
  /** Long polling timeout in seconds. */
  timeoutSeconds: number;
  allowedUpdates: ReadonlyArray<"message" | "callback_query" | "my_chat_member">;
  /** Handles a batch; the outcome of each update in the batch's order. */
  handleBatch(updates: Update[]): Promise<DispatchOutcome[]>;
  databaseUp(): Promise<boolean>;
  logger: Logger;
}

export interface Polling {
  stop(): Promise<void>;
}

/**
 * Long polling that confirms an update to Telegram only once its handling is stored.
 * Telegram forgets every update below the offset of the next getUpdates, so the offset moves
 * past a batch only when all of it was handled; when the database did not answer, it stays at
 * the first update left, no more updates are taken until the database answers again, and
 * Telegram delivers that update and those after it again (the ones already handled are
 * recognised by their id and skipped). grammY's runner confirms a batch as soon as it is
 * fetched, which would lose what arrives during a database outage.
 */
export function startPolling(options: PollingOptions): Polling {
  const { api, logger } = options;
  const stopping = new AbortController();
  const loop = (async () => {
    let offset: number | undefined;
    let failures = 0;
    while (!stopping.signal.aborted) {
      let updates: Update[];
      try {
        updates = await api.getUpdates(
          { ...(offset !== undefined ? { offset } : {}), timeout: options.timeoutSeconds, allowed_updates: [...options.allowedUpdates] },
          // grammY types its signal with the abort-controller shim; the platform's is the same at run time.
          stopping.signal as Parameters<Api["getUpdates"]>[1],
        );
        failures = 0;
      } catch (error) {
        if (stopping.signal.aborted) break;
        failures++;
        const conflict = error instanceof GrammyError && error.error_code === 409;
        logger.warn(
          { err: error instanceof GrammyError || error instanceof HttpError ? String(error.message) : error, failures },
          conflict ? "telegram: another instance is polling this bot" : "telegram: getUpdates failed, retrying",
        );
        await pause(Math.min(1000 * 2 ** Math.min(failures - 1, 5), 30_000), stopping.signal);
        continue;
      }
      if (updates.length === 0) continue;
      const outcomes = await options.handleBatch(updates);
      const firstLeft = outcomes.indexOf("unavailable");
      if (firstLeft === -1) {
        offset = updates.at(-1)!.update_id + 1;
        continue;
      }
      offset = updates[firstLeft]!.update_id;
      logger.warn({ updateId: offset }, "telegram: database unreachable; not taking updates until it answers");
      await waitForDatabase(options.databaseUp, stopping.signal);
      if (!stopping.signal.aborted) logger.info("telegram: database answers again; taking updates");
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
