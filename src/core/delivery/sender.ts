import { setTimeout as sleep } from "node:timers/promises";
import { parseAddress, type ChannelName } from "../inbound.ts";
import type { OutgoingMessage } from "../message.ts";
import type { Clock, DeliveryResult, Notice, Notifier } from "../ports.ts";
import { createAdmissionQueue, createTurnLimit, yieldToTimersAndIo, type AdmissionQueue } from "./admission.ts";
import { createBudget, UNLIMITED, type Budget, type ChannelLimits } from "./budget.ts";
import { SENDING_AT, type ClaimedMessage, type SendOutcome } from "./types.ts";

/** The outbox as the sender sees it. */
export interface OutboxPort {
  claim(now: Date, limit: number, leaseMs: number, leaseNow?: Date): Promise<ClaimedMessage[]>;
  record(outcomes: SendOutcome[]): Promise<void>;
}

export interface SenderDeps {
  outbox: OutboxPort;
  clock: Clock;
  /**
   * The clock leases run on (default: `clock`). A lease is about a sender dying, in real time:
   * when the sandbox moves its clock an hour on, a row in flight must not look abandoned and be
   * sent a second time.
   */
  leaseClock?: Clock;
  notifier: Notifier;
  render(notice: Notice, locale: string): OutgoingMessage;
  /** The platform said the person blocked the bot: remember it and tell the secretary once. */
  onUnreachable(message: ClaimedMessage, detail: string): Promise<void>;
  log?: (event: string, data: Record<string, unknown>) => void;
}

export interface SenderOptions {
  limits: Partial<Record<ChannelName, ChannelLimits>>;
  /** Sends under way or not yet recorded; the most a crash can send twice. */
  maxInFlight: number;
  batchSize: number;
  leaseMs: number;
  /** Retries of 5xx and network errors back off exponentially up to this. */
  maxBackoffMs: number;
  maxAttempts: number;
  /** How long an idle sender waits before looking again (a wake() cuts it short). */
  idleMs: number;
}

export const DEFAULT_SENDER_OPTIONS: SenderOptions = {
  limits: {},
  maxInFlight: 32,
  batchSize: 100,
  leaseMs: 60_000,
  maxBackoffMs: 10 * 60_000,
  maxAttempts: 8,
  idleMs: 1000,
};

export interface SenderStats {
  sent: number;
  failed: number;
  dropped: number;
  retried: number;
  rateLimited: number;
  /** Claimed again after a crash: they may already have gone out once. */
  ambiguous: number;
  /** Held past half their lease (a long pause): left unsent for the claim after the lease. */
  expired: number;
  /** Claimed but not sent when the sender stopped: handed back to the outbox at once. */
  released: number;
}

export interface Sender {
  /** Sends everything due now, then returns (tests, the sandbox clock). */
  drain(): Promise<SenderStats>;
  /** Sends continuously until stop(). */
  start(): void;
  stop(): Promise<void>;
  /** New rows were planned: look now rather than after the idle wait. */
  wake(): void;
  stats: SenderStats;
}

/** A channel's send budget and the queue of sends waiting on it. */
interface Channel {
  budget: Budget;
  admission: AdmissionQueue;
}

/** Sends started in one turn of the event loop, at most (see TurnLimit). */
const STARTS_PER_TURN = 16;

/**
 * Claims due rows in small batches and sends them through the channels within their send
 * budgets, keeping at most `maxInFlight` sends unrecorded. Outcomes are written in batches;
 * a slot is freed only once its outcome is written, so a crash sends at most that many
 * twice. No error escapes: every row ends sent, failed, dropped or scheduled for a retry.
 */
