import { readFileSync } from "node:fs";
import type { Context, Hono } from "hono";
import type { Logger } from "pino";
import { z } from "zod";
import type { ReplyTransport } from "../../../handlers/framework/context.ts";
import type { Router } from "../../../handlers/framework/router.ts";
import type { AdjustableClock } from "../../core/clock.ts";
import { UNLIMITED } from "../../core/delivery/budget.ts";
import { address, type ChannelCapabilities, type Inbound, type InboundEvent } from "../../core/inbound.ts";
import { LOCALES, toLocale } from "../../core/locale.ts";
import type { OutgoingMessage } from "../../core/message.ts";
import type { NextMoments } from "../../core/meetings/planner.ts";
import type { DeliveryResult } from "../../core/ports.ts";
import { localDay, zonedInstant } from "../../core/time.ts";
import type { I18n } from "../../i18n.ts";
import type { DemoPersona } from "../../store/seed/demo-branch.ts";
import { zaloCapabilities } from "../zalo/limits.ts";
import { createChatQueue } from "../updates.ts";
import { renderForZalo } from "../zalo/render.ts";
import type { Channel } from "../types.ts";

/** One line of a persona's conversation as the page shows it. */
export interface TranscriptEntry {
  id: number;
  at: string;
  from: "person" | "bot";
  /** The entry this one took the place of: the bot edited that message in place. */
  replaces?: number;
  text?: string;
  message?: Omit<OutgoingMessage, "attachment"> & { attachment?: { filename: string; url: string; mimeType: string; caption?: string } };
}

export interface SandboxOptions {
  router: Router;
  i18n: I18n;
  clock: AdjustableClock;
  personas: DemoPersona[];
  branchName: string;
  timezone: string;
  logger: Logger;
  /**
   * Moves the clock forward to `to`, stopping at every moment something is due on the way and
   * running what the scheduler would have run then, so reminders arrive at their minute.
   */
  advanceClock(to: Date): Promise<void>;
  /** The language each persona uses now (they may have changed it with /ngonngu). */
  currentLocales(): Promise<Record<string, string>>;
  /** Runs after each handled event, before the page gets its answer. */
  afterHandling(): Promise<void>;
  /** The demo branch's next notice and next meeting, read from its meetings as they are now. */
  nextMoments(): Promise<NextMoments>;
  /** Remembers the numbered choices a persona in the text view was just offered (core choices.offer). */
  offerChoices(address: string, payloads: string[]): Promise<void>;
  /** The list a persona was offered in the last minutes, which a proactive message continues (core choices.recent). */
  recentChoices(address: string): Promise<string[]>;
}

// A transcript is for watching a demo, not an archive: keep the last messages only.
const MAX_ENTRIES_PER_PERSONA = 500;
const MAX_TEXT = 4000;
// Larger uploads are not read at all; the handler tells the person the limit.
const MAX_UPLOAD_BYTES = 20_000_000;

// The clock's "next meeting" shortcut lands just after the start: the meeting is under way,
// roll call and the check-in code are open, and the last reminder has gone out.
const INTO_MEETING_MS = 5 * 60_000;

/** "YYYY-MM-DDTHH:mm" on the wall clock of `timeZone`: what the clock control takes. */
function wallMinute(instant: Date, timeZone: string): string {
  const time = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant);
  return `${localDay(instant, timeZone)}T${time}`;
}

const pageHtml = () => readFileSync(new URL("./page.html", import.meta.url), "utf8");

const sendBody = z.object({ persona: z.string().min(1).max(40), text: z.string().trim().min(1).max(MAX_TEXT) });
const pressBody = z.object({ persona: z.string().min(1).max(40), payload: z.string().min(1).max(64), message: z.number().int().positive().optional() });
const viewBody = z.object({ persona: z.string().min(1).max(40), text: z.boolean() });
/** Whether "YYYY-MM-DDTHH:mm" names a minute that exists (no 31 February, no 24:00). */
function isCalendarMinute(value: string): boolean {
  const [y, m, d, h, mi] = (value.match(/\d+/g) ?? []).map(Number) as [number, number, number, number, number];
  const at = new Date(Date.UTC(y, m - 1, d, h, mi));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d && at.getUTCHours() === h && at.getUTCMinutes() === mi;
}

