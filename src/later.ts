import type { Logger } from "pino";
import type { Later } from "./core/ports.ts";

/**
 * Later with a delay: the first request for a key starts a timer, requests in the meantime
 * join it, and a request while the job runs starts one more run afterwards, so the last
 * change is never lost. Failures are logged; a job never throws into its caller.
 */
export function createLater(options: { delayMs: number; logger: Logger }): Later & { flush(): Promise<void>; stop(): Promise<void> } {
  const waiting = new Map<string, { timer: NodeJS.Timeout; job: () => Promise<void> }>();
  const running = new Map<string, Promise<void>>();
  const again = new Map<string, () => Promise<void>>();
  let stopped = false;

  function fire(key: string, job: () => Promise<void>): void {
    waiting.delete(key);
    const run = job()
      .catch((error: unknown) => options.logger.error({ err: error, key }, "deferred job failed"))
      .finally(() => {
        running.delete(key);
        const next = again.get(key);
        again.delete(key);
        if (next && !stopped) schedule(key, next);
      });
    running.set(key, run);
  }

  function schedule(key: string, job: () => Promise<void>): void {
    waiting.set(key, { timer: setTimeout(() => fire(key, job), options.delayMs), job });
  }

  return {
    run(key, job) {
      if (stopped || waiting.has(key)) return;
      if (running.has(key)) return void again.set(key, job);
      schedule(key, job);
    },
    /** Runs everything waiting now and waits for it (tests, and a clean shutdown). */
    async flush() {
      while (waiting.size || running.size) {
        for (const [key, { timer, job }] of waiting) {
          clearTimeout(timer);
          fire(key, job);
        }
        await Promise.all(running.values());
      }
    },
    /** Drops what has not started and waits for what has (before the database closes). */
    async stop() {
      stopped = true;
      for (const { timer } of waiting.values()) clearTimeout(timer);
      waiting.clear();
      await Promise.all(running.values());
    },
  };
}
