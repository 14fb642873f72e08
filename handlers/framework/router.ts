import type { Logger } from "pino";
import type { Core } from "../../src/core/index.ts";
import type { ChannelCapabilities, ChatRef, Inbound, InboundEvent } from "../../src/core/inbound.ts";
import { toLocale, type Locale } from "../../src/core/locale.ts";
import { message, text, type OutgoingMessage } from "../../src/core/message.ts";
import { payloadPrefix } from "../../src/core/payload.ts";
import type { I18n } from "../../src/i18n.ts";
import type { Feature, Handler, HandlerContext, ReplyTransport } from "./context.ts";
import { answerPayload, commandPayload, inBranchPayload } from "./command-button.ts";
import { typedNumbers } from "../../src/core/conversation/choices.ts";
import { foldText } from "../../src/core/text.ts";
import { isCancelWord } from "./cancel-words.ts";
import { errorMessage } from "./replies.ts";

const DEFAULT_DIALOG_MINUTES = 60;
/** A transport that declares nothing (a test's): buttons and edits, Telegram's length. */
const FULL_CAPABILITIES: ChannelCapabilities = { buttons: true, edits: true, maxTextLength: 4096, deepLinks: true, groupLinks: true };
/** A group hears "answered in private" at most this often: a burst of commands is not a burst of posts. */
const GROUP_NOTE_EVERY_MS = 60_000;
/** Two updates that touched the same rows at once: the database aborts one; it is run again. */
const TRANSIENT_RETRIES = 3;

export interface RouterDeps {
  core: Core;
  i18n: I18n;
  logger: Logger;
  /** Whether the database answers: after a failed update, tells a broken handler from an outage. */
  databaseUp(): Promise<boolean>;
  /** An update's handling was stored, maybe with messages for others in the outbox: send them now. */
  onHandled?(): void;
}

/**
 * handled: done and stored, confirm it to the platform. duplicate: handled before (a
 * redelivery). unavailable: the database did not answer, nothing was stored or sent; the
 * platform must deliver it again once the database is back.
 */
export type DispatchOutcome = "handled" | "duplicate" | "unavailable";

export interface Router {
  /** `updateId`: the platform's id of the update, remembered with its handling so a redelivery is skipped. */
  dispatch(inbound: Inbound, transport: ReplyTransport, options?: { updateId?: number }): Promise<DispatchOutcome>;
  /** Command names in installation order. */
  commandNames: string[];
  /** The commands for channel menus (Telegram setMyCommands): all but the unlisted ones. */
  menuCommands: string[];
}

type Route = { handler: Handler; input: string; branchId?: string; privately?: boolean } | undefined;

/** What a handler said, held until its writes are committed: nothing is sent for a rolled-back update. */
interface Answers {
  /** `edit`: in place of the message whose button was pressed, where the channel can. */
  replies: Array<{ privately: boolean; message: OutgoingMessage; edit?: boolean }>;
  toast?: string;
}

