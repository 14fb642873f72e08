/**
 * A small typed client for the Zalo Bot Platform API: `POST <apiRoot>/bot<token>/<method>` with a
 * JSON body, answered by `{ ok, result }` or `{ ok: false, error_code, description }`.
 *
 * No maintained SDK exists on the npm registry (SPEC §2), and the API is eight methods, so this is
 * written by hand over the global fetch. It does no retries and no pacing: a failure comes back as
 * a ZaloApiError saying whether trying again can help, and the caller (the delivery engine, the
 * polling loop) owns the back-off. What is documented and what was only observed elsewhere is
 * listed in docs/zalo-api.md.
 */
import type { z } from "zod";
import {
  zaloBotInfoSchema,
  zaloEnvelopeSchema,
  zaloSentMessageSchema,
  zaloUpdateSchema,
  zaloWebhookInfoSchema,
  type ZaloBotInfo,
  type ZaloMessage,
  type ZaloSendChatActionParams,
  type ZaloSendMessageParams,
  type ZaloSendPhotoParams,
  type ZaloSentMessage,
  type ZaloSetWebhookParams,
  type ZaloUpdate,
  type ZaloWebhookInfo,
} from "./types.ts";

export const ZALO_DEFAULT_API_ROOT = "https://bot-api.zaloplatforms.com";

/** Documented default of getUpdates' `timeout`, in seconds. */
export const ZALO_DEFAULT_POLL_TIMEOUT_SECONDS = 30;

/**
 * How much longer than the long poll itself a getUpdates request may take before it is given up:
 * Zalo holds the request for the whole poll, so a request timeout equal to the poll would cut off
 * answers that are merely on time.
 */
const POLL_GRACE_MS = 5_000;

/**
 * - api: Zalo answered with an error (`code` is its error_code, else the HTTP status).
 * - network: no answer (connection refused or reset, DNS). A send may or may not have gone out.
 * - timeout: no answer in time. A send may or may not have gone out.
 * - aborted: the caller's signal stopped the request (shutdown).
 * - malformed: an answer that is not JSON or not of the documented shape.
 */
export type ZaloErrorKind = "api" | "network" | "timeout" | "aborted" | "malformed";

export class ZaloApiError extends Error {
  readonly method: string;
  /** Zalo's error_code, else the HTTP status, else 0 (no answer, or a 2xx answer of the wrong shape). */
  readonly code: number;
  readonly description: string;
  readonly kind: ZaloErrorKind;
  /**
   * Whether the same call may succeed later: rate limits (429 "Quota exceeded", which carries no
   * retry_after, so the caller backs off exponentially), server errors, timeouts and network
   * failures. Bad requests, a wrong token, refusals and unknown methods fail the same way again.
   */
  readonly retryable: boolean;

  constructor(init: { method: string; code: number; description: string; kind: ZaloErrorKind; retryable: boolean }) {
    super(`Zalo ${init.method} failed (${init.kind} ${init.code}): ${init.description}`);
    this.name = "ZaloApiError";
    this.method = init.method;
    this.code = init.code;
    this.description = init.description;
    this.kind = init.kind;
    this.retryable = init.retryable;
  }
}

export interface ZaloClientOptions {
  token: string;
  /** Default https://bot-api.zaloplatforms.com; tests point it at the fake server. */
  apiRoot?: string;
  fetch?: typeof globalThis.fetch;
  /** Deadline of an ordinary call. Default 30 s. */
  requestTimeoutMs?: number;
  /** Deadline of sendPhoto, longer because Zalo downloads the image before it answers. Default 90 s. */
  photoTimeoutMs?: number;
  /**
   * Told about an update getUpdates received but could not read. Zalo has no offset to ask for it
   * again (an update is gone once answered), so the only thing left to do is to log it.
   */
  onInvalidUpdate?: (raw: unknown, problem: string) => void;
}

export interface ZaloRequestOptions {
  /** Aborts the request, e.g. a long poll on shutdown. */
  signal?: AbortSignal;
}

export interface ZaloGetUpdatesParams {
  /** Long poll duration in seconds. Default 30. */
  timeout?: number;
}

