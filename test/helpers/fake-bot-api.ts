/**
 * A fake Telegram Bot API server for tests and benchmarks.
 *
 * It listens on 127.0.0.1 (random port) and speaks the wire protocol the way grammY uses it:
 * `POST {apiRoot}/bot{token}/{method}` with a JSON body, or multipart/form-data when a file is
 * uploaded. It answers `{ ok: true, result }` or `{ ok: false, error_code, description, parameters? }`
 * with the matching HTTP status, and it rejects what the real API rejects, using the official method
 * list in `test/fixtures/telegram-bot-api.json`.
 *
 * Files the "user" sends are stored with `addFile` (or built into an update by `documentUpdate`);
 * `getFile` answers their `File` object and `GET {apiRoot}/file/bot{token}/{file_path}` serves
 * their bytes, as the real API does (20 MB download limit included).
 *
 * ```ts
 * const api = await startFakeBotApi();
 * const bot = new Bot(api.token, { client: { apiRoot: api.apiRoot } });
 * await bot.api.sendMessage(42, "<b>Chi bộ</b>", { parse_mode: "HTML" });
 * expect(api.sent("sendMessage")).toHaveLength(1);
 * await api.close();
 * ```
 */
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import type { Update } from "grammy/types";
import { closeServer } from "./close-server.ts";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

export interface FakeBotApiOptions {
  /** Token the bot must use in the URL. Default "123456:TEST". */
  token?: string;
  /** Username returned by getMe. Default "chibo_test_bot". */
  botUsername?: string;
  /** Added before answering every call (simulated round trip). Default 0. */
  latencyMs?: number;
  /** Sends (send*, edit*, copy*, forward* methods; not sendChatAction) per rolling second across all chats; exceeding → 429. */
  globalLimitPerSecond?: number;
  /** Sends per rolling second to one private chat (positive chat id). Default: no limit. */
  perChatPerSecond?: number;
  /** Sends per rolling minute to one group (negative chat id or "@username"). Default: no limit. */
  perGroupPerMinute?: number;
  /** Value put in parameters.retry_after on 429. Default 1. */
  retryAfterSeconds?: number;
  /** Longest real wait of a getUpdates long poll, whatever its `timeout`. Default 1000 ms. */
  maxLongPollMs?: number;
  /**
   * Keep every call, chat and sent message for inspection. Default true. Load runs turn it off
   * and take what they need through `onCall`: a fake that keeps 50,000 calls spends tens of
   * milliseconds at a time copying them in garbage collection, and requests that arrive
   * meanwhile are then counted together, as a burst the sender never made.
   */
  retain?: boolean;
  /** Called with every call once it is answered (also when `retain` is off). */
  onCall?: (call: RecordedCall) => void;
}

export interface RecordedFile {
  filename: string;
  size: number;
  bytes: Buffer;
}

export interface FakeBotApiError {
  error_code: number;
  description: string;
  parameters?: Record<string, unknown>;
}

export interface RecordedCall {
  method: string;
  /** Parameters as received; multipart/query string values are converted to the declared types. */
  params: Record<string, unknown>;
  /** Date.now() when the request arrived. */
  at: number;
  /** HTTP status answered (200 on success; 499 if the client went away during a long poll). */
  status: number;
  /** Uploaded files, keyed by the parameter that references them (e.g. "document"). */
  files?: Record<string, RecordedFile>;
  /** The `result` answered, on success. */
  result?: unknown;
  /** The error answered, on failure. */
  error?: FakeBotApiError;
}

export interface TextUpdateOptions {
  chatId: number;
  fromId?: number;
  text: string;
  languageCode?: string;
  firstName?: string;
  chatType?: "private" | "group" | "supergroup";
  updateId?: number;
}

export interface CallbackUpdateOptions {
  chatId: number;
  fromId?: number;
  data: string;
  messageId?: number;
  languageCode?: string;
  firstName?: string;
  updateId?: number;
}

export interface AddFileOptions {
  fileName?: string;
  mimeType?: string;
}

/** What `addFile` answers: the identifiers a message from the user would carry. */
export interface AddedFile {
  file_id: string;
  file_unique_id: string;
  file_size: number;
}

export interface DocumentUpdateOptions {
  chatId: number;
  fromId?: number;
  fileName: string;
  bytes: Uint8Array;
  /** Default: guessed from the file name's extension, else "application/octet-stream". */
  mimeType?: string;
  caption?: string;
  chatType?: "private" | "group" | "supergroup";
  languageCode?: string;
  firstName?: string;
  updateId?: number;
}

export interface MigrateUpdateOptions {
  /** The basic group (negative id) that became a supergroup. */
  fromChatId: number;
  /** The new supergroup (a -100… id). */
  toChatId: number;
  /** Who upgraded the group. Default: the default group user. */
  fromId?: number;
  updateId?: number;
}

export type BotMemberStatus = "member" | "administrator" | "left" | "kicked";

export interface MyChatMemberUpdateOptions {
  chatId: number;
  chatType: "group" | "supergroup";
  newStatus: BotMemberStatus;
  /** Default: the bot's status from the previous myChatMemberUpdate of this chat, else "left" when joining and "member" when leaving. */
  oldStatus?: BotMemberStatus;
  /** Who changed the bot's membership. Default: the default group user. */
  fromId?: number;
  updateId?: number;
}

export interface FakeBotApiStats {
  total: number;
  ok: number;
  rateLimited: number;
  /** Number of calls per method, whatever their outcome. */
  byMethod: Record<string, number>;
}

