import { z } from "zod";
import { message, text } from "../../src/core/message.ts";
import type { HandlerContext } from "./context.ts";

/**
 * A dialog's state as its handler needs it, checked where it is read back from Postgres: a
 * state written by an older release, or damaged, closes the dialog with a kind word instead
 * of failing somewhere inside the handler.
 */
export async function dialogData<T>(ctx: HandlerContext, schema: z.ZodType<T>): Promise<T | undefined> {
  const parsed = schema.safeParse(ctx.dialog.current?.data);
  if (parsed.success) return parsed.data;
  await ctx.dialog.clear();
  await ctx.reply(message([text(ctx.t("common:dialogLost"))]));
  return undefined;
}

export const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
export const record = z.record(z.string(), z.unknown());
