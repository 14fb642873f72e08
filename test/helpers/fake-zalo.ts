/**
 * A fake Zalo Bot Platform API server for tests.
 *
 * It listens on 127.0.0.1 (random port) and speaks the protocol the client uses:
 * `POST {apiRoot}/bot{token}/{method}` with a JSON body, answered by `{ ok: true, result }` or
 * `{ ok: false, error_code, description }` with the matching HTTP status. It behaves as Zalo is
 * documented or has been seen to behave (docs/zalo-api.md):
 *
 * - getUpdates holds the request until an update is queued or the poll's `timeout` ends (at most
 *   `maxLongPollMs`), then answers error 408 "Request timeout" when nothing came;
 * - with one update queued it answers that object, with several a list (`updatesShape: "auto"`),
 *   or always one object / always a list, to cover both shapes seen in the wild;
 * - an update is gone once answered (there is no offset); a poll the client has given up on (once
 *   the fake has seen the connection close) takes nothing;
 * - sendMessage / sendPhoto answer `{ message_id: <hex string>, date: <epoch ms> }`;
 * - setWebhook wants an https url and a secret_token of 8–256 characters.
 *
 * ```ts
 * const zalo = await startFakeZalo();
 * const client = createZaloClient({ token: zalo.token, apiRoot: zalo.apiRoot });
 * zalo.pushUpdate(textUpdate({ userId: "u1", text: "có" }));
 * const updates = await client.getUpdates({ timeout: 1 });
 * await zalo.close();
 * ```
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ZALO_MAX_TEXT_LENGTH, type ZaloUpdate } from "../../src/channels/zalo/types.ts";
import { closeServer } from "./close-server.ts";

/** How getUpdates answers: "auto" = one object for one queued update, a list for several. */
export type FakeZaloUpdatesShape = "auto" | "single" | "array";

export interface FakeZaloOptions {
  /** Token the client must put in the URL. Default "1234567890:fake-zalo-token". */
  token?: string;
  /** Default "auto". */
  updatesShape?: FakeZaloUpdatesShape;
  /** Longest real wait of a getUpdates long poll, whatever its `timeout`. Default 1000 ms. */
  maxLongPollMs?: number;
  /** Added before answering every call. Default 0. */
  latencyMs?: number;
}

export interface FakeZaloFailure {
  /** HTTP status of the answer. */
  status: number;
  /** Default: the status. */
  error_code?: number;
  description?: string;
  /** Sent verbatim instead of the JSON error (a broken or wrong-shaped answer). */
  rawBody?: string;
  /** How many calls in a row fail. Default 1. */
  times?: number;
}

export interface FakeZaloCall {
  method: string;
  /** The JSON body as received. */
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status answered; 499 when the client went away during a long poll. */
  status: number;
  /** The `result` answered, on success. */
  result?: unknown;
  error?: { error_code: number; description: string };
}

export interface FakeZalo {
  apiRoot: string;
  token: string;
  port: number;
  /** Every call, in order, including failed ones. */
  calls: FakeZaloCall[];
  /** Successful calls, optionally of one method. */
  sent(method?: string): FakeZaloCall[];
  /** Queues an update for getUpdates. */
  pushUpdate(update: ZaloUpdate): void;
  setUpdatesShape(shape: FakeZaloUpdatesShape): void;
  /** The next call(s) of `method` ("*" = any) fail as described; the token is checked first. */
  failNext(method: string, failure: FakeZaloFailure): void;
  /** The first successful call of `method` that matches (already made or to come); rejects after `timeoutMs` (default 5000). */
  waitForCall(method: string, predicate?: (call: FakeZaloCall) => boolean, timeoutMs?: number): Promise<FakeZaloCall>;
  /** The webhook set with setWebhook, if any. */
  webhook(): { url: string; secret_token: string } | null;
  /** Closes the server; pending long polls are answered 408. */
  close(): Promise<void>;
}