export function createSender(deps: SenderDeps, options: Partial<SenderOptions> = {}): Sender {
  const opts = { ...DEFAULT_SENDER_OPTIONS, ...options };
  const leaseClock = deps.leaseClock ?? deps.clock;
  const turns = createTurnLimit(STARTS_PER_TURN);
  const channels = new Map<string, Channel>();
  const channelFor = (name: string): Channel => {
    let channel = channels.get(name);
    if (!channel) {
      const budget = createBudget(opts.limits[name as ChannelName] ?? UNLIMITED);
      channel = { budget, admission: createAdmissionQueue(budget, turns) };
      channels.set(name, channel);
    }
    return channel;
  };
  const stats: SenderStats = { sent: 0, failed: 0, dropped: 0, retried: 0, rateLimited: 0, ambiguous: 0, expired: 0, released: 0 };
  // Aborted by stop(): sends still waiting for their slot give their rows back instead of
  // holding the shutdown for as long as a 429 pause, and the next instance sends them at once.
  const stopping = new AbortController();
  const log = deps.log ?? (() => {});

  let unrecorded = 0;
  let pending: SendOutcome[] = [];
  let flushing: Promise<void> | undefined;
  let slotWaiters: Array<() => void> = [];

  function freeSlots(n: number): void {
    unrecorded -= n;
    const waiters = slotWaiters;
    slotWaiters = [];
    for (const wake of waiters) wake();
  }

  async function flush(): Promise<void> {
    while (pending.length) {
      const batch = pending;
      pending = [];
      try {
        await deps.outbox.record(batch);
      } catch (error) {
        // The rows stay "sending" and come back when their lease ends; nothing is lost.
        log("record failed", { error: String(error), rows: batch.length });
      }
      freeSlots(batch.length);
    }
  }

  function settle(outcome: SendOutcome): void {
    pending.push(outcome);
    stats[outcome.status === "retry" ? "retried" : outcome.status]++;
    // Recorded soon, in batches: at the full rate a 25 ms gather makes each statement record a
    // few dozen outcomes, and the database's time is the sender's time. The outcomes waiting
    // still count as unrecorded, so the crash bound (maxInFlight) holds.
    flushing ??= sleep(25)
      .then(flush)
      .finally(() => (flushing = undefined));
  }

  function backoff(attempts: number): number {
    return Math.min(opts.maxBackoffMs, 1000 * 2 ** Math.max(0, attempts - 1)) * (0.8 + Math.random() * 0.4);
  }

  /**
   * Waits for this send's slot. A 429 may pause the channel meanwhile: then a fresh slot after
   * the pause, so the sends held by it leave evenly spaced, not all at once. And the sends
   * before may have gone out late and bunched up: then the admission queue holds it until the
   * budget lets it start. False when the sender is stopping: the send must not start.
   */
  async function admitted({ budget, admission }: Channel, chat: string, isGroup: boolean): Promise<boolean> {
    const { signal } = stopping;
    let wait = budget.reserve(chat, isGroup);
    for (;;) {
      if (signal.aborted) return false;
      if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => {});
      if (signal.aborted) return false;
      const paused = budget.pausedFor();
      if (paused > 0) {
        await sleep(paused, undefined, { signal }).catch(() => {});
        wait = budget.reserve(chat, isGroup);
        continue;
      }
      if (await admission.pass()) return !signal.aborted;
      wait = 0;
    }
  }

  /**
   * A notice is the same message for every member of a branch in one language, and they are
   * claimed together: rendering it once per batch spares most of the sender's rendering time
   * in a fan-out. Keyed by the whole notice, so a person-specific one is never shared; the
   * moment of sending it carries (SENDING_AT) is the batch's first render, seconds apart at most.
   */
  let rendering = new Map<string, OutgoingMessage>();
  function render(message: ClaimedMessage): OutgoingMessage {
    const key = `${message.locale}\u0000${message.notice.kind}\u0000${JSON.stringify(message.notice.params)}`;
    let rendered = rendering.get(key);
    if (!rendered) {
      const sendingAt = deps.clock.now().toISOString();
      rendered = {
        ...deps.render({ kind: message.notice.kind, params: { ...message.notice.params, [SENDING_AT]: sendingAt } }, message.locale),
        locale: message.locale,
      };
      rendering.set(key, rendered);
    }
    return rendered;
  }

  async function deliver(message: ClaimedMessage, sendBy: number): Promise<void> {
    const target = parseAddress(message.address);
    const now = () => deps.clock.now();
    if (message.reclaimed) stats.ambiguous++;
    if (message.staleAt && message.staleAt.getTime() <= now().getTime()) {
      settle({ id: message.id, status: "dropped", at: now(), error: "stale" });
      return;
    }
    if (!target) {
      settle({ id: message.id, status: "failed", at: now(), error: `bad address ${message.address}` });
      return;
    }
    let rendered: OutgoingMessage;
    try {
      rendered = render(message);
    } catch (error) {
      settle({ id: message.id, status: "failed", at: now(), error: `render: ${String(error)}` });
      return;
    }
    const channel = channelFor(target.channel);
    const isGroup = deps.notifier.isGroup?.(message.address) ?? false;
    // A 429 pauses the whole channel and the same message is tried again after it.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!(await admitted(channel, target.id, isGroup))) {
        settle({ id: message.id, status: "released", at: now() });
        return;
      }
      if (message.staleAt && message.staleAt.getTime() <= now().getTime()) {
        settle({ id: message.id, status: "dropped", at: now(), error: "stale" });
        return;
      }
      if (leaseClock.now().getTime() > sendBy) {
        // Held this long (a long 429 pause), the row's lease is running out: another claim may
        // take it while this send travels and send it again. Leave it, unsent and unrecorded,
        // to come back when the lease ends.
        stats.expired++;
        freeSlots(1);
        return;
      }
      let result: DeliveryResult;
      try {
        result = await deps.notifier.send(message.address, rendered);
      } catch (error) {
        result = { ok: false, reason: "retry", detail: String(error) };
      }
      if (result.ok) {
        settle({ id: message.id, status: "sent", at: now(), ...(result.externalMessageId ? { externalMessageId: result.externalMessageId } : {}) });
        return;
      }
      if (result.reason === "retry" && result.retryAfterMs !== undefined) {
        stats.rateLimited++;
        channel.budget.pause(result.retryAfterMs);
        continue;
      }
      if (result.reason === "unreachable") {
        settle({ id: message.id, status: "failed", at: now(), error: result.detail });
        await deps.onUnreachable(message, result.detail).catch((error: unknown) => log("unreachable hook failed", { error: String(error) }));
        return;
      }
      if (result.reason === "retry" && message.attempts < opts.maxAttempts) {
        settle({ id: message.id, status: "retry", at: now(), error: result.detail, nextAttemptAt: new Date(now().getTime() + backoff(message.attempts)) });
        return;
      }
      settle({ id: message.id, status: "failed", at: now(), error: result.detail });
      return;
    }
    settle({ id: message.id, status: "retry", at: now(), error: "rate limited", nextAttemptAt: new Date(now().getTime() + 1000) });
  }

  const inFlight = new Set<Promise<void>>();

  /** One pass: claim while there is room, start sends; returns false when nothing was due. */
  async function pump(): Promise<boolean> {
    const room = opts.maxInFlight - unrecorded;
    // Claim a batch at a time, not the few slots the last recorded outcomes freed: the claim
    // statement costs about as much for 5 rows as for 100 when many rows are due.
    if (room < Math.max(1, Math.floor(Math.min(opts.batchSize, opts.maxInFlight) / 2))) {
      await new Promise<void>((resolve) => slotWaiters.push(resolve));
      return true;
    }
    const claimedAt = leaseClock.now();
    const claimed = await deps.outbox.claim(deps.clock.now(), Math.min(room, opts.batchSize), opts.leaseMs, claimedAt);
    if (claimed.length === 0) return false;
    // Half the lease leaves the other half for the round trip and the record.
    const sendBy = claimedAt.getTime() + opts.leaseMs / 2;
    unrecorded += claimed.length;
    rendering = new Map();
    for (const [i, message] of claimed.entries()) {
      // Rendering takes a while: a whole batch at once would hold back the sends whose slot
      // has come, which then leave late and bunched up. Let timers and I/O in every few.
      if (i > 0 && i % 8 === 0) await yieldToTimersAndIo();
      const task: Promise<void> = deliver(message, sendBy)
        .catch((error: unknown) =>
          settle({ id: message.id, status: "retry", at: deps.clock.now(), error: String(error), nextAttemptAt: new Date(deps.clock.now().getTime() + 5000) }),
        )
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    // Let interactive updates in between batches.
    await yieldToTimersAndIo();
    return true;
  }

  async function settleAll(): Promise<void> {
    await Promise.all(inFlight);
    await flushing;
    await flush();
  }

  let running = false;
  let loop: Promise<void> | undefined;
  let wakeIdle: (() => void) | undefined;

  return {
    stats,
    async drain() {
      // A send may queue another (a message refused on one channel goes to the person's other
      // one): once a pass that sent anything has settled, look again.
      for (let claimed = true; claimed;) {
        claimed = false;
        while (await pump()) claimed = true;
        await settleAll();
      }
      return { ...stats };
    },
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          let busy = false;
          try {
            busy = await pump();
          } catch (error) {
            log("claim failed", { error: String(error) });
          }
          if (!busy && running) {
            await new Promise<void>((resolve) => {
              wakeIdle = resolve;
              setTimeout(resolve, opts.idleMs);
            });
            wakeIdle = undefined;
          }
        }
        await settleAll();
      })();
    },
    async stop() {
      running = false;
      stopping.abort();
      wakeIdle?.();
      for (const wake of slotWaiters) wake();
      await loop;
    },
    wake() {
      wakeIdle?.();
    },
  };
}
