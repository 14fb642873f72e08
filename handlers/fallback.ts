import { message, text } from "../src/core/message.ts";
import { awaitedAnswer, meetingPrompt } from "./attendance.ts";
import { commandButton } from "./framework/command-button.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";

const helpButtons = (ctx: HandlerContext) => [[commandButton(ctx.t("common:buttons.help"), "help"), commandButton(ctx.t("common:buttons.menu"), "start")]];

/** Installed last: whatever no feature claimed gets a kind answer and a way forward. */
export const fallbackFeature: Feature = {
  name: "fallback",
  fallback: {
    async command(ctx) {
      const command = ctx.inbound.event.kind === "command" ? `/${ctx.inbound.event.name}` : ctx.input;
      await ctx.reply(message([text(ctx.t("fallback:unknownCommand", { command: command.slice(0, 40) }))], helpButtons(ctx)));
    },
    async text(ctx) {
      // A meeting waits for this person's answer: what they typed is most likely about it.
      const pending = await awaitedAnswer(ctx);
      if (pending) return void (await ctx.reply(meetingPrompt(ctx, pending, ctx.t("attendance:prompt.notUnderstood"))));
      await ctx.reply(message([text(ctx.t("fallback:unknownText"))], helpButtons(ctx)));
    },
    async action(ctx) {
      await ctx.toast(ctx.t("fallback:staleButton"));
      await ctx.reply(message([text(ctx.t("fallback:staleButton"))], helpButtons(ctx)));
    },
    async file(ctx) {
      await ctx.reply(message([text(ctx.t("fallback:unexpectedFile"))], helpButtons(ctx)));
    },
    async other(ctx) {
      await ctx.reply(message([text(ctx.t("fallback:unsupportedMedia"))], helpButtons(ctx)));
    },
  },
};