class FakeError extends Error {
  readonly error_code: number;
  constructor(code: number, description: string) {
    super(description);
    this.error_code = code;
  }
}

const PATH_RE = /^\/bot([^/]+)\/([A-Za-z]+)$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireString(params: Record<string, unknown>, name: string): string {
  const value = params[name];
  if (typeof value !== "string" || value.length === 0) throw new FakeError(400, `Missing required parameter: ${name}`);
  return value;
}

function requireText(params: Record<string, unknown>, name: string, required: boolean): void {
  const value = params[name];
  if (value === undefined && !required) return;
  if (typeof value !== "string" || value.length < 1 || value.length > ZALO_MAX_TEXT_LENGTH) {
    throw new FakeError(400, `${name} must be a string of 1-${ZALO_MAX_TEXT_LENGTH} characters`);
  }
}

function requireUrl(params: Record<string, unknown>, name: string, protocols: string[]): string {
  const value = requireString(params, name);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FakeError(400, `${name} is not a valid URL`);
  }
  if (!protocols.includes(url.protocol)) throw new FakeError(400, `${name} must use ${protocols.join(" or ")}`);
  return value;
}

function messageId(): string {
  return randomBytes(10).toString("hex");
}

interface PollWaiter {
  wake(): void;
  /** False once the client has gone away, even if the close event has not been handled yet. */
  alive(): boolean;
}

