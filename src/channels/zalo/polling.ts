import type { Logger } from "pino";
import type { DispatchOutcome } from "../../../handlers/framework/router.ts";
import { pause, waitForDatabase } from "../updates.ts";
import { ZaloApiError, type ZaloClient } from "./client.ts";
import type { ZaloUpdate } from "./types.ts";

export interface ZaloPollingOptions {
  client: ZaloClient;
  /** Long poll duration in seconds. */
  timeoutSeconds: number;
  /** Handles a batch; the outcome of each update in the batch's order. */
  handleBatch(updates: ZaloUpdate[]): Promise<DispatchOutcome[]>;
  databaseUp(): Promise<boolean>;
  logger: Logger;
}

/**
 * Long polling for development and small installations. Zalo's getUpdates has no offset: an
 * update is gone from Zalo once it has been answered, so it cannot be left with the platform
 * while the database is down, as on Telegram. Each update is stored as it arrives (the inbox)
 * and handled from there; those the database could not even store are kept here and tried
 * again, in order, once it answers, and no new ones are taken meanwhile. Only a crash in that
 * time loses them. The webhook (PUBLIC_URL) is the mode for production.
 */
export function startZaloPolling(options: ZaloPollingOptions): { stop(): Promise<void> } {
  const { client, logger } = options;
  const stopping = new AbortController();
  const loop = (async () => {
    let failures = 0;
    while (!stopping.signal.aborted) {
      let updates: ZaloUpdate[];
      try {
        updates = await client.getUpdates({ timeout: options.timeoutSeconds }, { signal: stopping.signal });
        failures = 0;
      } catch (error) {
        if (stopping.signal.aborted) break;
        failures++;
        logger.warn({ err: error instanceof ZaloApiError ? error.message : String(error), failures }, "zalo: getUpdates failed, retrying");
        await pause(Math.min(1000 * 2 ** Math.min(failures - 1, 5), 30_000), stopping.signal);
        continue;
      }
      let left = updates;
      while (left.length > 0) {
        const outcomes = await options.handleBatch(left);
        left = left.filter((_, i) => outcomes[i] === "unavailable");
        if (left.length === 0 || stopping.signal.aborted) break;
        logger.warn({ held: left.length }, "zalo: database unreachable; holding the updates received until it answers");
        await waitForDatabase(options.databaseUp, stopping.signal);
      }
      if (left.length > 0) logger.error({ lost: left.length }, "zalo: stopped while holding updates the database did not take");
    }
  })();
  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
