import type { Logger } from "pino";
import type { Core } from "../../src/core/index.ts";
import type { Inbound, InboundEvent } from "../../src/core/inbound.ts";
import { toLocale, type Locale } from "../../src/core/locale.ts";
import { payloadPrefix } from "../../src/core/payload.ts";
import type { I18n } from "../../src/i18n.ts";
import type { Feature, Handler, HandlerContext, ReplyTransport } from "./context.ts";
import { answerPayload, commandPayload, inBranchPayload } from "./command-button.ts";
import { foldText } from "../../src/core/text.ts";
import { errorMessage } from "./replies.ts";

const DEFAULT_DIALOG_MINUTES = 60;
const CANCEL_WORDS = new Set(["huy", "thoi", "cancel", "stop", "/cancel", "/huy"]);

export interface RouterDeps {
  core: Core;
  i18n: I18n;
  logger: Logger;
}

export interface Router {
  dispatch(inbound: Inbound, transport: ReplyTransport): Promise<void>;
  /** Command names in installation order. */
  commandNames: string[];
  /** The commands for channel menus (Telegram setMyCommands): all but the unlisted ones. */
  menuCommands: string[];
}

type Route = { handler: Handler; input: string; branchId?: string } | undefined;

export function createRouter(features: Feature[], deps: RouterDeps): Router {
  const commands = new Map<string, Handler>();
  const aliases = new Map<string, string>();
  const actions = new Map<string, Handler>();
  const dialogs = new Map<string, Handler>();
  const textHandlers: NonNullable<Feature["text"]>[] = [];
  for (const feature of features) {
    for (const [name, handler] of Object.entries(feature.commands ?? {})) addOnce(commands, name, handler, feature.name);
    for (const [name, words] of Object.entries(feature.aliases ?? {})) for (const word of words) aliases.set(foldText(word), name);
    for (const [prefix, handler] of Object.entries(feature.actions ?? {})) addOnce(actions, prefix, handler, feature.name);
    for (const [kind, handler] of Object.entries(feature.dialogs ?? {})) addOnce(dialogs, kind, handler, feature.name);
    if (feature.text) textHandlers.push(feature.text);
  }
  for (const name of commands.keys()) aliases.set(name, name);
  const commandNames = [...commands.keys()];
  const fallbackFeature = features.at(-1);
  if (!fallbackFeature?.fallback) throw new Error("The last installed feature must be the fallback");
  const fallback = fallbackFeature.fallback;

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

  /** The handler of the dialog open in this chat, if any. */
  function dialogHandler(ctx: HandlerContext): Handler | undefined {
    const dialog = ctx.dialog.current;
    return dialog && dialogBelongsHere(dialog.data, ctx.inbound.chat) ? dialogs.get(dialog.kind) : undefined;
  }

  async function route(ctx: HandlerContext, event: InboundEvent): Promise<Route> {
    switch (event.kind) {
      case "command": {
        // A new command abandons whatever the person was typing into.
        if (ctx.dialog.current) await ctx.dialog.clear();
        const handler = commands.get(event.name);
        return { handler: handler ?? fallback.command, input: event.args.trim() };
      }
      case "action": {
        const command = commandPayload.decode(event.payload);
        if (command) return route(ctx, { kind: "command", name: command.name, args: "" });
        const inBranch = inBranchPayload.decode(event.payload);
        if (inBranch) {
          if (ctx.dialog.current) await ctx.dialog.clear();
          const handler = commands.get(inBranch.command);
          return handler ? { handler, input: "", branchId: inBranch.branch } : { handler: fallback.action, input: event.payload };
        }
        // A choice button under a question is the same as typing the answer.
        const answer = answerPayload.decode(event.payload);
        if (answer) {
          const handler = dialogHandler(ctx);
          return handler ? { handler, input: answer.value } : { handler: fallback.action, input: event.payload };
        }
        const handler = actions.get(payloadPrefix(event.payload));
        return { handler: handler ?? fallback.action, input: event.payload };
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
        const handler = dialogHandler(ctx);
        if (handler) return { handler: CANCEL_WORDS.has(foldText(text)) ? cancelDialog : handler, input: text };
        // In a group people talk to each other; only commands and buttons are for the bot.
        if (ctx.inbound.chat.kind === "group") return undefined;
        const command = asCommand(text);
        if (command) return route(ctx, { kind: "command", ...command });
        for (const understands of textHandlers) if (await understands({ ...ctx, input: text })) return undefined;
        return { handler: fallback.text, input: text };
      }
    }
  }

  async function dispatch(inbound: Inbound, transport: ReplyTransport): Promise<void> {
    let locale: Locale = "vi";
    try {
      const actor = await deps.core.people.identify(inbound);
      locale = toLocale(actor.person.locale);
      const personId = actor.person.id;
      const ctx: HandlerContext = {
        inbound,
        actor,
        locale,
        t: deps.i18n.t(locale),
        translator: (l) => deps.i18n.t(l),
        now: deps.core.clock.now(),
        core: deps.core,
        commands: commandNames,
        input: "",
        dialog: {
          current: await deps.core.dialogs.get(personId),
          async start(kind, data = {}, ttlMinutes = DEFAULT_DIALOG_MINUTES) {
            const expiresAt = new Date(deps.core.clock.now().getTime() + ttlMinutes * 60_000);
            await deps.core.dialogs.set(personId, { kind, data: { ...data, [DIALOG_CHAT]: inbound.chat }, expiresAt });
          },
          async clear() {
            await deps.core.dialogs.clear(personId);
          },
        },
        reply: (message) => transport.send(message),
        toast: async (text) => {
          await transport.toast?.(text);
        },
      };
      const target = await route(ctx, inbound.event);
      if (target) {
        await target.handler({
          ...ctx,
          input: target.input,
          ...(target.branchId ? { branchId: target.branchId } : {}),
          ...(inbound.event.kind === "file" ? { file: inbound.event.file } : {}),
        });
      }
    } catch (error) {
      // One broken update must never stop the others: log it, apologise, carry on.
      deps.logger.error({ err: error, channel: inbound.channel, event: inbound.event.kind }, "handler failed");
      await transport.send(errorMessage(deps.i18n.t(locale))).catch((sendError: unknown) => {
        deps.logger.error({ err: sendError }, "could not send the error reply");
      });
    }
  }

  const unlisted = new Set(features.flatMap((f) => f.unlisted ?? []));
  return { dispatch, commandNames, menuCommands: commandNames.filter((name) => !unlisted.has(name)) };
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

const cancelDialog: Handler = async (ctx) => {
  await ctx.dialog.clear();
  await ctx.reply({ blocks: [{ kind: "text", text: ctx.t("common:dialogCancelled") }] });
};

function addOnce(map: Map<string, Handler>, key: string, handler: Handler, feature: string): void {
  if (map.has(key)) throw new Error(`"${key}" is claimed by two features (second: ${feature})`);
  map.set(key, handler);
}