export function createRouter(features: Feature[], deps: RouterDeps): Router {
  const commands = new Map<string, Handler>();
  const aliases = new Map<string, string>();
  const actions = new Map<string, Handler>();
  const dialogs = new Map<string, Handler>();
  const groupCommands = new Set<string>();
  const groupActions = new Set<string>();
  const ownCancel = new Set<string>();
  const textHandlers: NonNullable<Feature["text"]>[] = [];
  for (const feature of features) {
    for (const [name, handler] of Object.entries(feature.commands ?? {})) addOnce(commands, name, handler, feature.name);
    for (const [name, words] of Object.entries(feature.aliases ?? {})) for (const word of words) aliases.set(foldText(word), name);
    for (const [prefix, handler] of Object.entries(feature.actions ?? {})) addOnce(actions, prefix, handler, feature.name);
    for (const [kind, handler] of Object.entries(feature.dialogs ?? {})) addOnce(dialogs, kind, handler, feature.name);
    for (const name of feature.inGroup?.commands ?? []) groupCommands.add(name);
    for (const prefix of feature.inGroup?.actions ?? []) groupActions.add(prefix);
    for (const kind of feature.ownCancel ?? []) ownCancel.add(kind);
    if (feature.text) textHandlers.push(feature.text);
  }
  for (const name of commands.keys()) aliases.set(name, name);
  const commandNames = [...commands.keys()];
  const fallbackFeature = features.at(-1);
  if (!fallbackFeature?.fallback) throw new Error("The last installed feature must be the fallback");
  const fallback = fallbackFeature.fallback;
  const lastGroupNote = new Map<string, number>();

  /** A message that is a command without the slash ("help", "giúp", "start ABC123"). */
  function asCommand(text: string): { name: string; args: string } | undefined {
    const folded = foldText(text);
    const whole = aliases.get(folded);
    if (whole) return { name: whole, args: "" };
    const [first, ...rest] = text.trim().split(/\s+/);
    // Only "start <code>" takes an argument this way: other first words are too often ordinary speech ("tôi vắng").
    if (first && foldText(first) === "start" && rest.length === 1) return { name: "start", args: rest[0]! };
    return undefined;
  }

  /** The command a message typed alone names outright: "menu" and "0" (the menu), or a command's own name. */
  function wayOut(text: string): string | undefined {
    const folded = foldText(text);
    if (folded === "menu" || folded === "0") return "start";
    return commands.has(folded) ? folded : undefined;
  }

  /** The handler of the dialog open in this chat, if any. */
  function dialogHandler(ctx: HandlerContext): Handler | undefined {
    const dialog = ctx.dialog.current;
    return dialog && dialogBelongsHere(dialog.data, ctx.inbound.chat) ? dialogs.get(dialog.kind) : undefined;
  }

  /** In a group, only what every member may see is answered there; the rest goes to the person in private. */
  function inGroup(ctx: HandlerContext, route: Route, isGroupSafe: boolean): Route {
    return route && ctx.inbound.chat.kind === "group" && !isGroupSafe ? { ...route, privately: true } : route;
  }

  async function route(ctx: HandlerContext, event: InboundEvent): Promise<Route> {
    switch (event.kind) {
      case "command": {
        // A new command abandons whatever the person was typing into.
        if (ctx.dialog.current) await ctx.dialog.clear();
        // "/trogiup" or "/menu" is the command its word names, as when typed without the slash.
        const name = commands.has(event.name) ? event.name : (aliases.get(foldText(event.name)) ?? event.name);
        const handler = commands.get(name);
        return inGroup(ctx, { handler: handler ?? fallback.command, input: event.args.trim() }, groupCommands.has(name));
      }
      case "action": {
        const command = commandPayload.decode(event.payload);
        if (command) return route(ctx, { kind: "command", name: command.name, args: "" });
        const inBranch = inBranchPayload.decode(event.payload);
        if (inBranch) {
          if (ctx.dialog.current) await ctx.dialog.clear();
          const handler = commands.get(inBranch.command);
          const found = handler ? { handler, input: "", branchId: inBranch.branch } : { handler: fallback.action, input: event.payload };
          return inGroup(ctx, found, groupCommands.has(inBranch.command));
        }
        // A choice button under a question is the same as typing the answer.
        const answer = answerPayload.decode(event.payload);
        if (answer) {
          const handler = dialogHandler(ctx);
          return handler ? { handler, input: answer.value } : inGroup(ctx, { handler: fallback.action, input: event.payload }, false);
        }
        const prefix = payloadPrefix(event.payload);
        const handler = actions.get(prefix);
        return inGroup(ctx, { handler: handler ?? fallback.action, input: event.payload }, groupActions.has(prefix));
      }
      case "other":
        return ctx.inbound.chat.kind === "group" ? undefined : { handler: fallback.other, input: "" };
      case "file": {
        // A file is only ever an answer to a question (e.g. "send the roster file").
        const handler = dialogHandler(ctx);
        if (handler) return { handler, input: "" };
        return ctx.inbound.chat.kind === "group" ? undefined : { handler: fallback.file, input: "" };
      }
      case "text": {
        const text = event.text.trim();
        // A number typed where a list was offered as numbered text picks from it, before
        // anything reads the text: "2" is whatever the list said 2 was.
        const picked = await ctx.core.choices.pick(ctx.inbound.chat.address, text);
        if (picked?.kind === "choice") return route(ctx, { kind: "action", payload: picked.payload });
        const handler = dialogHandler(ctx);
        if (picked && !handler) return { handler: outOfRange(picked.count), input: text };
        const cancels = isCancelWord(text) && !ownCancel.has(ctx.dialog.current?.kind ?? "");
        // "menu", "0" or a command's own name ("lichhop") typed alone is a way out, not an
        // answer: on a channel without buttons it is the only one.
        const leaving = handler && ctx.inbound.chat.kind === "private" ? wayOut(text) : undefined;
        if (leaving) return route(ctx, { kind: "command", name: leaving, args: "" });
        if (handler) return { handler: cancels ? cancelDialog : handler, input: text };
        // In a group people talk to each other; only commands and buttons are for the bot.
        if (ctx.inbound.chat.kind === "group") return undefined;
        const command = asCommand(text);
        if (command) return route(ctx, { kind: "command", ...command });
        for (const understands of textHandlers) if (await understands({ ...ctx, input: text })) return undefined;
        // "1 4 5" where a list was offered and nothing takes several numbers: one at a time.
        if ((typedNumbers(text)?.length ?? 0) > 1 && (await ctx.core.choices.offered(ctx.inbound.chat.address)).length > 0) {
          return { handler: oneAtATime, input: text };
        }
        return { handler: fallback.text, input: text };
      }
    }
  }

  /** Identifies the person, routes the update and runs its handler, with every write on `core`. */
  async function handle(core: Core, inbound: Inbound, answers: Answers, capabilities: ChannelCapabilities): Promise<Locale> {
    const actor = await core.people.identify(inbound);
    const locale = toLocale(actor.person.locale);
    const personId = actor.person.id;
    const privateChat: ChatRef = { kind: "private", address: inbound.sender.privateAddress };
    /** A reply in `chat`, held until the transaction commits. */
    const replyIn = (chat: ChatRef) => async (message: OutgoingMessage) => void answers.replies.push({ privately: chat.kind === "private", message });
    const editIn = (chat: ChatRef) => async (message: OutgoingMessage) =>
      void answers.replies.push({ privately: chat.kind === "private", message, edit: true });
    const ctx: HandlerContext = {
      inbound,
      capabilities,
      actor,
      locale,
      t: deps.i18n.t(locale),
      translator: (l) => deps.i18n.t(l),
      now: core.clock.now(),
      core,
      commands: commandNames,
      input: "",
      dialog: {
        current: await core.dialogs.get(personId),
        async start(kind, data = {}, ttlMinutes = DEFAULT_DIALOG_MINUTES, options = {}) {
          const expiresAt = new Date(core.clock.now().getTime() + ttlMinutes * 60_000);
          const chat = options.privately ? privateChat : ctx.inbound.chat;
          await core.dialogs.set(personId, { kind, data: { ...data, [DIALOG_CHAT]: chat }, expiresAt });
        },
        async clear() {
          await core.dialogs.clear(personId);
        },
      },
      reply: replyIn(inbound.chat),
      edit: editIn(inbound.chat),
      replyPrivately: replyIn(privateChat),
      toast: async (text) => void (answers.toast = text),
    };
    const target = await route(ctx, inbound.event);
    if (!target) return locale;
    // Answered in private, the handler sees the private chat: its replies and dialogs go there.
    const handlerInbound = target.privately ? { ...inbound, chat: privateChat } : inbound;
    await target.handler({
      ...ctx,
      inbound: handlerInbound,
      input: target.input,
      ...(target.branchId ? { branchId: target.branchId } : {}),
      ...(inbound.event.kind === "file" ? { file: inbound.event.file } : {}),
      reply: replyIn(handlerInbound.chat),
      edit: editIn(handlerInbound.chat),
    });
    if (target.privately && inbound.event.kind === "action" && answers.toast === undefined) answers.toast = ctx.t("common:answeredPrivately");
    return locale;
  }

  /** Sends what the handler said, once its writes are stored. */
  async function deliver(inbound: Inbound, transport: ReplyTransport, answers: Answers, locale: Locale): Promise<void> {
    const t = deps.i18n.t(locale);
    let privateRefused = false;
    let sentPrivately = false;
    let failed = false;
    for (const reply of answers.replies) {
      try {
        const written = { ...reply.message, locale };
        const here = !reply.privately || inbound.chat.kind === "private";
        const pressedOn = inbound.event.kind === "action" ? inbound.event.messageId : undefined;
        const edits = (transport.capabilities ?? FULL_CAPABILITIES).edits;
        if (here && reply.edit && pressedOn && edits && transport.edit && (await transport.edit(pressedOn, written))) continue;
        if (here) await transport.send(written);
        else if (transport.sendPrivately && (await transport.sendPrivately(written))) sentPrivately = true;
        else privateRefused = true;
      } catch (error) {
        failed = true;
        deps.logger.error({ err: error, channel: inbound.channel }, "reply failed");
      }
    }
    // The platform refused an answer (a message it could not take): the person still hears something.
    if (failed) await transport.send(errorMessage(t)).catch(() => {});
    const isPress = inbound.event.kind === "action";
    const openChat = deps.core.links.openChat();
    if (privateRefused && isPress) {
      await transport.toast?.(t("common:openPrivateChat"), openChat ? { url: openChat } : {}).catch(() => {});
      return;
    }
    if (answers.toast !== undefined && isPress) await transport.toast?.(answers.toast).catch(() => {});
    if (isPress || inbound.chat.kind !== "group" || !(privateRefused || sentPrivately)) return;
    // A command typed in the group and answered in private: one short word in the group.
    // A limit on posts, in real time like every send limit, not the domain's clock.
    const now = performance.now();
    if (now - (lastGroupNote.get(inbound.chat.address) ?? Number.NEGATIVE_INFINITY) < GROUP_NOTE_EVERY_MS) return;
    lastGroupNote.set(inbound.chat.address, now);
    const name = inbound.sender.displayName;
    const note = privateRefused ? t("common:openPrivateChatNote", { name, link: openChat ?? "" }) : t("common:answeredPrivatelyNote", { name });
    await transport.send(message([text(note)])).catch((error: unknown) => deps.logger.warn({ err: error }, "group note failed"));
  }

  async function dispatch(inbound: Inbound, transport: ReplyTransport, options: { updateId?: number } = {}): Promise<DispatchOutcome> {
    const { updateId } = options;
    let answers: Answers = { replies: [] };
    let locale: Locale = "vi";
    for (let attempt = 1; ; attempt++) {
      answers = { replies: [] };
      try {
        // The update, its handling and its id are stored together or not at all.
        const outcome = await deps.core.inTransaction(async (core): Promise<DispatchOutcome> => {
          if (updateId !== undefined && !(await core.updates.markProcessed(inbound.channel, updateId))) return "duplicate";
          locale = await handle(core, inbound, answers, transport.capabilities ?? FULL_CAPABILITIES);
          return "handled";
        });
        if (outcome === "duplicate") return outcome;
        break;
      } catch (error) {
        if (!(await deps.databaseUp())) {
          deps.logger.warn({ err: error, channel: inbound.channel, updateId }, "database unreachable: update left for redelivery");
          return "unavailable";
        }
        if (isTransient(error) && attempt < TRANSIENT_RETRIES) continue;
        // A broken handler: its writes are rolled back; the update is settled and the person hears an apology.
        deps.logger.error({ err: error, channel: inbound.channel, event: inbound.event.kind }, "handler failed");
        try {
          if (updateId !== undefined) await deps.core.updates.markProcessed(inbound.channel, updateId);
        } catch {
          return "unavailable";
        }
        answers = { replies: [{ privately: false, message: errorMessage(deps.i18n.t(locale)) }] };
        break;
      }
    }
    deps.onHandled?.();
    await deliver(inbound, transport, answers, locale);
    return "handled";
  }

  const unlisted = new Set(features.flatMap((f) => f.unlisted ?? []));
  return { dispatch, commandNames, menuCommands: commandNames.filter((name) => !unlisted.has(name)) };
}

