import pino from "pino";
import type { TranscriptEntry } from "../../src/channels/sandbox/channel.ts";
import { loadConfig } from "../../src/config.ts";
import { startChibo, type Chibo } from "../../src/main.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { TEST_START } from "./fake-clock.ts";
import { createTestDatabase } from "./test-db.ts";

/** The real app in sandbox mode on a free port, and the page's HTTP API as test calls. */
export interface SandboxApp {
  chibo: Chibo;
  base: string;
  /** The sandbox clock now. */
  now(): Promise<Date>;
  post(path: string, body: unknown): Promise<Response>;
  transcript(persona: string, after?: number): Promise<TranscriptEntry[]>;
  close(): Promise<void>;
}

/** `start`: where the sandbox clock starts (SANDBOX_START), by default TEST_START. */
export async function startSandboxApp(options: { start?: string } = {}): Promise<SandboxApp> {
  const database: DatabaseHandle = await createTestDatabase();
  const config = loadConfig({ SANDBOX: "1", PORT: "0", HOST: "127.0.0.1", SANDBOX_START: options.start ?? TEST_START.toISOString() });
  const chibo = await startChibo(config, { database, logger: pino({ level: "silent" }) });
  const base = `http://127.0.0.1:${chibo.server.port}`;
  return {
    chibo,
    base,
    now: async () => new Date(((await (await fetch(`${base}/sandbox/api/state`)).json()) as { now: string }).now),
    post: (path, body) => fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    transcript: async (persona, after = 0) =>
      ((await (await fetch(`${base}/sandbox/api/messages?persona=${persona}&after=${after}`)).json()) as { entries: TranscriptEntry[] }).entries,
    async close() {
      await chibo.stop();
      await database.close();
    },
  };
}

/** A bot entry's text as a reader sees it. */
export const entryText = (entry: TranscriptEntry) => (entry.message?.blocks ?? []).map((b) => ("text" in b ? b.text : b.items.join("\n"))).join("\n");