export async function startFakeZalo(options: FakeZaloOptions = {}): Promise<FakeZalo> {
  const token = options.token ?? "1234567890:fake-zalo-token";
  const maxLongPollMs = options.maxLongPollMs ?? 1000;
  const latencyMs = options.latencyMs ?? 0;
  let updatesShape: FakeZaloUpdatesShape = options.updatesShape ?? "auto";

  const calls: FakeZaloCall[] = [];
  const queue: ZaloUpdate[] = [];
  const pollWaiters = new Set<PollWaiter>();
  const failures = new Map<string, FakeZaloFailure & { left: number }>();
  const listeners = new Set<(call: FakeZaloCall) => void>();
  const waiterRejects = new Set<(error: Error) => void>();
  let webhook: { url: string; secret_token: string; updated_at: number } | null = null;
  let closed = false;

  function takeFailure(method: string): FakeZaloFailure | undefined {
    for (const key of [method, "*"]) {
      const failure = failures.get(key);
      if (!failure) continue;
      failure.left--;
      if (failure.left <= 0) failures.delete(key);
      return failure;
    }
    return undefined;
  }

  function takeUpdates(): unknown {
    if (queue.length === 0) return undefined;
    if (updatesShape === "single" || (updatesShape === "auto" && queue.length === 1)) return queue.shift();
    return queue.splice(0, queue.length);
  }

  async function getUpdates(params: Record<string, unknown>, res: ServerResponse): Promise<unknown> {
    const raw = params.timeout ?? 30;
    const timeout = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout < 0) throw new FakeError(400, "timeout must be a number of seconds");
    if (queue.length === 0 && timeout > 0 && !closed) {
      const gone = await new Promise<boolean>((resolve) => {
        const waiter: PollWaiter = { wake: () => finish(!waiter.alive()), alive: () => !res.destroyed && res.socket?.destroyed !== true };
        const onClose = (): void => {
          if (!res.writableEnded) finish(true);
        };
        const timer = setTimeout(() => finish(false), Math.min(timeout * 1000, maxLongPollMs));
        function finish(clientGone: boolean): void {
          clearTimeout(timer);
          res.off("close", onClose);
          pollWaiters.delete(waiter);
          resolve(clientGone);
        }
        res.on("close", onClose);
        pollWaiters.add(waiter);
      });
      if (gone) throw new FakeError(499, "Client closed request");
    }
    const result = takeUpdates();
    // Zalo's idle answer: an error, not an empty list.
    if (result === undefined) throw new FakeError(408, "Request timeout");
    return result;
  }

  function execute(method: string, params: Record<string, unknown>, res: ServerResponse): Promise<unknown> | unknown {
    switch (method) {
      case "getMe":
        return { id: "1234567890", account_name: "bot.chibo_test", account_type: "BASIC", can_join_groups: false };
      case "getUpdates":
        return getUpdates(params, res);
      case "sendMessage":
        requireString(params, "chat_id");
        requireText(params, "text", true);
        return { message_id: messageId(), date: Date.now() };
      case "sendPhoto":
        requireString(params, "chat_id");
        requireUrl(params, "photo", ["http:", "https:"]);
        requireText(params, "caption", false);
        return { message_id: messageId(), date: Date.now() };
      case "sendChatAction":
        requireString(params, "chat_id");
        if (params.action !== "typing") throw new FakeError(400, "action must be typing");
        return undefined; // documented answer: { ok: true } without a result
      case "setWebhook": {
        const url = requireUrl(params, "url", ["https:"]);
        const secret = params.secret_token;
        if (typeof secret !== "string" || secret.length < 8 || secret.length > 256) throw new FakeError(400, "secret_token must be 8-256 characters");
        webhook = { url, secret_token: secret, updated_at: Date.now() };
        return { url, updated_at: webhook.updated_at };
      }
      case "deleteWebhook":
        webhook = null;
        return { url: "", updated_at: Date.now() };
      case "getWebhookInfo":
        return { url: webhook?.url ?? "", updated_at: webhook?.updated_at ?? Date.now() };
      default:
        throw new FakeError(404, "Not Found");
    }
  }

  function record(call: FakeZaloCall): void {
    calls.push(call);
    for (const listener of [...listeners]) listener(call);
  }

  function respond(res: ServerResponse, status: number, body: string): void {
    if (res.destroyed) return;
    const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    if (closed) headers.connection = "close"; // let close() finish without waiting for keep-alive sockets
    res.writeHead(status, headers);
    res.end(body);
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString("utf8");
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    let text: string;
    try {
      text = await readBody(req);
    } catch {
      return; // client went away
    }
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const match = PATH_RE.exec((req.url ?? "/").split("?")[0] ?? "/");
    const method = match?.[2] ?? req.url ?? "/";
    let params: Record<string, unknown> = {};
    try {
      if (!match || req.method !== "POST") throw new FakeError(404, "Not Found");
      if (decodeURIComponent(match[1] ?? "") !== token) throw new FakeError(401, "Unauthorized");
      if (text.trim() !== "") {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new FakeError(400, "Body is not valid JSON");
        }
        if (!isPlainObject(parsed)) throw new FakeError(400, "Body must be a JSON object");
        params = parsed;
      }
      const failure = takeFailure(method);
      if (failure) {
        const error_code = failure.error_code ?? failure.status;
        const description = failure.description ?? "Injected failure";
        record({ method, params, at, status: failure.status, error: { error_code, description } });
        respond(res, failure.status, failure.rawBody ?? JSON.stringify({ ok: false, error_code, description }));
        return;
      }
      const result = await execute(method, params, res);
      record({ method, params, at, status: 200, result });
      respond(res, 200, JSON.stringify(result === undefined ? { ok: true } : { ok: true, result }));
    } catch (e) {
      const error = e instanceof FakeError ? e : new FakeError(500, `Internal Server Error: ${String(e)}`);
      record({ method, params, at, status: error.error_code, error: { error_code: error.error_code, description: error.message } });
      respond(res, error.error_code, JSON.stringify({ ok: false, error_code: error.error_code, description: error.message }));
    }
  }

  const server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    onRequest(req, res).catch((e: unknown) => respond(res, 500, JSON.stringify({ ok: false, error_code: 500, description: String(e) })));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  function waitForCall(method: string, predicate: (call: FakeZaloCall) => boolean = () => true, timeoutMs = 5000): Promise<FakeZaloCall> {
    const matches = (call: FakeZaloCall): boolean => call.method === method && call.status === 200 && predicate(call);
    const found = calls.find(matches);
    if (found) return Promise.resolve(found);
    if (closed) return Promise.reject(new Error(`fake Zalo: waitForCall("${method}") after close()`));
    return new Promise<FakeZaloCall>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        listeners.delete(listener);
        waiterRejects.delete(rejectOnClose);
      };
      const listener = (call: FakeZaloCall): void => {
        if (!matches(call)) return;
        cleanup();
        resolve(call);
      };
      const rejectOnClose = (error: Error): void => {
        cleanup();
        reject(error);
      };
      const timer = setTimeout(() => {
        cleanup();
        const recent = calls.slice(-5).map((c) => `${c.method} ${c.status}`);
        reject(new Error(`fake Zalo: no successful ${method} call matched within ${timeoutMs} ms; last calls: ${recent.join(", ") || "none"}`));
      }, timeoutMs);
      listeners.add(listener);
      waiterRejects.add(rejectOnClose);
    });
  }

  let closePromise: Promise<void> | undefined;
  function close(): Promise<void> {
    if (closePromise) return closePromise;
    closed = true;
    for (const waiter of [...pollWaiters]) waiter.wake();
    for (const reject of [...waiterRejects]) reject(new Error("fake Zalo: closed while waitForCall() was pending"));
    closePromise = closeServer(server);
    return closePromise;
  }

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    port,
    calls,
    sent: (method) => calls.filter((c) => c.status === 200 && (method === undefined || c.method === method)),
    pushUpdate(update) {
      queue.push(update);
      const waiter = [...pollWaiters].find((w) => w.alive());
      waiter?.wake();
    },
    setUpdatesShape(shape) {
      updatesShape = shape;
    },
    failNext(method, failure) {
      failures.set(method, { ...failure, left: failure.times ?? 1 });
    },
    waitForCall,
    webhook: () => (webhook ? { url: webhook.url, secret_token: webhook.secret_token } : null),
    close,
  };
}