/** Serialization failures and deadlocks: the database aborted the transaction; running it again succeeds. */
function isTransient(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === "40001" || code === "40P01") return true;
  }
  return false;
}

// Where a dialog was started: in a group only that group continues it, so a member's
// chatter in the branch group is not taken as the answer to a question; a dialog started
// in a private chat continues in any of the person's private chats.
const DIALOG_CHAT = "startedIn";
function dialogBelongsHere(data: Record<string, unknown>, chat: Inbound["chat"]): boolean {
  const started = data[DIALOG_CHAT] as Inbound["chat"] | undefined;
  if (!started) return chat.kind === "private";
  return chat.kind === "group" ? started.address === chat.address : started.kind === "private";
}

const outOfRange =
  (count: number): Handler =>
  async (ctx) =>
    ctx.reply(message([text(count === 1 ? ctx.t("common:choices.onlyOne") : ctx.t("common:choices.outOfRange", { count }))]));

const oneAtATime: Handler = async (ctx) => ctx.reply(message([text(ctx.t("common:choices.oneAtATime"))]));

const cancelDialog: Handler = async (ctx) => {
  await ctx.dialog.clear();
  await ctx.reply({ blocks: [{ kind: "text", text: ctx.t("common:dialogCancelled") }] });
};

function addOnce(map: Map<string, Handler>, key: string, handler: Handler, feature: string): void {
  if (map.has(key)) throw new Error(`"${key}" is claimed by two features (second: ${feature})`);
  map.set(key, handler);
}
