import pino from "pino";
import { createNoticeRenderer } from "../../handlers/framework/notices.ts";
import { createRouter, type DispatchOutcome, type Router } from "../../handlers/framework/router.ts";
import { createSender } from "../../src/core/delivery/sender.ts";
import { toLocale } from "../../src/core/locale.ts";
import { createLater } from "../../src/later.ts";
import { createNotifications } from "../../src/notifications.ts";
import { features as installedFeatures } from "../../handlers/index.ts";
import type { Feature } from "../../handlers/framework/context.ts";
import { blockPlainText, type OutgoingMessage } from "../../src/core/message.ts";
import { createCore, type Core } from "../../src/core/index.ts";
import type { ChannelName, Inbound, InboundEvent, ChannelCapabilities } from "../../src/core/inbound.ts";
import type { Actor } from "../../src/core/roles.ts";
import { createI18n, type I18n } from "../../src/i18n.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { createStore } from "../../src/store/index.ts";
import { seedDemoBranch } from "../../src/store/seed/demo-branch.ts";
import { FakeClock } from "./fake-clock.ts";
import { createTestDatabase } from "./test-db.ts";

export interface Speaker {
  /** The external id on the channel; for seeded demo personas, their key ("secretary", "khoa"). */
  id: string;
  name?: string;
  channel?: ChannelName;
  /** Defaults to the speaker's private chat. */
  chat?: { kind: "private" | "group"; address: string };
  /** What the speaker's channel can do; by default everything (buttons, edits, group links). */
  capabilities?: ChannelCapabilities;
}

export interface Harness {
  database: DatabaseHandle;
  clock: FakeClock;
  core: Core;
  i18n: I18n;
  router: Router;
  /** Messages proactively sent through the notifier (by `deliver`). */
  notified: Array<{ address: string; message: OutgoingMessage }>;
  /** Sends what is due in the outbox now, as the running sender would; returns what went out. */
  deliver(): Promise<Array<{ address: string; message: OutgoingMessage }>>;
  /** What the last update from a group chat had answered in the person's private chat. */
  lastPrivate: OutgoingMessage[];
  /** The toast the last pressed button got (Telegram's callback answer), if any. */
  lastToast: string | undefined;
  /** What became of the last update (handled, duplicate, unavailable). */
  lastOutcome: DispatchOutcome | undefined;
  /** Messages edited in place through the notifier (a group notice's live tally). */
  edited: Array<{ address: string; externalMessageId: string; message: OutgoingMessage }>;
  /** Runs deferred work (e.g. tally refreshes) now and waits for it. */
  flushLater(): Promise<void>;
  /** Sends one event and returns the replies it produced. */
  send(who: Speaker, event: InboundEvent): Promise<OutgoingMessage[]>;
  say(who: Speaker, text: string): Promise<OutgoingMessage[]>;
  command(who: Speaker, text: string): Promise<OutgoingMessage[]>;
  press(who: Speaker, payload: string): Promise<OutgoingMessage[]>;
  /** The actor behind a sandbox account (created on first use, named `name`), as handlers see them. */
  actor(id: string, name?: string): Promise<Actor>;
  /** Presses the button whose label contains `label` (or matches it) among the replies. */
  pressLabel(who: Speaker, replies: OutgoingMessage[], label: string | RegExp): Promise<OutgoingMessage[]>;
  /** Sends `command`, pages forward (“Sau”) to the numbered line naming `name`, and presses that number's button. */
  pressNumberOf(who: Speaker, command: string, name: string): Promise<OutgoingMessage[]>;
  close(): Promise<void>;
}

/** Plain text of replies, as a reader would see it, for assertions. */
export const plain = (messages: OutgoingMessage[]) => messages.map((m) => m.blocks.map(blockPlainText).join("\n")).join("\n---\n");

export const buttons = (messages: OutgoingMessage[]) => messages.flatMap((m) => (m.actions ?? []).flat());

/**
 * The real router, features, core and store on a fresh migrated database, driven without
 * any channel: the seam every handler test uses.
 */