const clockBody = z.object({
  // Wall-clock time in the branch timezone; the page turns the dd/mm/yyyy HH:mm it shows into this.
  to: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)
    .refine(isCalendarMinute),
});

/** The sandbox sends to a page in the same process: no platform to protect. */
export const SANDBOX_LIMITS = UNLIMITED;

/** A persona in the text view sees what Zalo would show: its own capabilities (groups are not in the sandbox). */
const TEXT_VIEW: ChannelCapabilities = zaloCapabilities(false);
const BUTTON_VIEW: ChannelCapabilities = { buttons: true, edits: true, maxTextLength: 4000, deepLinks: false, groupLinks: false };

export interface SandboxChannel extends Channel {
  /** Adds the page and its JSON API to the HTTP app. */
  mount(app: Hono): void;
}

export function createSandboxChannel(options: SandboxOptions): SandboxChannel {
  const { router, clock, logger } = options;
  const transcripts = new Map<string, TranscriptEntry[]>();
  const files = new Map<number, NonNullable<OutgoingMessage["attachment"]>>();
  let nextId = 1;
  const personas = new Map(options.personas.map((p) => [p.key, p]));
  // Personas who see the conversation as a channel without buttons would show it (Zalo):
  // plain text with numbered choices, answered by typing the number.
  const textView = new Set<string>();

  function record(key: string, entry: Omit<TranscriptEntry, "id" | "at">, attachment?: OutgoingMessage["attachment"]): number {
    const list = transcripts.get(key) ?? [];
    const id = nextId++;
    const full: TranscriptEntry = { id, at: clock.now().toISOString(), ...entry };
    if (attachment && full.message) {
      files.set(id, attachment);
      full.message.attachment = {
        filename: attachment.filename,
        url: `/sandbox/api/files/${id}`,
        mimeType: attachment.mimeType,
        ...(attachment.caption ? { caption: attachment.caption } : {}),
      };
    }
    // An edit takes the old message's place in the conversation, under a new id the page fetches.
    const replaced = entry.replaces === undefined ? -1 : list.findIndex((e) => e.id === entry.replaces);
    if (replaced >= 0) {
      files.delete(entry.replaces!);
      list[replaced] = full;
    } else list.push(full);
    if (list.length > MAX_ENTRIES_PER_PERSONA) {
      for (const dropped of list.splice(0, list.length - MAX_ENTRIES_PER_PERSONA)) files.delete(dropped.id);
    }
    transcripts.set(key, list);
    return id;
  }

  /** Edits a bot message in place; false for the text view (a channel without edits) or a message gone. */
  function edit(key: string, messageId: string, message: OutgoingMessage): boolean {
    const old = Number(messageId);
    const { attachment, ...rest } = message;
    if (!capabilitiesOf(key).edits || attachment || !(transcripts.get(key) ?? []).some((e) => e.id === old && e.from === "bot")) return false;
    record(key, { from: "bot", replaces: old, message: structuredClone(rest) });
    return true;
  }

  const capabilitiesOf = (key: string) => (textView.has(key) ? TEXT_VIEW : BUTTON_VIEW);

  // One message at a time to a persona in the Zalo view, as on Zalo: each numbers its choices
  // after the list the last one left.
  const delivering = createChatQueue();
  const deliver = (key: string, message: OutgoingMessage, proactive = false) => delivering.run(key, () => show(key, message, proactive));

  async function show(key: string, message: OutgoingMessage, proactive: boolean): Promise<void> {
    const { attachment, ...rest } = message;
    if (capabilitiesOf(key).buttons) return void record(key, { from: "bot", message: structuredClone(rest) }, attachment);
    // The Zalo view shows exactly what Zalo would be sent: the same renderer, the same parts.
    const to = address("sandbox", key);
    const shown = renderForZalo(message, options.i18n.t(toLocale(message.locale)), proactive ? await options.recentChoices(to) : []);
    if (shown.offer.length) await options.offerChoices(to, shown.offer);
    const parts = shown.texts.length ? shown.texts : [""];
    for (const [i, text] of parts.entries()) {
      record(key, { from: "bot", message: { blocks: text ? [{ kind: "text", text }] : [] } }, i === parts.length - 1 ? attachment : undefined);
    }
  }

  /** Hands one event to Chibo; false when the database did not answer and nothing was received. */
  async function handle(key: string, event: InboundEvent, shown: string | undefined): Promise<boolean> {
    const persona = personas.get(key)!;
    const typed = shown !== undefined ? record(key, { from: "person", text: shown }) : undefined;
    const inbound: Inbound = {
      channel: "sandbox",
      sender: { externalId: key, privateAddress: address("sandbox", key), displayName: persona.name },
      chat: { kind: "private", address: address("sandbox", key) },
      event,
    };
    const transport: ReplyTransport = {
      capabilities: capabilitiesOf(key),
      send: (message) => deliver(key, message),
      edit: async (messageId, message) => edit(key, messageId, message),
      toast: async () => {},
    };
    if ((await router.dispatch(inbound, transport)) !== "unavailable") {
      await options.afterHandling();
      return true;
    }
    // Not received: the page tells the person to send it again, so the line is not kept.
    if (typed !== undefined)
      transcripts.set(
        key,
        (transcripts.get(key) ?? []).filter((e) => e.id !== typed),
      );
    return false;
  }

  const unavailable = (c: Context) => c.json({ error: "unavailable" }, 503);

  const commandEvent = (text: string): InboundEvent => {
    const match = /^\/([A-Za-z0-9_]+)(?:@\S+)?\s*([\s\S]*)$/.exec(text);
    return match ? { kind: "command", name: match[1]!.toLowerCase(), args: match[2]!.trim() } : { kind: "text", text };
  };

  function mount(app: Hono): void {
    app.get("/", (c) => c.html(pageHtml()));
    app.get("/sandbox/api/ui", (c) => {
      const locale = toLocale(c.req.query("lang"));
      const t = options.i18n.t(locale);
      return c.json({ locale, locales: LOCALES, strings: t("sandbox:ui", { returnObjects: true }) });
    });
    app.get("/sandbox/api/state", async (c) => {
      const [locales, moments] = await Promise.all([options.currentLocales(), options.nextMoments()]);
      const { notice, meeting } = moments;
      const intoMeeting = meeting && new Date(meeting.startsAt.getTime() + INTO_MEETING_MS);
      return c.json({
        branchName: options.branchName,
        timezone: options.timezone,
        now: clock.now().toISOString(),
        today: localDay(clock.now(), options.timezone),
        // The clock's shortcuts: `to` is what POST /sandbox/api/clock takes to go there.
        next: {
          notice: notice ? { at: notice.at.toISOString(), to: wallMinute(notice.at, options.timezone), meetingStartsAt: notice.startsAt.toISOString() } : null,
          meeting:
            meeting && intoMeeting
              ? { at: intoMeeting.toISOString(), to: wallMinute(intoMeeting, options.timezone), startsAt: meeting.startsAt.toISOString() }
              : null,
        },
        personas: options.personas.map(({ key, name, kind, locale, status, memberType }) => ({
          key,
          name,
          kind,
          locale: locales[key] ?? locale,
          status,
          memberType,
          textView: textView.has(key),
        })),
      });
    });
    app.get("/sandbox/api/messages", (c) => {
      const key = c.req.query("persona") ?? "";
      const after = Number(c.req.query("after") ?? 0) || 0;
      if (!personas.has(key)) return c.json({ error: "unknown_persona" }, 404);
      return c.json({ entries: (transcripts.get(key) ?? []).filter((e) => e.id > after) });
    });
    app.post("/sandbox/api/send", async (c) => {
      const body = sendBody.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success || !personas.has(body.data.persona)) return c.json({ error: "bad_request" }, 400);
      if (!(await handle(body.data.persona, commandEvent(body.data.text), body.data.text))) return unavailable(c);
      return c.json({ ok: true });
    });
    app.post("/sandbox/api/press", async (c) => {
      const body = pressBody.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success || !personas.has(body.data.persona)) return c.json({ error: "bad_request" }, 400);
      const { persona, payload, message } = body.data;
      const event: InboundEvent = message === undefined ? { kind: "action", payload } : { kind: "action", payload, messageId: String(message) };
      if (!(await handle(persona, event, undefined))) return unavailable(c);
      return c.json({ ok: true });
    });
    // The "Zalo view" switch: the same conversation as plain numbered text, or with buttons.
    app.post("/sandbox/api/view", async (c) => {
      const body = viewBody.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success || !personas.has(body.data.persona)) return c.json({ error: "bad_request" }, 400);
      if (body.data.text) textView.add(body.data.persona);
      else {
        textView.delete(body.data.persona);
        // With buttons back, a typed number means a number again, not a choice from the text view.
        await options.offerChoices(address("sandbox", body.data.persona), []);
      }
      return c.json({ ok: true, text: body.data.text });
    });
    app.post("/sandbox/api/clock", async (c) => {
      const body = clockBody.safeParse(await c.req.json().catch(() => undefined));
      if (!body.success) return c.json({ error: "bad_request" }, 400);
      const [day, time] = body.data.to.split("T") as [string, string];
      const target = zonedInstant(day, time, options.timezone);
      const from = clock.now();
      // The current minute counts as now (its seconds have already begun).
      if (target.getTime() < from.getTime() - 60_000) return c.json({ error: "in_past", now: from.toISOString() }, 409);
      if (target.getTime() > from.getTime()) await options.advanceClock(target);
      return c.json({ ok: true, now: clock.now().toISOString() });
    });
    // A file sent as the persona (a roster to import): the raw body, its name in the query.
    app.post("/sandbox/api/upload", async (c) => {
      const key = c.req.query("persona") ?? "";
      const name = (c.req.query("name") ?? "").slice(0, 200);
      if (!personas.has(key) || !name) return c.json({ error: "bad_request" }, 400);
      const declared = Number(c.req.header("content-length") ?? 0);
      // The handler refuses big files by their announced size, before reading them, like on Telegram.
      const bytes = declared > MAX_UPLOAD_BYTES ? new Uint8Array() : new Uint8Array(await c.req.arrayBuffer());
      const file = { name, mimeType: c.req.header("content-type"), size: declared || bytes.byteLength, read: async () => bytes };
      if (!(await handle(key, { kind: "file", file }, `📎 ${name}`))) return unavailable(c);
      return c.json({ ok: true });
    });
    app.get("/sandbox/api/files/:id", (c) => {
      const file = files.get(Number(c.req.param("id")));
      if (!file) return c.json({ error: "not_found" }, 404);
      return new Response(Buffer.from(file.bytes), {
        headers: {
          "content-type": file.mimeType,
          // A picture is shown in the conversation; other files are downloaded.
          "content-disposition": `${file.mimeType.startsWith("image/") ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        },
      });
    });
  }

  return {
    name: "sandbox",
    mount,
    limits: SANDBOX_LIMITS,
    isGroup: () => false,
    capabilities: (to) => capabilitiesOf(to.replace(/^sandbox:/, "")),
    async start() {
      logger.info({ personas: options.personas.length }, "sandbox: web chat ready");
    },
    async stop() {},
    async send(to: string, message: OutgoingMessage): Promise<DeliveryResult> {
      const key = to.replace(/^sandbox:/, "");
      if (!personas.has(key)) return { ok: false, reason: "unreachable", detail: `no sandbox persona ${key}` };
      await deliver(key, message, true);
      return { ok: true };
    },
  };
}
