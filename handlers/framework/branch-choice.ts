import type { Action as Permission } from "../../src/core/access/permissions.ts";
import { message, text } from "../../src/core/message.ts";
import { inBranchPayload } from "./command-button.ts";
import type { HandlerContext } from "./context.ts";

/**
 * The branch a command works on: the one chosen with a button, the only one the person may
 * use it in, or a question when there are several. Undefined means the person has been
 * answered already. The core checks the permission again; this only picks.
 */
export async function chooseBranch(ctx: HandlerContext, permission: Permission, command: string): Promise<string | undefined> {
  const branches = await ctx.core.access.branchesFor(ctx.actor, permission);
  if (ctx.branchId) {
    if (branches.some((b) => b.id === ctx.branchId)) return ctx.branchId;
    await ctx.reply(message([text(ctx.t("common:forbidden"))]));
    return undefined;
  }
  if (branches.length === 1) return branches[0]!.id;
  if (branches.length === 0) {
    await ctx.reply(message([text(ctx.t("common:noBranch"))]));
    return undefined;
  }
  const rows = branches.map((b) => [{ label: b.name, payload: inBranchPayload.encode({ command, branch: b.id }) }]);
  await ctx.reply(message([text(ctx.t("common:chooseBranch"))], rows));
  return undefined;
}
