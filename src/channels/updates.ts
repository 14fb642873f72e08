import type { DispatchOutcome } from "../../handlers/framework/router.ts";

/**
 * Runs jobs one after another per chat and side by side across chats: a chat's messages are
 * answered in the order they were written, and a person's dialog state is never read and
 * written by two of their updates at once.
 */
export interface ChatQueue {
  run<T>(chat: string, job: () => Promise<T>): Promise<T>;
}

export function createChatQueue(): ChatQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(chat, job) {
      const previous = tails.get(chat) ?? Promise.resolve();
      const result = previous.then(job, job);
      const tail = result.catch(() => {});
      tails.set(chat, tail);
      // Forget a chat once its queue is empty, so the map does not grow with every chat ever seen.
      void tail.then(() => {
        if (tails.get(chat) === tail) tails.delete(chat);
      });
      return result;
    },
  };
}

/**
 * Handles one batch of updates from a platform's long poll: each chat's in order, chats side
 * by side. Once one of a chat's updates could not be handled (the database did not answer),
 * that chat's later updates wait too, so that they are never handled before it.
 */
export async function handleBatch<U>(updates: U[], chatOf: (update: U) => string, handle: (update: U) => Promise<DispatchOutcome>): Promise<DispatchOutcome[]> {
  const queue = createChatQueue();
  const stopped = new Set<string>();
  return Promise.all(
    updates.map((update) => {
      const chat = chatOf(update);
      return queue.run(chat, async (): Promise<DispatchOutcome> => {
        if (stopped.has(chat)) return "unavailable";
        const outcome = await handle(update).catch((): DispatchOutcome => "unavailable");
        if (outcome === "unavailable") stopped.add(chat);
        return outcome;
      });
    }),
  );
}

/**
 * Waits until the database answers again, checking at growing intervals (1 s up to 15 s).
 * Updates are not taken meanwhile: the platform keeps them until they are confirmed.
 */
export async function waitForDatabase(databaseUp: () => Promise<boolean>, signal: AbortSignal): Promise<void> {
  for (let delay = 1000; !signal.aborted; delay = Math.min(delay * 2, 15_000)) {
    if (await databaseUp()) return;
    await pause(delay, signal);
  }
}

/** Waits `ms`, or less if `signal` aborts meanwhile (a stop). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