export interface FakeBotApi {
  apiRoot: string;
  token: string;
  port: number;
  /** Every call, in order, including rejected ones (status != 200); empty when `retain` is off. */
  calls: RecordedCall[];
  /** Successful calls, optionally of one method (none when `retain` is off). */
  sent(method?: string): RecordedCall[];
  /** Queues an update for getUpdates, assigns update_id if missing, returns it. */
  pushUpdate(update: object): number;
  /** Builds a realistic Update with a message (and a bot_command entity when text starts with "/"). Does not queue it. */
  textUpdate(opts: TextUpdateOptions): Update;
  /** Builds a realistic callback_query Update (by default on the last bot message with a keyboard in that chat). Does not queue it. */
  callbackUpdate(opts: CallbackUpdateOptions): Update;
  /** Stores a file the user will send; `getFile` and the download URL then know it. */
  addFile(bytes: Uint8Array, options?: AddFileOptions): AddedFile;
  /** Builds a realistic Update with a message carrying `document` (the file is stored with addFile). Does not queue it. */
  documentUpdate(opts: DocumentUpdateOptions): Update;
  /** Builds the service message a basic group sends when it becomes a supergroup (`migrate_to_chat_id`, in the old group). Does not queue it. */
  migrateUpdate(opts: MigrateUpdateOptions): Update;
  /** Builds a my_chat_member Update: the bot's own membership in a group changed. getChatMember for the bot follows it. Does not queue it. */
  myChatMemberUpdate(opts: MyChatMemberUpdateOptions): Update;
  /** The next `times` (default 1) valid calls of `method` ("*" = any method) fail with this error. */
  failNext(method: string, error: FakeBotApiError, times?: number): void;
  /** Resolves with the first matching successful call (already recorded or future); rejects on timeout (default 5000 ms). */
  /** The first successful call of `method` (or of any of several, e.g. a message sent or edited) that matches. */
  waitForCall(method: string | string[], predicate?: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  stats(): FakeBotApiStats;
  /** Clears calls, updates, failures, stats, rate-limit windows, messages, commands, files, bot memberships and webhook. update_id and file ids keep increasing. */
  reset(): void;
  /** Closes the server, releases pending long polls. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Official method list (module-level cache)
// ---------------------------------------------------------------------------------------------

interface SchemaField {
  name: string;
  types: string[];
  required: boolean;
  description?: string;
}
interface SchemaEntry {
  name: string;
  fields?: SchemaField[];
  subtypes?: string[];
  returns?: string[];
}
interface SchemaFile {
  methods: Record<string, SchemaEntry>;
  types: Record<string, SchemaEntry>;
}
interface CompiledMethod {
  name: string;
  fields: Map<string, SchemaField>;
  required: SchemaField[];
  returns: string[];
  /** Counts towards the send rate limits. */
  isSend: boolean;
}
interface CompiledSchema {
  methods: Map<string, CompiledMethod>;
  byLowerName: Map<string, CompiledMethod>;
  types: Map<string, SchemaEntry>;
  /** union type → (discriminator value → subtypes); null when the subtypes have no discriminator. */
  discriminators: Map<string, { field: string; map: Map<string, string[]> } | null>;
}

const SCHEMA_URL = new URL("../fixtures/telegram-bot-api.json", import.meta.url);
let schemaCache: CompiledSchema | undefined;

function loadSchema(): CompiledSchema {
  if (schemaCache) return schemaCache;
  const raw = JSON.parse(readFileSync(SCHEMA_URL, "utf8")) as SchemaFile;
  const methods = new Map<string, CompiledMethod>();
  const byLowerName = new Map<string, CompiledMethod>();
  for (const [name, entry] of Object.entries(raw.methods)) {
    const fields = new Map<string, SchemaField>();
    for (const f of entry.fields ?? []) fields.set(f.name, f);
    const compiled: CompiledMethod = {
      name,
      fields,
      required: (entry.fields ?? []).filter((f) => f.required),
      returns: entry.returns ?? [],
      isSend: /^(send|edit|copy|forward)/.test(name) && name !== "sendChatAction",
    };
    methods.set(name, compiled);
    byLowerName.set(name.toLowerCase(), compiled);
  }
  schemaCache = { methods, byLowerName, types: new Map(Object.entries(raw.types)), discriminators: new Map() };
  return schemaCache;
}

/** Names of the methods in the official list. */
export function botApiMethodNames(): string[] {
  return [...loadSchema().methods.keys()];
}

/** null when `value` is a valid `typeName` (e.g. "Update", "Message") of the official list, else why it is not. */
export function botApiTypeError(value: unknown, typeName: string): string | null {
  const s = loadSchema();
  if (!s.types.has(typeName)) throw new Error(`fake Bot API: unknown type "${typeName}"`);
  return checkValue(s, value, typeName, 0);
}

// ---------------------------------------------------------------------------------------------
// Type checking against the official list
// ---------------------------------------------------------------------------------------------

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const DISCRIMINATOR_RE = /(?:must be|always)\s+[“"]?([A-Za-z_]+)[”"]?/;

function discriminatorOf(s: CompiledSchema, union: string): { field: string; map: Map<string, string[]> } | null {
  const cached = s.discriminators.get(union);
  if (cached !== undefined) return cached;
  let result: { field: string; map: Map<string, string[]> } | null = null;
  const subtypes = s.types.get(union)?.subtypes ?? [];
  outer: for (const field of ["type", "source", "status"]) {
    const map = new Map<string, string[]>();
    for (const sub of subtypes) {
      const f = s.types.get(sub)?.fields?.find((x) => x.name === field);
      const m = f?.description ? DISCRIMINATOR_RE.exec(f.description) : null;
      if (!m?.[1]) continue outer;
      const list = map.get(m[1]) ?? [];
      list.push(sub);
      map.set(m[1], list);
    }
    if (map.size > 0) {
      result = { field, map };
      break;
    }
  }
  s.discriminators.set(union, result);
  return result;
}

/** null when `v` has type `type`, else a short explanation. */
function checkValue(s: CompiledSchema, v: unknown, type: string, depth: number): string | null {
  if (depth > 40) return null;
  if (type.startsWith("Array of ")) {
    if (!Array.isArray(v)) return "must be an Array";
    const inner = type.slice(9);
    for (let i = 0; i < v.length; i++) {
      const e = checkValue(s, v[i], inner, depth + 1);
      if (e !== null) return `element ${i} ${e}`;
    }
    return null;
  }
  switch (type) {
    case "Integer":
      return typeof v === "number" && Number.isInteger(v) ? null : "must be an Integer";
    case "Float":
      return typeof v === "number" && Number.isFinite(v) ? null : "must be a Float";
    case "String":
      return typeof v === "string" ? null : "must be a String";
    case "Boolean":
      return typeof v === "boolean" ? null : "must be a Boolean";
    case "InputFile":
      return typeof v === "string" ? null : "must be a String or an uploaded file";
    case "KeyboardButton":
      if (typeof v === "string") return null; // Telegram accepts a bare string as a text button
      break;
  }
  if (!isPlainObject(v)) return `must be an Object (${type})`;
  const t = s.types.get(type);
  if (!t) return null;
  if (t.subtypes && t.subtypes.length > 0) {
    const d = discriminatorOf(s, type);
    const tag = d ? v[d.field] : undefined;
    if (d && typeof tag === "string") {
      const candidates = d.map.get(tag);
      if (!candidates) return `has unsupported ${d.field} "${tag}" for ${type}`;
      let firstError: string | null = null;
      for (const c of candidates) {
        const e = checkValue(s, v, c, depth + 1);
        if (e === null) return null;
        firstError ??= e;
      }
      return firstError;
    }
    for (const sub of t.subtypes) if (checkValue(s, v, sub, depth + 1) === null) return null;
    return `does not match any kind of ${type}`;
  }
  for (const f of t.fields ?? []) {
    const fv = v[f.name];
    if (fv === undefined || fv === null) {
      if (f.required) return `field "${f.name}" of ${type} is required`;
      continue;
    }
    const e = checkAny(s, fv, f.types, depth + 1);
    if (e !== null) return `field "${f.name}" of ${type} ${e}`;
  }
  return null;
}

function checkAny(s: CompiledSchema, v: unknown, types: readonly string[], depth: number): string | null {
  let first: string | null = null;
  for (const t of types) {
    const e = checkValue(s, v, t, depth);
    if (e === null) return null;
    first ??= e;
  }
  return types.length === 1 ? first : `must be of type ${types.join(" or ")}`;
}

/** Converts a multipart / query string value to the first declared type it can represent. */
function coerceString(s: CompiledSchema, value: string, field: SchemaField): unknown {
  for (const t of field.types) {
    if (t === "String" || t === "InputFile") continue;
    if (t === "Integer") {
      if (/^-?\d+$/.test(value)) return Number(value);
      continue;
    }
    if (t === "Float") {
      if (value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
      continue;
    }
    if (t === "Boolean") {
      const l = value.toLowerCase();
      if (l === "true") return true;
      if (l === "false") return false;
      continue;
    }
    try {
      const parsed: unknown = JSON.parse(value);
      if (checkValue(s, parsed, t, 0) === null) return parsed;
    } catch {
      // not JSON
    }
  }
  if (field.types.includes("String") || field.types.includes("InputFile")) return value;
  try {
    return JSON.parse(value) as unknown; // let the type check explain what is wrong with it
  } catch {
    return value;
  }
}

// ---------------------------------------------------------------------------------------------
// Telegram HTML
// ---------------------------------------------------------------------------------------------

export interface TelegramEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export type TelegramHtmlResult = { ok: true; text: string; entities: TelegramEntity[] } | { ok: false; error: string };

const HTML_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"]);
const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}
function isNameChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95 || c === 58;
}
function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Decodes the HTML entity starting at s[i] === "&"; null when it is not a supported entity. */
function decodeEntityAt(s: string, i: number): { char: string; end: number } | null {
  let j = i + 1;
  if (s.charCodeAt(j) === 35 /* # */) {
    j++;
    const hex = s.charCodeAt(j) === 120 || s.charCodeAt(j) === 88;
    if (hex) j++;
    const start = j;
    while (j < s.length && j - start < 8 && (hex ? isHexDigit(s.charCodeAt(j)) : s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57)) j++;
    if (j === start || s.charCodeAt(j) !== 59 /* ; */) return null;
    const code = Number.parseInt(s.slice(start, j), hex ? 16 : 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
    return { char: String.fromCodePoint(code), end: j + 1 };
  }
  const start = j;
  while (j < s.length && j - start < 8 && /[A-Za-z]/.test(s.charAt(j))) j++;
  if (s.charCodeAt(j) !== 59) return null;
  const named = NAMED_ENTITIES[s.slice(start, j)];
  return named === undefined ? null : { char: named, end: j + 1 };
}

/** Attribute values: supported entities are decoded, other "&" are kept (as browsers and Telegram do). */
function decodeAttribute(v: string): string {
  if (!v.includes("&")) return v;
  let out = "";
  let i = 0;
  while (i < v.length) {
    if (v.charCodeAt(i) === 38) {
      const d = decodeEntityAt(v, i);
      if (d) {
        out += d.char;
        i = d.end;
        continue;
      }
    }
    out += v.charAt(i);
    i++;
  }
  return out;
}

interface OpenTag {
  tag: string;
  start: number;
  attrs: Map<string, string>;
  language?: string;
}

/**
 * Parses text with parse_mode "HTML" like Telegram: returns the plain text and its entities
 * (offsets in UTF-16 code units), or the error detail that follows "Bad Request: can't parse entities: ".
 */
export function parseTelegramHtml(input: string): TelegramHtmlResult {
  if (!input.includes("<") && !input.includes("&")) return { ok: true, text: input, entities: [] };
  const n = input.length;
  const byteAt = (pos: number): number => Buffer.byteLength(input.slice(0, pos), "utf8");
  const fail = (error: string): TelegramHtmlResult => ({ ok: false, error });
  const stack: OpenTag[] = [];
  const entities: TelegramEntity[] = [];
  let out = "";
  let i = 0;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (c === 38 /* & */) {
      const d = decodeEntityAt(input, i);
      if (!d) return fail(`Character "&" must be escaped as "&amp;" at byte offset ${byteAt(i)}`);
      out += d.char;
      i = d.end;
      continue;
    }
    if (c !== 60 /* < */) {
      let j = i + 1;
      while (j < n) {
        const d = input.charCodeAt(j);
        if (d === 38 || d === 60) break;
        j++;
      }
      out += input.slice(i, j);
      i = j;
      continue;
    }
    const begin = i;
    if (input.charCodeAt(i + 1) === 47 /* / */) {
      const top = stack[stack.length - 1];
      if (!top) return fail(`Unexpected end tag at byte offset ${byteAt(begin)}`);
      let j = i + 2;
      while (j < n && isNameChar(input.charCodeAt(j))) j++;
      const name = input.slice(i + 2, j).toLowerCase();
      while (j < n && isSpace(input.charCodeAt(j))) j++;
      if (name !== "" && name !== top.tag) {
        return fail(`Unmatched end tag at byte offset ${byteAt(begin)}, expected "</${top.tag}>", found "</${name}>"`);
      }
      if (j >= n || input.charCodeAt(j) !== 62 /* > */) return fail(`Unclosed end tag at byte offset ${byteAt(begin)}`);
      stack.pop();
      i = j + 1;
      closeTag(top, out.length, stack, entities);
      continue;
    }
    // start tag
    let j = i + 1;
    while (j < n && !isSpace(input.charCodeAt(j)) && input.charCodeAt(j) !== 62) j++;
    if (j >= n) return fail(`Unclosed start tag at byte offset ${byteAt(begin)}`);
    const tag = input.slice(i + 1, j).toLowerCase();
    if (!HTML_TAGS.has(tag)) return fail(`Unsupported start tag "${tag}" at byte offset ${byteAt(begin)}`);
    const attrs = new Map<string, string>();
    for (;;) {
      while (j < n && isSpace(input.charCodeAt(j))) j++;
      if (j >= n) return fail(`Unclosed start tag at byte offset ${byteAt(begin)}`);
      if (input.charCodeAt(j) === 62) {
        j++;
        break;
      }
      const nameStart = j;
      while (j < n && isNameChar(input.charCodeAt(j))) j++;
      if (j === nameStart) return fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteAt(j)}`);
      const attrName = input.slice(nameStart, j).toLowerCase();
      while (j < n && isSpace(input.charCodeAt(j))) j++;
      let value = "";
      if (input.charCodeAt(j) === 61 /* = */) {
        j++;
        while (j < n && isSpace(input.charCodeAt(j))) j++;
        if (j >= n) return fail(`Unclosed start tag at byte offset ${byteAt(begin)}`);
        const q = input.charCodeAt(j);
        if (q === 34 || q === 39) {
          const closeQuote = input.indexOf(q === 34 ? '"' : "'", j + 1);
          if (closeQuote === -1) return fail(`Unclosed start tag at byte offset ${byteAt(begin)}`);
          value = decodeAttribute(input.slice(j + 1, closeQuote));
          j = closeQuote + 1;
        } else {
          const valueStart = j;
          while (j < n && !isSpace(input.charCodeAt(j)) && input.charCodeAt(j) !== 62) j++;
          value = decodeAttribute(input.slice(valueStart, j));
        }
      }
      if (!attrs.has(attrName)) attrs.set(attrName, value);
    }
    if (tag === "span" && attrs.get("class") !== "tg-spoiler") {
      return fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteAt(begin)}`);
    }
    if (tag === "tg-emoji" && !/^\d+$/.test(attrs.get("emoji-id") ?? "")) {
      return fail(`Custom emoji entity must have a numeric "emoji-id" attribute at byte offset ${byteAt(begin)}`);
    }
    stack.push({ tag, start: out.length, attrs });
    i = j;
  }
  const open = stack[stack.length - 1];
  if (open) return fail(`Can't find end tag corresponding to start tag "${open.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { ok: true, text: out, entities };
}

function closeTag(open: OpenTag, end: number, stack: OpenTag[], entities: TelegramEntity[]): void {
  const parent = stack[stack.length - 1];
  if (open.tag === "code" && parent?.tag === "pre") {
    const cls = open.attrs.get("class") ?? "";
    if (cls.startsWith("language-") && cls.length > 9) parent.language = cls.slice(9);
    return; // <pre><code> is a single pre entity
  }
  const offset = open.start;
  const length = end - open.start;
  if (length <= 0) return;
  switch (open.tag) {
    case "b":
    case "strong":
      entities.push({ type: "bold", offset, length });
      return;
    case "i":
    case "em":
      entities.push({ type: "italic", offset, length });
      return;
    case "u":
    case "ins":
      entities.push({ type: "underline", offset, length });
      return;
    case "s":
    case "strike":
    case "del":
      entities.push({ type: "strikethrough", offset, length });
      return;
    case "span":
    case "tg-spoiler":
      entities.push({ type: "spoiler", offset, length });
      return;
    case "a": {
      const href = open.attrs.get("href");
      if (href) entities.push({ type: "text_link", offset, length, url: href });
      return;
    }
    case "code":
      entities.push({ type: "code", offset, length });
      return;
    case "pre":
      entities.push(open.language ? { type: "pre", offset, length, language: open.language } : { type: "pre", offset, length });
      return;
    case "blockquote":
      entities.push({ type: open.attrs.has("expandable") ? "expandable_blockquote" : "blockquote", offset, length });
      return;
    case "tg-emoji":
      entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: open.attrs.get("emoji-id") ?? "" });
      return;
  }
}

/** Length as Telegram counts it (Unicode code points). */
function codePointLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// Request parsing
// ---------------------------------------------------------------------------------------------

class ApiError extends Error {
  readonly error_code: number;
  readonly description: string;
  readonly parameters: Record<string, unknown> | undefined;
  constructor(errorCode: number, description: string, parameters?: Record<string, unknown>) {
    super(description);
    this.error_code = errorCode;
    this.description = description;
    this.parameters = parameters;
  }
  toJSON(): FakeBotApiError {
    return this.parameters
      ? { error_code: this.error_code, description: this.description, parameters: this.parameters }
      : { error_code: this.error_code, description: this.description };
  }
}

/** The client closed the connection while its long poll was waiting. */
class ClientGone extends Error {}

function badRequest(detail: string): ApiError {
  return new ApiError(400, `Bad Request: ${detail}`);
}

interface UploadedPart {
  filename: string;
  contentType: string;
  bytes: Buffer;
}

interface ParsedInput {
  json: Record<string, unknown>;
  strings: Record<string, string>;
  parts: Map<string, UploadedPart>;
  error?: string;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 1) return chunks[0] as Buffer;
  return Buffer.concat(chunks);
}

function parseInput(contentType: string, body: Buffer, query: string): ParsedInput {
  const input: ParsedInput = { json: {}, strings: {}, parts: new Map() };
  if (query) for (const [k, v] of new URLSearchParams(query)) input.strings[k] = v;
  if (body.length === 0) return input;
  const ct = contentType.toLowerCase();
  if (ct.startsWith("multipart/form-data")) {
    const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    const boundary = m?.[1] ?? m?.[2];
    const parsed = boundary ? parseMultipart(body, boundary) : null;
    if (!parsed) return { ...input, error: "can't parse multipart/form-data body" };
    Object.assign(input.strings, parsed.fields);
    input.parts = parsed.files;
    return input;
  }
  if (ct.startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) input.strings[k] = v;
    return input;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return { ...input, error: "can't parse JSON object" };
  }
  if (!isPlainObject(parsed)) return { ...input, error: "can't parse JSON object" };
  input.json = parsed;
  return input;
}

function unquoteHeaderValue(quoted: string | undefined, bare: string | undefined): string | undefined {
  if (quoted !== undefined) {
    return quoted.replace(/\\(.)/g, "$1").replace(/%22/g, '"').replace(/%0A/gi, "\n").replace(/%0D/gi, "\r");
  }
  return bare?.trim();
}

/**
 * Tolerant multipart/form-data parser. grammY writes `filename=` unquoted and with raw UTF-8
 * (e.g. `filename=báo cáo.pdf`), which undici's Request#formData() refuses, hence our own parser.
 */
function parseMultipart(body: Buffer, boundary: string): { fields: Record<string, string>; files: Map<string, UploadedPart> } | null {
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedPart>();
  const delimiter = Buffer.from(`--${boundary}`);
  const nextDelimiter = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos === -1) return null;
  for (;;) {
    let start = pos + delimiter.length;
    if (body[start] === 45 && body[start + 1] === 45) break; // closing "--"
    if (body[start] === 13) start++;
    if (body[start] === 10) start++;
    const next = body.indexOf(nextDelimiter, start);
    if (next === -1) return null;
    const part = body.subarray(start, next);
    const headerEnd = part.indexOf("\r\n\r\n");
    if (headerEnd === -1) return null;
    const headers = part.subarray(0, headerEnd).toString("utf8").split(/\r?\n/);
    const content = part.subarray(headerEnd + 4);
    let disposition = "";
    let partType = "application/octet-stream";
    for (const line of headers) {
      const colon = line.indexOf(":");
      if (colon === -1) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (key === "content-disposition") disposition = value;
      else if (key === "content-type") partType = value;
    }
    const nameMatch = /(?:^|;)\s*name\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(disposition);
    const name = unquoteHeaderValue(nameMatch?.[1], nameMatch?.[2]);
    if (name !== undefined) {
      const star = /;\s*filename\*\s*=\s*[^']*'[^']*'([^;]*)/i.exec(disposition);
      const plain = /;\s*filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/i.exec(disposition);
      let filename: string | undefined;
      if (star?.[1] !== undefined) {
        try {
          filename = decodeURIComponent(star[1].trim());
        } catch {
          filename = star[1].trim();
        }
      } else if (plain) {
        filename = unquoteHeaderValue(plain[1], plain[2]) ?? "";
      }
      if (filename !== undefined) files.set(name, { filename, contentType: partType, bytes: Buffer.from(content) });
      else fields[name] = content.toString("utf8");
    }
    pos = next + 2;
  }
  return { fields, files };
}

// ---------------------------------------------------------------------------------------------
// Rate-limit windows (ring buffers of timestamps)
// ---------------------------------------------------------------------------------------------

class Window {
  readonly times: Float64Array;
  readonly spanMs: number;
  next = 0;
  count = 0;
  constructor(capacity: number, spanMs: number) {
    this.times = new Float64Array(Math.max(1, capacity));
    this.spanMs = spanMs;
  }
  /** Whether one more event fits in the rolling window at `now`. */
  allows(now: number): boolean {
    if (this.count < this.times.length) return true;
    return now - (this.times[this.next] ?? 0) >= this.spanMs; // the oldest event has left the window
  }
  take(now: number): void {
    this.times[this.next] = now;
    this.next = (this.next + 1) % this.times.length;
    if (this.count < this.times.length) this.count++;
  }
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

type Msg = Record<string, unknown>;

interface StoredMessage {
  msg: Msg | null;
  fromBot: boolean;
  deleted: boolean;
}

interface FormattedText {
  text: string;
  entities?: unknown[];
}

interface CallContext {
  text?: FormattedText;
  caption?: FormattedText;
  /** file key (parameter name or part name) → part */
  files: Map<string, UploadedPart>;
}

interface PollWaiter {
  finish(reason: "wake" | "timeout" | "conflict" | "aborted" | "closed"): void;
}

interface Listener {
  (call: RecordedCall): void;
}

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);
const PATH_RE = /^\/bot([^/]+)\/(?:test\/)?([^/]+)$/;
const FILE_PATH_RE = /^\/file\/bot([^/]+)\/(.+)$/;
const DEFAULT_GROUP_USER = 1_000_001;
/** Bots can download files of up to 20 MB. */
const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;
const MIME_BY_EXTENSION: Record<string, string> = {
  pdf: "application/pdf",
  txt: "text/plain",
  csv: "text/csv",
  json: "application/json",
  xml: "application/xml",
  html: "text/html",
  zip: "application/zip",
  doc: "application/msword",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xls: "application/vnd.ms-excel",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  odt: "application/vnd.oasis.opendocument.text",
  ods: "application/vnd.oasis.opendocument.spreadsheet",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  mp3: "audio/mpeg",
  ogg: "audio/ogg",
  mp4: "video/mp4",
};
/** Folder of file_path by the send method's file parameter (as the real API names them). */
const FILE_FOLDERS: Record<string, string> = {
  document: "documents",
  photo: "photos",
  video: "videos",
  audio: "music",
  voice: "voice",
  animation: "animations",
  video_note: "video_notes",
  sticker: "stickers",
};

interface StoredFile {
  file_id: string;
  file_unique_id: string;
  bytes: Buffer;
  fileName: string | undefined;
  mimeType: string | undefined;
  folder: string;
  /** Assigned by the first getFile, as the real API does. */
  filePath?: string;
}

function extensionOf(fileName: string | undefined): string | undefined {
  const m = fileName ? /\.([A-Za-z0-9]{1,10})$/.exec(fileName) : null;
  return m?.[1]?.toLowerCase();
}

function guessMimeType(fileName: string | undefined): string | undefined {
  const ext = extensionOf(fileName);
  return ext ? MIME_BY_EXTENSION[ext] : undefined;
}

function extensionForMime(mimeType: string | undefined): string | undefined {
  if (!mimeType) return undefined;
  const base = mimeType.split(";")[0]?.trim().toLowerCase();
  for (const [ext, mime] of Object.entries(MIME_BY_EXTENSION)) if (mime === base) return ext;
  return undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function summarize(c: RecordedCall): string {
  const p = JSON.stringify(c.params);
  return `${c.method} ${c.status} ${p.length > 160 ? `${p.slice(0, 160)}…` : p}`;
}

export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const schema = loadSchema();
  const token = options.token ?? "123456:TEST";
  const botUsername = options.botUsername ?? "chibo_test_bot";
  const latencyMs = options.latencyMs ?? 0;
  const retryAfter = options.retryAfterSeconds ?? 1;
  const maxLongPollMs = options.maxLongPollMs ?? 1000;
  const retain = options.retain ?? true;
  const botId = Number.parseInt(token.split(":")[0] ?? "", 10) || 123456;
  const botUser = { id: botId, is_bot: true, first_name: "Chibo Test", username: botUsername };

  // --- recorded calls and stats
  const calls: RecordedCall[] = [];
  const okByMethod = new Map<string, RecordedCall[]>();
  const listeners = new Map<string, Set<Listener>>();
  const byMethod = new Map<string, number>();
  let totalCount = 0;
  let okCount = 0;
  let rateLimitedCount = 0;

  // --- state
  let queue: Update[] = [];
  let head = 0;
  let nextUpdateId = 1;
  let currentPoll: PollWaiter | null = null;
  const pollWaiters = new Set<PollWaiter>();
  const failures = new Map<string, { error: FakeBotApiError; remaining: number }[]>();
  const chats = new Map<string, Msg>();
  const users = new Map<number, Msg>();
  const seq = new Map<string, number>();
  const messages = new Map<string, Map<number, StoredMessage>>();
  const commands = new Map<string, unknown[]>();
  let webhook: { url: string; max_connections?: number; allowed_updates?: unknown } | null = null;
  let fileCounter = 0;
  let filePathCounter = 0;
  const files = new Map<string, StoredFile>();
  const filesByPath = new Map<string, StoredFile>();
  /** chat id → the bot's status there, as set by myChatMemberUpdate. */
  const botMemberships = new Map<string, BotMemberStatus>();
  let callbackCounter = 0;
  let globalWindow = options.globalLimitPerSecond ? new Window(options.globalLimitPerSecond, 1000) : null;
  const chatWindows = new Map<string, Window>();
  let closed = false;
  let closePromise: Promise<void> | null = null;
  const waiterRejects = new Set<(e: Error) => void>();

  // --- helpers: chats and messages
  function chatFor(raw: unknown): Msg {
    // Like the real API, a chat id sent as a numeric string is that number, not a channel username.
    const chatId = typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
    const key = String(chatId);
    const known = chats.get(key);
    if (known) return known;
    let chat: Msg;
    if (typeof chatId === "number") {
      if (chatId > 0) chat = { id: chatId, type: "private", first_name: `User ${chatId}` };
      else if (chatId <= -1_000_000_000_000) chat = { id: chatId, type: "supergroup", title: `Supergroup ${-chatId}` };
      else chat = { id: chatId, type: "group", title: `Group ${-chatId}` };
    } else {
      const name = String(chatId).replace(/^@/, "");
      let h = 0;
      for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) % 1_000_000_000;
      chat = { id: -1_001_000_000_000 - h, type: "channel", title: name, username: name };
    }
    if (retain) chats.set(key, chat);
    return chat;
  }

  function nextMessageId(key: string): number {
    const id = (seq.get(key) ?? 0) + 1;
    seq.set(key, id);
    return id;
  }

  function store(key: string, id: number, entry: StoredMessage): void {
    if (!retain) return;
    let perChat = messages.get(key);
    if (!perChat) {
      perChat = new Map();
      messages.set(key, perChat);
    }
    perChat.set(id, entry);
    if ((seq.get(key) ?? 0) < id) seq.set(key, id);
  }

  function newBotMessage(chatId: unknown, fields: Msg): Msg {
    const key = String(chatId);
    const message_id = nextMessageId(key);
    const msg: Msg = { message_id, from: botUser, chat: chatFor(chatId), date: nowSeconds(), ...fields };
    store(key, message_id, { msg, fromBot: true, deleted: false });
    return msg;
  }

  /** The reply_markup Telegram attaches to a message: only a non-empty inline keyboard. */
  function attachedMarkup(rm: unknown): unknown {
    if (isPlainObject(rm) && Array.isArray(rm.inline_keyboard) && rm.inline_keyboard.some((row) => Array.isArray(row) && row.length > 0)) {
      return rm;
    }
    return undefined;
  }

  function withFormatted(fields: Msg, key: "text" | "caption", f: FormattedText | undefined): Msg {
    if (!f) return fields;
    fields[key] = f.text;
    if (f.entities && f.entities.length > 0) fields[key === "text" ? "entities" : "caption_entities"] = f.entities;
    return fields;
  }

  function withMarkup(fields: Msg, rm: unknown): Msg {
    const markup = attachedMarkup(rm);
    if (markup) fields.reply_markup = markup;
    return fields;
  }

  function editTarget(params: Record<string, unknown>): { key: string; messageId: number; chatId: unknown } {
    if (params.chat_id === undefined || params.chat_id === null) throw badRequest("chat_id is empty");
    if (typeof params.message_id !== "number") throw badRequest("message identifier is not specified");
    return { key: String(params.chat_id), messageId: params.message_id, chatId: params.chat_id };
  }

  /** Applies an edit to a stored (or, when unknown, synthesized) bot message. */
  function editMessage(params: Record<string, unknown>, mutate: (old: StoredMessage | undefined) => Msg): Msg {
    const { key, messageId, chatId } = editTarget(params);
    const stored = messages.get(key)?.get(messageId);
    if (stored?.deleted) throw badRequest("message to edit not found");
    if (stored && !stored.fromBot) throw badRequest("message can't be edited");
    const changes = mutate(stored);
    const base: Msg = stored?.msg ?? { message_id: messageId, from: botUser, chat: chatFor(chatId), date: nowSeconds() };
    const msg: Msg = { ...base, edit_date: nowSeconds() };
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) delete msg[k];
      else msg[k] = v;
    }
    store(key, messageId, { msg, fromBot: true, deleted: false });
    return msg;
  }

  // --- files
  function storeFile(fileId: string, bytes: Uint8Array, fileName: string | undefined, mimeType: string | undefined, folder: string): StoredFile {
    const file: StoredFile = {
      file_id: fileId,
      file_unique_id: `AgAD${fileCounter.toString(36).padStart(6, "0")}`,
      bytes: Buffer.from(bytes), // a copy: later changes to the caller's array do not leak in
      fileName,
      mimeType,
      folder,
    };
    files.set(fileId, file);
    return file;
  }

  function fileDescriptor(param: string, value: unknown, ctx: CallContext): Msg {
    const part = ctx.files.get(param);
    if (!part && typeof value === "string") {
      const known = files.get(value); // re-sending a file by its file_id keeps its metadata
      if (known) {
        const d: Msg = { file_id: known.file_id, file_unique_id: known.file_unique_id };
        if (known.fileName !== undefined) d.file_name = known.fileName;
        if (known.mimeType !== undefined) d.mime_type = known.mimeType;
        d.file_size = known.bytes.length;
        return d;
      }
    }
    fileCounter++;
    const unique = `AgAD${fileCounter.toString(36).padStart(6, "0")}`;
    if (part) {
      const file_id = `FAKE-${param}-${fileCounter}`;
      storeFile(file_id, part.bytes, part.filename, part.contentType, FILE_FOLDERS[param] ?? "documents");
      return { file_id, file_unique_id: unique, file_name: part.filename, mime_type: part.contentType, file_size: part.bytes.length };
    }
    const s = String(value);
    return { file_id: /^https?:\/\//i.test(s) ? `FAKE-${param}-${fileCounter}` : s, file_unique_id: unique };
  }

  function getFile(fileId: unknown): Msg {
    const file = typeof fileId === "string" ? files.get(fileId) : undefined;
    if (!file) throw badRequest("invalid file_id");
    if (file.bytes.length > MAX_DOWNLOAD_BYTES) throw badRequest("file is too big");
    if (file.filePath === undefined) {
      const ext = extensionOf(file.fileName) ?? extensionForMime(file.mimeType);
      file.filePath = `${file.folder}/file_${filePathCounter++}${ext ? `.${ext}` : ""}`;
      filesByPath.set(file.filePath, file);
    }
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes.length, file_path: file.filePath };
  }

  /** `GET {apiRoot}/file/bot{token}/{file_path}`: the bytes of a file prepared by getFile. */
  function serveFile(req: IncomingMessage, res: ServerResponse, rawToken: string, rawPath: string): void {
    let tokenPart = rawToken;
    let filePath = rawPath;
    try {
      tokenPart = decodeURIComponent(rawToken);
      filePath = decodeURIComponent(rawPath);
    } catch {
      // keep as is
    }
    if (tokenPart !== token) {
      respond(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
      return;
    }
    const file = filesByPath.get(filePath);
    if (!file) {
      respond(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      return;
    }
    if (res.destroyed) return;
    const headers: Record<string, string | number> = {
      "content-type": file.mimeType ?? "application/octet-stream",
      "content-length": file.bytes.length,
    };
    if (closed) headers.connection = "close";
    res.writeHead(200, headers);
    res.end(req.method === "HEAD" ? undefined : file.bytes);
  }

  // --- validation
  function formatText(raw: string, parseMode: unknown, entities: unknown): FormattedText {
    if (typeof parseMode === "string" && parseMode !== "") {
      const pm = parseMode.toLowerCase();
      if (pm === "html") {
        const r = parseTelegramHtml(raw);
        if (!r.ok) throw badRequest(`can't parse entities: ${r.error}`);
        return r.entities.length > 0 ? { text: r.text, entities: r.entities } : { text: r.text };
      }
      if (pm === "markdown" || pm === "markdownv2") return { text: raw }; // not parsed: length counted on the raw text
      throw badRequest("unsupported parse_mode");
    }
    return Array.isArray(entities) && entities.length > 0 ? { text: raw, entities } : { text: raw };
  }

  function checkInlineKeyboard(rm: unknown): void {
    if (!isPlainObject(rm) || rm.inline_keyboard === undefined) return;
    const kb = rm.inline_keyboard;
    if (!Array.isArray(kb)) throw badRequest(`can't parse inline keyboard button: Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array`);
    const buttonFields = schema.types.get("InlineKeyboardButton")?.fields ?? [];
    for (const row of kb) {
      if (!Array.isArray(row)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton row must be an Array");
      for (const btn of row) {
        if (!isPlainObject(btn)) throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        if (typeof btn.text !== "string") throw badRequest(`can't parse inline keyboard button: Field "text" must be of type String`);
        if (btn.text === "") throw badRequest(`can't parse inline keyboard button: Field "text" must be non-empty`);
        if (btn.callback_data !== undefined && btn.callback_data !== null) {
          if (typeof btn.callback_data !== "string") throw badRequest(`can't parse inline keyboard button: Field "callback_data" must be of type String`);
          const bytes = Buffer.byteLength(btn.callback_data, "utf8");
          if (bytes < 1 || bytes > 64) throw badRequest("BUTTON_DATA_INVALID");
        }
        const hasAction = buttonFields.some(
          (f) => f.name !== "text" && f.name !== "icon_custom_emoji_id" && f.name !== "style" && btn[f.name] !== undefined && btn[f.name] !== null,
        );
        if (!hasAction) throw badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
    }
  }

  /** Normalizes parameters (multipart/query strings → declared types) and rejects what Telegram rejects. */
  function validate(method: CompiledMethod, input: ParsedInput, params: Record<string, unknown>): CallContext {
    const ctx: CallContext = { files: new Map() };
    // Resolve uploaded parts: `param=attach://<part>` or a part named like the parameter.
    const attachedParts = new Set<string>();
    for (const [name, field] of method.fields) {
      if (!field.types.includes("InputFile")) continue;
      const v = params[name];
      if (typeof v === "string" && v.startsWith("attach://")) {
        const part = input.parts.get(v.slice(9));
        if (!part) throw badRequest(`file "${v}" was not uploaded in the multipart/form-data body`);
        ctx.files.set(name, part);
        attachedParts.add(v.slice(9));
      } else if ((v === undefined || v === null) && input.parts.has(name)) {
        const part = input.parts.get(name);
        if (part) ctx.files.set(name, part);
        attachedParts.add(name);
      }
    }
    for (const [partName, part] of input.parts) if (!attachedParts.has(partName)) ctx.files.set(partName, part);

    for (const f of method.required) {
      const v = params[f.name];
      if ((v === undefined || v === null || v === "") && !ctx.files.has(f.name)) {
        if (v === "" && f.name === "text") throw badRequest("message text is empty");
        if (v === undefined || v === null) throw badRequest(`${f.name} is required`);
        if (f.name === "chat_id") throw badRequest("chat_id is empty");
      }
    }
    if (params.reply_markup !== undefined && params.reply_markup !== null) checkInlineKeyboard(params.reply_markup);
    for (const name of Object.keys(params)) {
      const field = method.fields.get(name);
      const v = params[name];
      if (!field || v === undefined || v === null) continue;
      const err = checkAny(schema, v, field.types, 0);
      if (err === null) continue;
      if (isPlainObject(v) || Array.isArray(v)) throw badRequest(`can't parse ${name} JSON object: ${err}`);
      throw badRequest(`field "${name}" must be of type ${field.types.join(" or ")}`);
    }

    const name = method.name;
    if (name === "sendMessage" || name === "editMessageText") {
      if (typeof params.text === "string") {
        const f = formatText(params.text, params.parse_mode, params.entities);
        if (f.text.trim() === "") throw badRequest("message text is empty");
        if (codePointLength(f.text) > 4096) throw badRequest("message is too long");
        ctx.text = f;
      } else if (name === "editMessageText" && (params.rich_message === undefined || params.rich_message === null)) {
        throw badRequest("message text is empty");
      }
    }
    if (typeof params.caption === "string" && method.fields.has("caption")) {
      const f = formatText(params.caption, params.parse_mode, params.caption_entities);
      if (codePointLength(f.text) > 1024) throw badRequest("message caption is too long");
      ctx.caption = f;
    }
    if (name === "sendChatAction" && typeof params.action === "string" && !CHAT_ACTIONS.has(params.action)) {
      throw badRequest("wrong parameter action in request");
    }
    if (name === "setMyCommands" && Array.isArray(params.commands)) {
      if (params.commands.length > 100) throw badRequest("BOT_COMMANDS_TOO_MUCH");
      for (const c of params.commands as Msg[]) {
        if (!/^[a-z0-9_]{1,32}$/.test(String(c.command))) throw badRequest("BOT_COMMAND_INVALID");
        const d = String(c.description);
        if (d.trim() === "" || codePointLength(d) > 256) throw badRequest("BOT_COMMAND_DESCRIPTION_INVALID");
      }
    }
    if (name === "setWebhook" && typeof params.url === "string" && params.url !== "" && !/^https:\/\//i.test(params.url)) {
      throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    }
    if (name === "answerCallbackQuery" && typeof params.text === "string" && codePointLength(params.text) > 200) {
      throw badRequest("MESSAGE_TOO_LONG");
    }
    return ctx;
  }

  function takeFailure(method: string): ApiError | null {
    for (const key of [method, "*"]) {
      const list = failures.get(key);
      const first = list?.[0];
      if (!list || !first) continue;
      first.remaining--;
      if (first.remaining <= 0) list.shift();
      return new ApiError(first.error.error_code, first.error.description, first.error.parameters);
    }
    return null;
  }

  /** `now` is when the request arrived: limits count arrivals, as a real server does, not when the simulated round trip ends. */
  function checkRateLimits(method: CompiledMethod, params: Record<string, unknown>, now: number): void {
    if (!method.isSend) return;
    const chatId = params.chat_id;
    let chatWindow: Window | null = null;
    if (chatId !== undefined && chatId !== null) {
      const isPrivate = typeof chatId === "number" && chatId > 0;
      const limit = isPrivate ? options.perChatPerSecond : options.perGroupPerMinute;
      if (limit) {
        const key = String(chatId);
        chatWindow = chatWindows.get(key) ?? null;
        if (!chatWindow) {
          chatWindow = new Window(limit, isPrivate ? 1000 : 60_000);
          chatWindows.set(key, chatWindow);
        }
      }
    }
    if ((globalWindow && !globalWindow.allows(now)) || (chatWindow && !chatWindow.allows(now))) {
      throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
    }
    globalWindow?.take(now);
    chatWindow?.take(now);
  }

  // --- getUpdates
  function confirm(offset: number): void {
    if (offset > 0) {
      while (head < queue.length && (queue[head]?.update_id ?? Infinity) < offset) head++;
    } else if (offset < 0) {
      head = Math.max(head, queue.length + offset);
    }
    if (head > 1024 && head * 2 >= queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
  }

  function takeBatch(limit: number, offset: number): Update[] {
    const out: Update[] = [];
    for (let i = head; i < queue.length && out.length < limit; i++) {
      const u = queue[i];
      if (u && u.update_id >= offset) out.push(u);
    }
    return out;
  }

  async function getUpdates(params: Record<string, unknown>, res: ServerResponse): Promise<Update[]> {
    if (webhook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = typeof params.offset === "number" ? params.offset : 0;
    confirm(offset);
    const limit = Math.min(100, Math.max(1, typeof params.limit === "number" ? params.limit : 100));
    const timeout = typeof params.timeout === "number" ? params.timeout : 0;
    const batch = takeBatch(limit, offset);
    if (batch.length > 0 || timeout <= 0 || closed) return batch;
    currentPoll?.finish("conflict");
    const reason = await new Promise<"wake" | "timeout" | "conflict" | "aborted" | "closed">((resolve) => {
      let done = false;
      const waiter: PollWaiter = {
        finish(r) {
          if (done) return;
          done = true;
          clearTimeout(timer);
          res.off("close", onClose);
          pollWaiters.delete(waiter);
          if (currentPoll === waiter) currentPoll = null;
          resolve(r);
        },
      };
      const onClose = (): void => {
        if (!res.writableEnded) waiter.finish("aborted");
      };
      const timer = setTimeout(() => waiter.finish("timeout"), Math.min(timeout * 1000, maxLongPollMs));
      res.on("close", onClose);
      pollWaiters.add(waiter);
      currentPoll = waiter;
    });
    if (reason === "conflict") {
      throw new ApiError(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
    }
    if (reason === "aborted") throw new ClientGone();
    return takeBatch(limit, offset);
  }

  // --- method implementations
  async function execute(method: CompiledMethod, params: Record<string, unknown>, ctx: CallContext, res: ServerResponse): Promise<unknown> {
    switch (method.name) {
      case "getMe":
        return {
          ...botUser,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
          can_connect_to_business: false,
          has_main_web_app: false,
        };
      case "getUpdates":
        return getUpdates(params, res);
      case "sendMessage": {
        const fields = withFormatted({}, "text", ctx.text);
        if (isPlainObject(params.link_preview_options)) fields.link_preview_options = params.link_preview_options;
        return newBotMessage(params.chat_id, withMarkup(fields, params.reply_markup));
      }
      case "editMessageText": {
        if (params.inline_message_id !== undefined && params.inline_message_id !== null) return true;
        return editMessage(params, (old) => {
          if (old?.msg && old.msg.text === undefined) throw badRequest("there is no text in the message to edit");
          const text = ctx.text?.text ?? "";
          const entities = ctx.text?.entities;
          const markup = attachedMarkup(params.reply_markup);
          if (old?.msg && old.msg.text === text && sameJson(old.msg.entities, entities) && sameJson(old.msg.reply_markup, markup)) {
            throw badRequest(NOT_MODIFIED);
          }
          return { text, entities, reply_markup: markup };
        });
      }
      case "editMessageReplyMarkup": {
        if (params.inline_message_id !== undefined && params.inline_message_id !== null) return true;
        return editMessage(params, (old) => {
          const markup = attachedMarkup(params.reply_markup);
          if (old?.msg && sameJson(old.msg.reply_markup, markup)) throw badRequest(NOT_MODIFIED);
          return { reply_markup: markup };
        });
      }
      case "deleteMessage": {
        const key = String(params.chat_id);
        const id = Number(params.message_id);
        const stored = messages.get(key)?.get(id);
        if (stored?.deleted) throw badRequest("message to delete not found");
        store(key, id, { msg: stored?.msg ?? null, fromBot: stored?.fromBot ?? true, deleted: true });
        return true;
      }
      case "answerCallbackQuery":
      case "sendChatAction":
      case "leaveChat":
      case "close":
      case "logOut":
        return true;
      case "setMyCommands":
      case "getMyCommands":
      case "deleteMyCommands": {
        const key = `${JSON.stringify(params.scope ?? { type: "default" })}|${typeof params.language_code === "string" ? params.language_code : ""}`;
        if (method.name === "getMyCommands") return commands.get(key) ?? [];
        if (method.name === "deleteMyCommands") commands.delete(key);
        else commands.set(key, params.commands as unknown[]);
        return true;
      }
      case "setWebhook": {
        if (params.drop_pending_updates === true) head = queue.length;
        if (params.url === "") {
          webhook = null;
          return true;
        }
        webhook = { url: String(params.url) };
        if (typeof params.max_connections === "number") webhook.max_connections = params.max_connections;
        if (params.allowed_updates !== undefined) webhook.allowed_updates = params.allowed_updates;
        for (const w of [...pollWaiters]) w.finish("conflict");
        return true;
      }
      case "deleteWebhook":
        if (params.drop_pending_updates === true) head = queue.length;
        webhook = null;
        return true;
      case "getWebhookInfo": {
        const info: Msg = { url: webhook?.url ?? "", has_custom_certificate: false, pending_update_count: queue.length - head };
        if (webhook?.max_connections !== undefined) info.max_connections = webhook.max_connections;
        if (webhook?.allowed_updates !== undefined) info.allowed_updates = webhook.allowed_updates;
        return info;
      }
      case "sendDocument": {
        const fields: Msg = { document: fileDescriptor("document", params.document, ctx) };
        return newBotMessage(params.chat_id, withMarkup(withFormatted(fields, "caption", ctx.caption), params.reply_markup));
      }
      case "sendPhoto": {
        const d = fileDescriptor("photo", params.photo, ctx);
        const photo = [{ file_id: d.file_id, file_unique_id: d.file_unique_id, width: 1280, height: 720, file_size: d.file_size ?? 0 }];
        return newBotMessage(params.chat_id, withMarkup(withFormatted({ photo }, "caption", ctx.caption), params.reply_markup));
      }
      case "getChat":
        return {
          ...chatFor(params.chat_id),
          accent_color_id: 0,
          max_reaction_count: 11,
          accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false, gifts_from_channels: false },
        };
      case "getFile":
        return getFile(params.file_id);
      case "getChatMember": {
        const userId = Number(params.user_id);
        const botStatus = userId === botId ? botMemberships.get(String(params.chat_id)) : undefined;
        if (botStatus) return botChatMember(botStatus);
        const user = userId === botId ? botUser : (users.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` });
        return { status: "member", user };
      }
    }
    return genericResult(method, params, ctx);
  }

  /** Methods without a dedicated implementation: a result shaped by the method's declared return type. */
  function genericResult(method: CompiledMethod, params: Record<string, unknown>, ctx: CallContext): unknown {
    const returns = method.returns;
    const hasChat = params.chat_id !== undefined && params.chat_id !== null;
    const inline = params.inline_message_id !== undefined && params.inline_message_id !== null;
    if (returns.includes("Message") && hasChat && !inline) {
      if (method.name.startsWith("edit") && typeof params.message_id === "number") {
        return editMessage(params, () => withFormatted({}, "caption", ctx.caption));
      }
      return newBotMessage(params.chat_id, withMarkup(withFormatted({}, "caption", ctx.caption), params.reply_markup));
    }
    if (returns.includes("MessageId") && hasChat) return { message_id: nextMessageId(String(params.chat_id)) };
    if (returns.includes("Array of Message") && hasChat) {
      const count = Array.isArray(params.media) ? params.media.length : 1;
      return Array.from({ length: count }, () => newBotMessage(params.chat_id, {}));
    }
    if (returns.includes("Array of MessageId") && hasChat) {
      const count = Array.isArray(params.message_ids) ? params.message_ids.length : 1;
      return Array.from({ length: count }, () => ({ message_id: nextMessageId(String(params.chat_id)) }));
    }
    return true;
  }

  // --- recording
  function record(call: RecordedCall): void {
    options.onCall?.(call);
    if (retain) calls.push(call);
    totalCount++;
    byMethod.set(call.method, (byMethod.get(call.method) ?? 0) + 1);
    if (call.status === 429) rateLimitedCount++;
    if (call.status !== 200) return;
    okCount++;
    if (retain) {
      let list = okByMethod.get(call.method);
      if (!list) {
        list = [];
        okByMethod.set(call.method, list);
      }
      list.push(call);
    }
    const ls = listeners.get(call.method);
    if (ls) for (const l of ls) l(call);
  }

  function respond(res: ServerResponse, status: number, payload: unknown): void {
    if (res.destroyed) return;
    const body = JSON.stringify(payload);
    const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
    if (closed) headers.connection = "close"; // let close() finish without waiting for keep-alive sockets
    res.writeHead(status, headers);
    res.end(body);
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const arrived = performance.now();
    const rawUrl = req.url ?? "/";
    const q = rawUrl.indexOf("?");
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch {
      return; // client went away
    }
    if (latencyMs > 0) await sleep(latencyMs);
    const download = FILE_PATH_RE.exec(path);
    if (download) {
      serveFile(req, res, download[1] ?? "", download[2] ?? "");
      return;
    }
    const m = PATH_RE.exec(path);
    let methodName = m?.[2] ?? path;
    let params: Record<string, unknown> = {};
    let files: Record<string, RecordedFile> | undefined;
    let status = 200;
    let result: unknown;
    let error: FakeBotApiError | undefined;
    try {
      if (!m) throw new ApiError(404, "Not Found");
      const input = parseInput(req.headers["content-type"] ?? "", body, q === -1 ? "" : rawUrl.slice(q + 1));
      params = { ...input.json };
      let rawToken = m[1] ?? "";
      try {
        rawToken = decodeURIComponent(rawToken);
      } catch {
        // keep as is
      }
      if (rawToken !== token) throw new ApiError(401, "Unauthorized");
      const method = schema.methods.get(methodName) ?? schema.byLowerName.get(methodName.toLowerCase());
      if (!method) throw new ApiError(404, "Not Found: method not found");
      methodName = method.name;
      for (const [k, v] of Object.entries(input.strings)) {
        if (k in input.json) continue;
        const field = method.fields.get(k);
        params[k] = field ? coerceString(schema, v, field) : v;
      }
      if (input.error) throw badRequest(input.error);
      const ctx = validate(method, input, params);
      if (ctx.files.size > 0) {
        files = {};
        for (const [k, part] of ctx.files) files[k] = { filename: part.filename, size: part.bytes.length, bytes: part.bytes };
      }
      const injected = takeFailure(methodName);
      if (injected) throw injected;
      checkRateLimits(method, params, arrived);
      result = await execute(method, params, ctx, res);
    } catch (e) {
      if (e instanceof ClientGone) {
        record({ method: methodName, params, at, status: 499, error: { error_code: 499, description: "Client closed request" } });
        return;
      }
      const apiError = e instanceof ApiError ? e : new ApiError(500, `Internal Server Error: fake Bot API failed: ${String(e)}`);
      status = apiError.error_code >= 100 && apiError.error_code <= 599 ? apiError.error_code : 500;
      error = apiError.toJSON();
    }
    const call: RecordedCall = { method: methodName, params, at, status };
    if (files) call.files = files;
    if (error) call.error = error;
    else call.result = result;
    record(call);
    respond(res, status, error ? { ok: false, ...error } : { ok: true, result });
  }

  const server = createServer({ keepAliveTimeout: 10_000 }, (req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      respond(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(e)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  // --- test-facing API
  function pushUpdate(update: object): number {
    const given = (update as { update_id?: unknown }).update_id;
    const update_id = typeof given === "number" ? given : nextUpdateId;
    if (update_id >= nextUpdateId) nextUpdateId = update_id + 1;
    const u = { ...update, update_id } as Update;
    let i = queue.length;
    while (i > head && (queue[i - 1]?.update_id ?? -Infinity) > update_id) i--;
    queue.splice(i, 0, u);
    for (const w of [...pollWaiters]) w.finish("wake");
    return update_id;
  }

  function reserveUpdateId(given: number | undefined): number {
    if (given === undefined) return nextUpdateId++;
    if (given >= nextUpdateId) nextUpdateId = given + 1;
    return given;
  }

  function userFor(fromId: number, firstName: string | undefined, languageCode: string | undefined): Msg {
    const known = users.get(fromId);
    const from: Msg = {
      id: fromId,
      is_bot: false,
      first_name: firstName ?? (known?.first_name as string | undefined) ?? "Tester",
      language_code: languageCode ?? "vi",
    };
    users.set(fromId, from);
    return from;
  }

  function groupChat(chatId: number, type: "group" | "supergroup"): Msg {
    const key = String(chatId);
    const chat: Msg = { id: chatId, type, title: (chats.get(key)?.title as string | undefined) ?? `Chi bộ ${-chatId}` };
    chats.set(key, chat);
    return chat;
  }

  /** A new message from a user in a chat (stored), with the fields common to every kind of message. */
  function userMessage(opts: { chatId: number; fromId?: number; chatType?: "private" | "group" | "supergroup"; firstName?: string; languageCode?: string }): {
    key: string;
    message: Msg;
  } {
    const chatType = opts.chatType ?? (opts.chatId > 0 ? "private" : opts.chatId <= -1_000_000_000_000 ? "supergroup" : "group");
    const fromId = opts.fromId ?? (chatType === "private" ? opts.chatId : DEFAULT_GROUP_USER);
    const from = userFor(fromId, opts.firstName, opts.languageCode);
    const key = String(opts.chatId);
    let chat: Msg;
    if (chatType === "private") {
      chat = { id: opts.chatId, type: "private", first_name: from.first_name };
      chats.set(key, chat);
    } else {
      chat = groupChat(opts.chatId, chatType);
    }
    const message_id = nextMessageId(key);
    const message: Msg = { message_id, from, chat, date: nowSeconds() };
    store(key, message_id, { msg: message, fromBot: false, deleted: false });
    return { key, message };
  }

  function commandEntities(text: string): TelegramEntity[] | undefined {
    const command = /^\/\S+/.exec(text);
    return command ? [{ type: "bot_command", offset: 0, length: command[0].length }] : undefined;
  }

  function textUpdate(opts: TextUpdateOptions): Update {
    const { message } = userMessage(opts);
    message.text = opts.text;
    const entities = commandEntities(opts.text);
    if (entities) message.entities = entities;
    return { update_id: reserveUpdateId(opts.updateId), message } as unknown as Update;
  }

  function addFile(bytes: Uint8Array, options: AddFileOptions = {}): AddedFile {
    if (!(bytes instanceof Uint8Array)) throw new TypeError("fake Bot API: addFile expects a Uint8Array");
    fileCounter++;
    const file = storeFile(`BQACAgIAAxkBAAI${fileCounter.toString(36).padStart(6, "0")}`, bytes, options.fileName, options.mimeType, "documents");
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.bytes.length };
  }

  function documentUpdate(opts: DocumentUpdateOptions): Update {
    const mimeType = opts.mimeType ?? guessMimeType(opts.fileName) ?? "application/octet-stream";
    const added = addFile(opts.bytes, { fileName: opts.fileName, mimeType });
    const { message } = userMessage(opts);
    message.document = {
      file_name: opts.fileName,
      mime_type: mimeType,
      file_id: added.file_id,
      file_unique_id: added.file_unique_id,
      file_size: added.file_size,
    };
    if (opts.caption !== undefined) {
      message.caption = opts.caption;
      const entities = commandEntities(opts.caption);
      if (entities) message.caption_entities = entities;
    }
    return { update_id: reserveUpdateId(opts.updateId), message } as unknown as Update;
  }

  function migrateUpdate(opts: MigrateUpdateOptions): Update {
    if (opts.fromChatId >= 0 || opts.toChatId >= 0) throw new Error("fake Bot API: migrateUpdate needs negative (group) chat ids");
    const oldKey = String(opts.fromChatId);
    const oldChat = groupChat(opts.fromChatId, "group");
    const from = userFor(opts.fromId ?? DEFAULT_GROUP_USER, undefined, undefined);
    chats.set(String(opts.toChatId), { id: opts.toChatId, type: "supergroup", title: oldChat.title });
    const membership = botMemberships.get(oldKey);
    if (membership) botMemberships.set(String(opts.toChatId), membership);
    const message_id = nextMessageId(oldKey);
    const message: Msg = { message_id, from, chat: oldChat, date: nowSeconds(), migrate_to_chat_id: opts.toChatId };
    store(oldKey, message_id, { msg: message, fromBot: false, deleted: false });
    return { update_id: reserveUpdateId(opts.updateId), message } as unknown as Update;
  }

  function botChatMember(status: BotMemberStatus): Msg {
    switch (status) {
      case "administrator":
        return {
          status,
          user: botUser,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: true,
          can_restrict_members: true,
          can_promote_members: false,
          can_change_info: true,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          can_pin_messages: true,
        };
      case "kicked":
        return { status, user: botUser, until_date: 0 };
      default:
        return { status, user: botUser };
    }
  }

  function myChatMemberUpdate(opts: MyChatMemberUpdateOptions): Update {
    const key = String(opts.chatId);
    const chat = groupChat(opts.chatId, opts.chatType);
    const from = userFor(opts.fromId ?? DEFAULT_GROUP_USER, undefined, undefined);
    const joining = opts.newStatus === "member" || opts.newStatus === "administrator";
    const oldStatus = opts.oldStatus ?? botMemberships.get(key) ?? (joining ? "left" : "member");
    botMemberships.set(key, opts.newStatus);
    const my_chat_member = {
      chat,
      from,
      date: nowSeconds(),
      old_chat_member: botChatMember(oldStatus),
      new_chat_member: botChatMember(opts.newStatus),
    };
    return { update_id: reserveUpdateId(opts.updateId), my_chat_member } as unknown as Update;
  }

  function lastKeyboardMessage(key: string): number | undefined {
    const perChat = messages.get(key);
    const last = seq.get(key) ?? 0;
    if (!perChat) return undefined;
    let fallback: number | undefined;
    for (let id = last; id > 0 && id > last - 1000; id--) {
      const s = perChat.get(id);
      if (!s || s.deleted || !s.fromBot || !s.msg) continue;
      if (s.msg.reply_markup) return id;
      fallback ??= id;
    }
    return fallback;
  }

  function callbackUpdate(opts: CallbackUpdateOptions): Update {
    const key = String(opts.chatId);
    const chat = chatFor(opts.chatId);
    const messageId = opts.messageId ?? lastKeyboardMessage(key) ?? 1;
    const stored = messages.get(key)?.get(messageId);
    const message: Msg = stored?.msg && !stored.deleted ? stored.msg : { message_id: messageId, from: botUser, chat, date: nowSeconds(), text: "…" };
    const fromId = opts.fromId ?? (opts.chatId > 0 ? opts.chatId : DEFAULT_GROUP_USER);
    const from: Msg = {
      id: fromId,
      is_bot: false,
      first_name: opts.firstName ?? (users.get(fromId)?.first_name as string | undefined) ?? "Tester",
      language_code: opts.languageCode ?? "vi",
    };
    users.set(fromId, from);
    callbackCounter++;
    const callback_query = {
      id: String(4_000_000_000_000 + callbackCounter),
      from,
      message,
      chat_instance: String(Math.abs(opts.chatId * 7919) % 9_007_199_254_740_991),
      data: opts.data,
    };
    return { update_id: reserveUpdateId(opts.updateId), callback_query } as unknown as Update;
  }

  function failNext(method: string, error: FakeBotApiError, times = 1): void {
    if (times <= 0) return;
    const list = failures.get(method) ?? [];
    list.push({ error, remaining: times });
    failures.set(method, list);
  }

  function waitForCall(methodOrMethods: string | string[], predicate: (c: RecordedCall) => boolean = () => true, timeoutMs = 5000): Promise<RecordedCall> {
    const methods = Array.isArray(methodOrMethods) ? methodOrMethods : [methodOrMethods];
    const method = methods.join("|");
    try {
      // The earliest match across the methods, as they were called.
      const found = methods.flatMap((m) => (okByMethod.get(m) ?? []).filter((c) => predicate(c))).sort((a, b) => calls.indexOf(a) - calls.indexOf(b))[0];
      if (found) return Promise.resolve(found);
    } catch (e) {
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
    if (closed) return Promise.reject(new Error(`fake Bot API: waitForCall("${method}") called after close()`));
    return new Promise<RecordedCall>((resolve, reject) => {
      const owners = methods.map((m) => {
        let set = listeners.get(m);
        if (!set) {
          set = new Set();
          listeners.set(m, set);
        }
        return set;
      });
      const cleanup = (): void => {
        clearTimeout(timer);
        for (const owner of owners) owner.delete(listener);
        waiterRejects.delete(rejectOnClose);
      };
      const listener: Listener = (c) => {
        let matched: boolean;
        try {
          matched = predicate(c);
        } catch (e) {
          cleanup();
          reject(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        if (matched) {
          cleanup();
          resolve(c);
        }
      };
      const rejectOnClose = (e: Error): void => {
        cleanup();
        reject(e);
      };
      const timer = setTimeout(() => {
        cleanup();
        const seen = methods.flatMap((m) => okByMethod.get(m) ?? []);
        const recent = calls.slice(-5).map(summarize);
        reject(
          new Error(
            `fake Bot API: waitForCall("${method}") timed out after ${timeoutMs} ms: ` +
              (seen.length === 0
                ? `no successful ${method} call was recorded`
                : `${seen.length} successful ${method} call(s) recorded, none matched the predicate (last: ${summarize(seen[seen.length - 1] as RecordedCall)})`) +
              `. ${calls.length} call(s) in total${recent.length > 0 ? `; most recent:\n  ${recent.join("\n  ")}` : ""}`,
          ),
        );
      }, timeoutMs);
      for (const owner of owners) owner.add(listener);
      waiterRejects.add(rejectOnClose);
    });
  }

  function stats(): FakeBotApiStats {
    return { total: totalCount, ok: okCount, rateLimited: rateLimitedCount, byMethod: Object.fromEntries(byMethod) };
  }

  function reset(): void {
    calls.length = 0;
    okByMethod.clear();
    byMethod.clear();
    totalCount = 0;
    okCount = 0;
    rateLimitedCount = 0;
    queue = [];
    head = 0;
    failures.clear();
    chats.clear();
    users.clear();
    seq.clear();
    messages.clear();
    commands.clear();
    files.clear();
    filesByPath.clear();
    botMemberships.clear();
    webhook = null;
    globalWindow = options.globalLimitPerSecond ? new Window(options.globalLimitPerSecond, 1000) : null;
    chatWindows.clear();
  }

  function close(): Promise<void> {
    if (closePromise) return closePromise;
    closed = true;
    for (const w of [...pollWaiters]) w.finish("closed");
    for (const r of [...waiterRejects]) r(new Error("fake Bot API: closed while waitForCall() was pending"));
    closePromise = closeServer(server);
    return closePromise;
  }

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    port,
    calls,
    sent: (method?: string) => (method === undefined ? calls.filter((c) => c.status === 200) : [...(okByMethod.get(method) ?? [])]),
    pushUpdate,
    textUpdate,
    callbackUpdate,
    addFile,
    documentUpdate,
    migrateUpdate,
    myChatMemberUpdate,
    failNext,
    waitForCall,
    stats,
    reset,
    close,
  };
}
