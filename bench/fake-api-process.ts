/**
 * The fake Bot API of one fan-out scenario, in a process of its own: its event loop and heap are
 * then its own, as a real server's are, and neither the bench's bookkeeping nor the previous
 * scenario's garbage delays the moment a request is seen to arrive (which the limit counts).
 *
 * Started by bench/harness.ts with child_process.fork; its options are the JSON in
 * BENCH_FAKE_API. Over IPC it answers:
 *   → { type: "ready", apiRoot }                           once listening
 *   ← { type: "notifyAt", ok }  → { type: "reached", ok }  when that many calls have succeeded
 *   ← { type: "stats" }         → { type: "stats", ok }
 *   ← { type: "summary" }       → { type: "summary", ... } and closes (the process then ends)
 * The summary is computed here, so that 50,000 recorded calls never cross the pipe.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startFakeBotApi, type FakeBotApiOptions } from "../test/helpers/fake-bot-api.ts";

export interface FakeApiSummary {
  /** Every chat that received a sendMessage, once. */
  chats: string[];
  /** Successful sendMessage calls beyond the first to a chat. */
  duplicates: number;
  /** Date.now() of the first and last successful sendMessage's arrival. */
  firstAt: number;
  lastAt: number;
  rateLimited: number;
  /** 429 answers bunch: episodes are runs of them less than a second apart. */
  rateLimitEpisodes: number;
  /** The most sendMessage requests that arrived within any rolling second (1 ms resolution). */
  peakPerSecond: number;
  /** This process's event loop delay, ms: its own jitter, which can draw 429s. */
  loopDelay: { p99: number; max: number };
}

export type FakeApiRequest = { type: "notifyAt"; ok: number } | { type: "stats" } | { type: "summary" };

export type FakeApiMessage =
  { type: "ready"; apiRoot: string } | { type: "reached"; ok: number } | { type: "stats"; ok: number } | ({ type: "summary" } & FakeApiSummary);

/**
 * What the summary needs of each call, in typed arrays that grow by doubling: kept as objects,
 * 50,000 calls would survive every young-generation collection and make each one long.
 */
class CallLog {
  length = 0;
  at = new Float64Array(1 << 16);
  chat = new Float64Array(1 << 16);
  status = new Uint16Array(1 << 16);
  /** 1 for sendMessage. */
  isMessage = new Uint8Array(1 << 16);

  add(at: number, chat: number, status: number, isMessage: boolean): void {
    if (this.length === this.at.length) this.grow();
    const i = this.length++;
    this.at[i] = at;
    this.chat[i] = chat;
    this.status[i] = status;
    this.isMessage[i] = isMessage ? 1 : 0;
  }

  private grow(): void {
    const size = this.at.length * 2;
    const copy = <T extends Float64Array | Uint16Array | Uint8Array>(from: T, to: T) => (to.set(from), to);
    this.at = copy(this.at, new Float64Array(size));
    this.chat = copy(this.chat, new Float64Array(size));
    this.status = copy(this.status, new Uint16Array(size));
    this.isMessage = copy(this.isMessage, new Uint8Array(size));
  }
}

async function main(): Promise<void> {
  const options = JSON.parse(process.env.BENCH_FAKE_API ?? "null") as FakeBotApiOptions | null;
  if (!options || !process.send) throw new Error("fake-api-process: start it through bench/harness.ts (BENCH_FAKE_API and an IPC channel)");
  const send = (message: FakeApiMessage) => process.send?.(message);
  const log = new CallLog();
  const api = await startFakeBotApi({
    ...options,
    retain: false,
    onCall: (call) => log.add(call.at, Number(call.params.chat_id), call.status, call.method === "sendMessage"),
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  loopDelay.enable();

  let notifyAt = Number.POSITIVE_INFINITY;
  const watcher = setInterval(() => {
    const ok = api.stats().ok;
    if (ok >= notifyAt) {
      notifyAt = Number.POSITIVE_INFINITY;
      send({ type: "reached", ok });
    }
  }, 5);

  process.on("message", (request: FakeApiRequest) => {
    if (request.type === "notifyAt") notifyAt = request.ok;
    else if (request.type === "stats") send({ type: "stats", ok: api.stats().ok });
    else {
      clearInterval(watcher);
      loopDelay.disable();
      const summary = summarize(log, api.stats().rateLimited);
      void api.close().then(() => {
        process.send?.(
          { type: "summary", ...summary, loopDelay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 } },
          undefined,
          undefined,
          () => process.disconnect(),
        );
      });
    }
  });
  send({ type: "ready", apiRoot: api.apiRoot });
}

function summarize(log: CallLog, rateLimited: number): Omit<FakeApiSummary, "loopDelay"> {
  const perChat = new Map<number, number>();
  const arrivals: number[] = [];
  let firstAt = Number.POSITIVE_INFINITY;
  let lastAt = 0;
  let rateLimitEpisodes = 0;
  let last429 = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < log.length; i++) {
    const at = log.at[i]!;
    if (log.status[i] === 429) {
      if (at - last429 > 1000) rateLimitEpisodes++;
      last429 = at;
    }
    if (!log.isMessage[i]) continue;
    arrivals.push(at);
    if (log.status[i] !== 200) continue;
    const chat = log.chat[i]!;
    perChat.set(chat, (perChat.get(chat) ?? 0) + 1);
    firstAt = Math.min(firstAt, at);
    lastAt = Math.max(lastAt, at);
  }
  // Calls are logged when answered; arrivals are counted in the order they came.
  arrivals.sort((a, b) => a - b);
  let peakPerSecond = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (arrivals[i]! - arrivals[j]! >= 1000) j++;
    peakPerSecond = Math.max(peakPerSecond, i - j + 1);
  }
  let duplicates = 0;
  for (const n of perChat.values()) duplicates += n - 1;
  return { chats: [...perChat.keys()].map(String), duplicates, firstAt, lastAt, rateLimited, rateLimitEpisodes, peakPerSecond };
}

main().catch((error: unknown) => {
  console.error("fake-api-process failed:", error);
  process.exit(1);
});