// ---------------------------------------------------------------------------------------------
// Updates as Zalo delivers them (the bare `{ event_name, message }`; a webhook body wraps it in
// `{ ok: true, result }`). None of these queue the update: pass it to pushUpdate.
// ---------------------------------------------------------------------------------------------

export interface FakeZaloUpdateOptions {
  /** The sender's Zalo id. */
  userId: string;
  /** Default: the sender's id, as in a private chat. Required for a group. */
  chatId?: string;
  /** The sender's display_name. Default "Zalo user". */
  name?: string;
  /** A GROUP chat (beta on Zalo) instead of PRIVATE. */
  group?: boolean;
  /** Default: a fresh 20-digit hex id like Zalo's. */
  messageId?: string;
  /** Epoch milliseconds. Default Date.now(). */
  date?: number;
}

function update(eventName: string, o: FakeZaloUpdateOptions, content: Record<string, string | undefined>): ZaloUpdate {
  if (o.group && o.chatId === undefined) throw new Error("fake Zalo: a group update needs a chatId");
  return {
    event_name: eventName,
    message: {
      message_id: o.messageId ?? messageId(),
      from: { id: o.userId, display_name: o.name ?? "Zalo user", is_bot: false },
      chat: { id: o.chatId ?? o.userId, chat_type: o.group ? "GROUP" : "PRIVATE" },
      date: o.date ?? Date.now(),
      ...Object.fromEntries(Object.entries(content).filter(([, v]) => v !== undefined)),
    },
  };
}

export function textUpdate(o: FakeZaloUpdateOptions & { text: string }): ZaloUpdate {
  return update("message.text.received", o, { text: o.text });
}

export function imageUpdate(o: FakeZaloUpdateOptions & { photoUrl: string; caption?: string }): ZaloUpdate {
  return update("message.image.received", o, { photo_url: o.photoUrl, caption: o.caption });
}

export function stickerUpdate(o: FakeZaloUpdateOptions & { sticker: string }): ZaloUpdate {
  return update("message.sticker.received", o, { sticker: o.sticker });
}
