import { message, note, text, type Action, type OutgoingMessage } from "../../src/core/message.ts";
import { parseRosterDate } from "../../src/core/roster/import-rules.ts";
import { foldText } from "../../src/core/text.ts";
import type { Translate } from "../../src/i18n.ts";
import { answerButton } from "./command-button.ts";
import { isCancelWord } from "./cancel-words.ts";
import type { Handler, HandlerContext } from "./context.ts";
import { dialogData, record } from "./dialog-data.ts";
import { z } from "zod";

export type StepResult<T> = { ok: true; value: T } | { ok: false; reason: string };

/** One question of a multi-step form. */
export interface FormStep {
  name: string;
  /** The question, in the person's language. */
  question(t: Translate, values: Record<string, unknown>): string;
  /** Choices shown as buttons (and as numbered answers on Zalo); typing stays possible. */
  choices?(t: Translate, values: Record<string, unknown>): Array<{ label: string; value: string }>;
  /** The feature's own buttons under the question (e.g. "back to the list"), after the choices. */
  actions?(t: Translate, values: Record<string, unknown>, extra: Record<string, unknown>): Action[][];
  /** Checks the answer; a refusal's reason is looked up as `<ns>:invalid.<reason>`. */
  parse(input: string, values: Record<string, unknown>): StepResult<unknown> | Promise<StepResult<unknown>>;
}

export interface FormDefinition {
  /** Dialog kind, unique across features (e.g. "branch.register"). */
  kind: string;
  /** Locale namespace holding `invalid.<reason>` messages. */
  ns: string;
  steps: FormStep[];
  /** Runs once every answer is in; the dialog is already closed. */
  finish(ctx: HandlerContext, values: Record<string, unknown>, extra: Record<string, unknown>): Promise<void>;
  /** Minutes the form stays open between answers. */
  ttlMinutes?: number;
  /**
   * What the cancel word does, instead of the router's plain "Đã hủy": e.g. back to the list
   * the form was opened from. The feature lists such a form's kind in `ownCancel`, so the
   * router hands it the cancel word.
   */
  cancel?(ctx: HandlerContext, extra: Record<string, unknown>): Promise<void>;
  /** The note under each question; "Gõ “hủy” để dừng." by default. */
  cancelHintKey?: string;
}

const formData = z.object({ step: z.number().int().nonnegative(), values: record, extra: record });
type FormData = z.infer<typeof formData>;

export const MAX_ANSWER = 1000;
const CONFIRMED = "confirmed";

/**
 * A form asked one question at a time, its progress kept in the dialog state (Postgres):
 * an answer that does not parse gets a clear reason and the same question again; the
 * cancel word works at every step; nothing is written until `finish`.
 */
export function defineForm(form: FormDefinition) {
  function ask(t: Translate, data: FormData, prefix?: string): OutgoingMessage {
    const step = form.steps[data.step]!;
    const choices = step.choices?.(t, data.values) ?? [];
    const rows: Action[][] = [];
    for (let i = 0; i < choices.length; i += 2) rows.push(choices.slice(i, i + 2).map((c) => answerButton(c.label, c.value)));
    rows.push(...(step.actions?.(t, data.values, data.extra) ?? []));
    const blocks = [...(prefix ? [text(prefix)] : []), text(step.question(t, data.values)), note(t(form.cancelHintKey ?? "common:cancelHint"))];
    return message(blocks, rows);
  }

  async function start(ctx: HandlerContext, extra: Record<string, unknown> = {}, values: Record<string, unknown> = {}, intro?: string): Promise<void> {
    const data: FormData = { step: 0, values, extra };
    await ctx.dialog.start(form.kind, data as unknown as Record<string, unknown>, form.ttlMinutes ?? 60);
    await ctx.reply(ask(ctx.t, data, intro));
  }

  const handle: Handler = async (ctx) => {
    const data = await dialogData(ctx, formData);
    if (!data) return;
    const step = form.steps[data.step];
    if (!step) {
      await ctx.dialog.clear();
      return;
    }
    if (form.cancel && isCancelWord(ctx.input)) {
      await ctx.dialog.clear();
      await form.cancel(ctx, data.extra);
      return;
    }
    if (!ctx.input.trim() || ctx.input.length > MAX_ANSWER) {
      await ctx.reply(ask(ctx.t, data, ctx.t(ctx.input.length > MAX_ANSWER ? "common:answerTooLong" : "common:answerEmpty", { max: MAX_ANSWER })));
      return;
    }
    const parsed = await step.parse(ctx.input.trim(), data.values);
    if (!parsed.ok) {
      await ctx.reply(ask(ctx.t, data, ctx.t([`${form.ns}:invalid.${parsed.reason}`, `common:invalid.${parsed.reason}`])));
      return;
    }
    if (step.name === CONFIRMED && parsed.value === false) {
      await ctx.dialog.clear();
      await ctx.edit(message([text(ctx.t("common:dialogCancelled"))]));
      return;
    }
    const next: FormData = { ...data, step: data.step + 1, values: { ...data.values, [step.name]: parsed.value } };
    if (next.step < form.steps.length) {
      await ctx.dialog.start(form.kind, next as unknown as Record<string, unknown>, form.ttlMinutes ?? 60);
      await ctx.edit(ask(ctx.t, next));
      return;
    }
    await ctx.dialog.clear();
    await form.finish(ctx, next.values, next.extra);
  };

  /** Whether the person's open dialog is this form, in this chat (for forms their feature answers). */
  const owns = (ctx: HandlerContext): boolean => ctx.dialog.current?.kind === form.kind && ctx.inbound.chat.kind === "private";

  return { kind: form.kind, start, handle, owns };
}

/** The usual last step: show what will be saved, then "yes" saves and "no" cancels. */
export function confirmStep(summary: (t: Translate, values: Record<string, unknown>) => string): FormStep {
  return {
    name: CONFIRMED,
    question: (t, values) => `${summary(t, values)}\n\n${t("common:confirmQuestion")}`,
    choices: (t) => [
      { label: t("common:buttons.confirm"), value: "yes" },
      { label: t("common:buttons.cancel"), value: "no" },
    ],
    parse: (input) => {
      const folded = foldText(input);
      if (["yes", "co", "dong y", "xac nhan", "ok", "1"].includes(folded)) return { ok: true, value: true };
      if (["no", "khong", "2"].includes(folded)) return { ok: true, value: false };
      return { ok: false, reason: "confirm" };
    },
  };
}

/** Whether an answer leaves an optional question empty: “-”, “bỏ qua” or “skip”. */
export function isSkipAnswer(input: string): boolean {
  const folded = foldText(input);
  return input.trim() === "-" || folded === "bo qua" || folded === "skip";
}

/** A day typed as day/month/year (or "hôm nay" when `today` is given), as YYYY-MM-DD. */
export function dayAnswer(input: string, today?: string): StepResult<string> {
  if (today && ["hom nay", "today", "nay"].includes(foldText(input))) return { ok: true, value: today };
  const day = parseRosterDate(input);
  return day ? { ok: true, value: day } : { ok: false, reason: "date" };
}
