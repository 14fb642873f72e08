import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";

/** One periodic job: a name, a cron expression, and the core service call it makes. */
export interface Tick {
  name: string;
  /** Cron expression, evaluated in UTC. */
  schedule: string;
  run(): Promise<unknown>;
}

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** Runs every tick once now, in order (the sandbox calls this after moving its clock). */
  runAll(): Promise<void>;
}

/**
 * Cron only ticks: each tick calls one core service that finds due rows in Postgres, so a
 * missed tick is caught up by the next one and several instances can tick at once.
 */
export function createScheduler(ticks: Tick[], logger: Logger): Scheduler {
  const tasks: ScheduledTask[] = [];

  async function runOne(tick: Tick): Promise<void> {
    try {
      const result = await tick.run();
      logger.debug({ tick: tick.name, result }, "tick done");
    } catch (error) {
      // A failed tick is retried by the next one; it must not stop the process.
      logger.error({ err: error, tick: tick.name }, "tick failed");
    }
  }

  return {
    start() {
      for (const tick of ticks) {
        tasks.push(cron.schedule(tick.schedule, () => runOne(tick), { name: tick.name, timezone: "Etc/UTC", noOverlap: true }));
      }
    },
    async stop() {
      await Promise.all(tasks.map((task) => task.stop()));
      tasks.length = 0;
    },
    async runAll() {
      for (const tick of ticks) await runOne(tick);
    },
  };
}