export async function createHarness(options: { seedDemo?: boolean; features?: Feature[]; logger?: pino.Logger } = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const clock = new FakeClock();
  const store = createStore(database.db);
  const i18n = await createI18n();
  const notified: Harness["notified"] = [];
  const edited: Harness["edited"] = [];
  const logger = options.logger ?? pino({ level: "silent" });
  const features = options.features ?? installedFeatures;
  const render = createNoticeRenderer(features);
  let sentNow: Array<{ address: string; message: OutgoingMessage }> = [];
  const notifier = {
    async send(address: string, message: OutgoingMessage) {
      notified.push({ address, message });
      sentNow.push({ address, message });
      return { ok: true as const };
    },
    async edit(address: string, externalMessageId: string, message: OutgoingMessage) {
      edited.push({ address, externalMessageId, message });
      return { ok: true as const, externalMessageId };
    },
  };
  const notifications = createNotifications({ i18n, logger, render, notifier });
  const links = { startLink: (code: string) => `https://t.me/chibo_test_bot?start=${code}`, openChat: () => "https://t.me/chibo_test_bot?start=chao" };
  const later = createLater({ delayMs: 60_000, logger });
  const core = createCore({ store, clock, notifications, links, later, timezone: "Asia/Ho_Chi_Minh" });
  const router = createRouter(features, { core, i18n, logger, databaseUp: () => database.ping() });
  const sender = createSender({
    outbox: { claim: store.outbox.claim, record: store.outbox.record },
    clock,
    notifier,
    render: (notice, locale) => render(notice, i18n.t(toLocale(locale)), toLocale(locale)),
    onUnreachable: async (message) => void (await core.delivery.reportUnreachable(message)),
  });
  if (options.seedDemo) await seedDemoBranch(database.db, { today: "2026-12-01", timezone: "Asia/Ho_Chi_Minh" });

  async function send(who: Speaker, event: InboundEvent): Promise<OutgoingMessage[]> {
    const channel = who.channel ?? "sandbox";
    const replies: OutgoingMessage[] = [];
    const privately: OutgoingMessage[] = [];
    let toast: string | undefined;
    const privateAddress = `${channel}:${who.id}`;
    const inbound: Inbound = {
      channel,
      sender: { externalId: who.id, privateAddress, displayName: who.name ?? who.id },
      chat: who.chat ?? { kind: "private", address: privateAddress },
      event,
    };
    harness.lastOutcome = await router.dispatch(inbound, {
      ...(who.capabilities ? { capabilities: who.capabilities } : {}),
      send: async (message) => void replies.push(message),
      sendPrivately: async (message) => (privately.push(message), true),
      toast: async (text) => void (toast = text),
    });
    harness.lastPrivate = privately;
    harness.lastToast = toast;
    return replies;
  }

  const harness: Harness = {
    database,
    clock,
    core,
    i18n,
    router,
    notified,
    async deliver() {
      sentNow = [];
      await sender.drain();
      return sentNow;
    },
    lastPrivate: [],
    lastToast: undefined,
    lastOutcome: undefined,
    send,
    say: (who, text) => send(who, { kind: "text", text }),
    command: (who, text) => {
      const [head = "", ...rest] = text.trim().split(/\s+/);
      return send(who, { kind: "command", name: head.replace(/^\//, ""), args: rest.join(" ") });
    },
    press: (who, payload) => send(who, { kind: "action", payload }),
    actor: (id, name = id) =>
      core.people.identify({
        channel: "sandbox",
        sender: { externalId: id, privateAddress: `sandbox:${id}`, displayName: name },
        chat: { kind: "private", address: `sandbox:${id}` },
        event: { kind: "other" },
      }),
    pressLabel(who, replies, label) {
      const found = buttons(replies).find((b) => (typeof label === "string" ? b.label.includes(label) : label.test(b.label)));
      if (!found)
        throw new Error(
          `no button ${label} in: ${buttons(replies)
            .map((b) => b.label)
            .join(" | ")}`,
        );
      return send(who, { kind: "action", payload: found.payload });
    },
    async pressNumberOf(who, command, name) {
      let page = await harness.command(who, command);
      for (let i = 0; i < 20; i++) {
        const line = plain(page)
          .split("\n")
          .find((l) => /\d+\. /.test(l) && l.includes(name));
        // Roster buttons read "3", roll-call buttons "3 ✅ Hoa".
        if (line) return harness.pressLabel(who, page, new RegExp(`^${/(\d+)\. /.exec(line)![1]}(?: |$)`));
        page = await harness.pressLabel(who, page, "Sau");
      }
      throw new Error(`${name} not found after ${command}`);
    },
    edited,
    flushLater: () => later.flush(),
    close: async () => {
      await later.stop();
      await database.close();
    },
  };
  return harness;
}