export interface ZaloClient {
  getMe(options?: ZaloRequestOptions): Promise<ZaloBotInfo>;
  /** The updates of one long poll; [] when the poll ended with nothing. */
  getUpdates(params?: ZaloGetUpdatesParams, options?: ZaloRequestOptions): Promise<ZaloUpdate[]>;
  setWebhook(params: ZaloSetWebhookParams, options?: ZaloRequestOptions): Promise<void>;
  deleteWebhook(options?: ZaloRequestOptions): Promise<void>;
  /** `url` is "" when no webhook is set. */
  getWebhookInfo(options?: ZaloRequestOptions): Promise<ZaloWebhookInfo>;
  sendMessage(params: ZaloSendMessageParams, options?: ZaloRequestOptions): Promise<ZaloSentMessage>;
  sendPhoto(params: ZaloSendPhotoParams, options?: ZaloRequestOptions): Promise<ZaloSentMessage>;
  sendChatAction(params: ZaloSendChatActionParams, options?: ZaloRequestOptions): Promise<void>;
}

function isRetryableCode(code: number): boolean {
  return code === 408 || code === 429 || (code >= 500 && code <= 599);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "unexpected shape";
  return issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message;
}

export function createZaloClient(options: ZaloClientOptions): ZaloClient {
  const { token } = options;
  const apiRoot = (options.apiRoot ?? ZALO_DEFAULT_API_ROOT).replace(/\/+$/, "");
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const photoTimeoutMs = options.photoTimeoutMs ?? 90_000;

  // The token is part of every URL; nothing that reaches a log may carry it.
  const redact = (text: string): string => (token ? text.split(token).join("<token>") : text);

  function malformed(method: string, status: number, description: string): ZaloApiError {
    const answered = status >= 200 && status <= 299;
    return new ZaloApiError({
      method,
      code: answered ? 0 : status,
      description: redact(description),
      kind: "malformed",
      retryable: !answered && isRetryableCode(status),
    });
  }

  function transportError(method: string, error: unknown, deadline: AbortSignal, callerSignal: AbortSignal | undefined): ZaloApiError {
    if (callerSignal?.aborted) return new ZaloApiError({ method, code: 0, description: "aborted by the caller", kind: "aborted", retryable: false });
    if (deadline.aborted) return new ZaloApiError({ method, code: 0, description: "no answer in time", kind: "timeout", retryable: true });
    // fetch reports network failures as TypeError("fetch failed") with the system error as cause.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
    const detail = [error instanceof Error ? error.message : String(error), cause && "code" in cause ? String(cause.code) : cause?.message]
      .filter(Boolean)
      .join(": ");
    return new ZaloApiError({ method, code: 0, description: redact(detail), kind: "network", retryable: true });
  }

  /** Calls `method` and answers its `result` (undefined when there is none); throws ZaloApiError. */
  async function call(method: string, params: object, timeoutMs: number, callerSignal: AbortSignal | undefined): Promise<unknown> {
    const deadline = AbortSignal.timeout(timeoutMs);
    const signal = callerSignal ? AbortSignal.any([deadline, callerSignal]) : deadline;
    let status: number;
    let text: string;
    try {
      const response = await fetchImpl(`${apiRoot}/bot${token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(params),
        signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      throw transportError(method, error, deadline, callerSignal);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw malformed(method, status, `HTTP ${status}, the answer is not JSON`);
    }
    const envelope = zaloEnvelopeSchema.safeParse(json);
    if (!envelope.success) throw malformed(method, status, `HTTP ${status}, the answer has no ok field`);
    const { ok, result, error_code, description } = envelope.data;
    if (!ok || status < 200 || status > 299) {
      const code = error_code ?? status;
      throw new ZaloApiError({
        method,
        code,
        description: redact(description ?? `HTTP ${status}`),
        kind: "api",
        retryable: isRetryableCode(code) || (status >= 500 && status <= 599),
      });
    }
    return result;
  }

  function read<T>(method: string, schema: z.ZodType<T>, result: unknown): T {
    const parsed = schema.safeParse(result);
    if (!parsed.success) throw malformed(method, 200, `unexpected result: ${firstIssue(parsed.error)}`);
    return parsed.data;
  }

  return {
    async getMe(opts) {
      return read("getMe", zaloBotInfoSchema, await call("getMe", {}, requestTimeoutMs, opts?.signal));
    },

    async getUpdates(params, opts) {
      const timeout = params?.timeout ?? ZALO_DEFAULT_POLL_TIMEOUT_SECONDS;
      let result: unknown;
      try {
        // The parameter table types timeout as a String (the sample sends a number); the string
        // form is what the other clients send.
        result = await call("getUpdates", { timeout: String(timeout) }, timeout * 1000 + POLL_GRACE_MS, opts?.signal);
      } catch (error) {
        // A long poll that ends with nothing is answered with error 408 "Request timeout" rather
        // than with an empty list as on Telegram: that is the normal idle rhythm, not a failure.
        if (error instanceof ZaloApiError && error.kind === "api" && error.code === 408) return [];
        throw error;
      }
      // Documented as one update per answer; some clients have seen an array. Both are taken.
      if (result === undefined || result === null) return [];
      if (!isPlainObject(result) && !Array.isArray(result)) throw malformed("getUpdates", 200, "unexpected result: neither an update nor a list");
      if (isPlainObject(result) && Object.keys(result).length === 0) return [];
      const updates: ZaloUpdate[] = [];
      for (const raw of Array.isArray(result) ? result : [result]) {
        const parsed = zaloUpdateSchema.safeParse(raw);
        if (parsed.success) updates.push(parsed.data);
        else options.onInvalidUpdate?.(raw, firstIssue(parsed.error));
      }
      return updates;
    },

    async setWebhook(params, opts) {
      await call("setWebhook", params, requestTimeoutMs, opts?.signal);
    },

    async deleteWebhook(opts) {
      await call("deleteWebhook", {}, requestTimeoutMs, opts?.signal);
    },

    async getWebhookInfo(opts) {
      try {
        return read("getWebhookInfo", zaloWebhookInfoSchema, await call("getWebhookInfo", {}, requestTimeoutMs, opts?.signal));
      } catch (error) {
        // Observed: a bot without a webhook gets 404 here rather than an empty url.
        if (error instanceof ZaloApiError && error.kind === "api" && error.code === 404) return { url: "" };
        throw error;
      }
    },

    async sendMessage(params, opts) {
      return read("sendMessage", zaloSentMessageSchema, await call("sendMessage", params, requestTimeoutMs, opts?.signal));
    },

    async sendPhoto(params, opts) {
      return read("sendPhoto", zaloSentMessageSchema, await call("sendPhoto", params, photoTimeoutMs, opts?.signal));
    },

    async sendChatAction(params, opts) {
      // Documented answer: `{ ok: true }` with no result.
      await call("sendChatAction", params, requestTimeoutMs, opts?.signal);
    },
  };
}

/**
 * The update in a webhook delivery, or undefined when the body is not one. Zalo documents the body
 * as `{ ok: true, result: { event_name, message } }`; deliveries without the wrapper have been seen
 * too. A list is refused: deliveries are documented as one update each.
 */
export function parseWebhookBody(body: unknown): ZaloUpdate | undefined {
  if (!isPlainObject(body)) return undefined;
  const candidate = "event_name" in body ? body : body.ok === true ? body.result : undefined;
  const parsed = zaloUpdateSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The key that recognises a delivery seen before. Zalo has no update id; the same message comes
 * back with the same message id when a webhook delivery is repeated.
 */
export function updateKey(update: ZaloUpdate): string {
  return `${update.event_name}:${update.message.message_id}`;
}

export function isGroupChat(update: ZaloUpdate): boolean {
  return update.message.chat.chat_type === "GROUP";
}

/** The image of a message.image.received update, under the name observed or the one documented. */
export function messageImageUrl(message: ZaloMessage): string | undefined {
  return message.photo_url ?? message.photo;
}
