import type { StoredCode } from "../src/core/access/codes.ts";
import { normalizeCode } from "../src/core/access/codes.ts";
import { message, text, type OutgoingMessage } from "../src/core/message.ts";
import { payloadCodec } from "../src/core/payload.ts";
import type { Translate } from "../src/i18n.ts";
import { registrationForm } from "./branch.ts";
import { commandButton } from "./framework/command-button.ts";
import { isSkipAnswer } from "./framework/form.ts";
import type { Feature, HandlerContext, NoticeRenderers } from "./framework/context.ts";
import { dialogData } from "./framework/dialog-data.ts";
import { z } from "zod";

const JOIN_DIALOG = "join.name";
const SUPERVISOR_NAME_DIALOG = "supervisor.name";

/** Approve / reject a join request, from the secretary's notice or the roster. */
export const joinDecision = payloadCodec("jr", ["decision", "request"]);

/**
 * What a code does depends on its kind: the setup code makes the admin, a secretary code
 * opens branch registration, a supervisor code starts following, an invite asks for the
 * person's name, a link code joins this chat to the person who made it.
 */
export async function redeem(ctx: HandlerContext, input: string): Promise<void> {
  const { t } = ctx;
  const found = await ctx.core.access.lookUpCode(ctx.actor, input);
  if (!found.ok) {
    const key = found.reason === "too_many_attempts" ? "common:tooManyAttempts" : `codes:problem.${found.reason}`;
    await ctx.reply(message([text(t(key))], [[commandButton(t("common:buttons.help"), "help")]]));
    return;
  }
  const code = found.code;
  switch (code.kind) {
    case "setup": {
      const result = await ctx.core.access.becomeAdmin(ctx.actor, code);
      await ctx.reply(message([text(t(result.ok ? "codes:admin" : "codes:problem.used"))]));
      return;
    }
    case "secretary":
      await registrationForm.start(ctx, { code: code.code }, { chatName: ctx.actor.person.displayName }, t("codes:register"));
      return;
    case "supervisor": {
      const result = await ctx.core.people.followWithCode(ctx.actor, code);
      if (!result.ok) return void (await ctx.reply(message([text(t("codes:problem.used"))])));
      // Branches see the supervisor's name on notices and reports: the full name, not a chat first name.
      await ctx.dialog.start(SUPERVISOR_NAME_DIALOG, {}, 60);
      await ctx.reply(
        message([text(t("codes:supervisor", { following: result.following })), text(t("codes:supervisorName.ask", { name: ctx.actor.person.displayName }))]),
      );
      return;
    }
    case "invite":
      return startJoin(ctx, code);
    case "link": {
      const result = await ctx.core.people.linkChannel(ctx.actor, ctx.inbound, code);
      await ctx.reply(message([text(t(result.ok ? "codes:linked" : `codes:link.${result.reason}`))], [[commandButton(t("common:buttons.menu"), "start")]]));
      return;
    }
  }
}

async function startJoin(ctx: HandlerContext, code: StoredCode): Promise<void> {
  const { t } = ctx;
  const target = await ctx.core.roster.inviteTarget(code);
  if (!target) {
    await ctx.reply(message([text(t("codes:problem.unknown"))]));
    return;
  }
  if (ctx.actor.memberships.some((m) => m.branchId === code.branchId)) {
    await ctx.reply(message([text(t("codes:join.alreadyMember", { branch: target.branchName }))], [[commandButton(t("common:buttons.menu"), "start")]]));
    return;
  }
  if (ctx.actor.pendingJoins.some((p) => p.branchId === code.branchId)) {
    await ctx.reply(message([text(t("codes:join.alreadyPending", { branch: target.branchName }))]));
    return;
  }
  await ctx.dialog.start(JOIN_DIALOG, { code: code.code }, 60);
  await ctx.reply(message([text(t("codes:join.welcome", { branch: target.branchName, orgUnit: target.orgUnitName })), text(t("codes:join.askName"))]));
}

/** The secretary's notice of a join request, with the decision buttons. */
export function joinRequestNotice(t: Translate, params: { requestId: string; name: string; claimName: string | null; branchName: string }): OutgoingMessage {
  const lines = [t("codes:notice.requested", { name: params.name, branch: params.branchName })];
  lines.push(params.claimName ? t("codes:notice.claims", { rosterName: params.claimName }) : t("codes:notice.newMember"));
  return message(
    [text(lines.join("\n"))],
    [
      [
        { label: t("codes:buttons.approve"), payload: joinDecision.encode({ decision: "a", request: params.requestId }) },
        { label: t("codes:buttons.reject"), payload: joinDecision.encode({ decision: "r", request: params.requestId }) },
      ],
    ],
  );
}

// A typed code has letters and at least one digit; ordinary words and numbers do not.
const looksLikeCode = (input: string) => {
  const code = normalizeCode(input);
  return code !== undefined && /\d/.test(code) && /[A-Z]/.test(code) && input.trim().split(/\s+/).length <= 3;
};

/** The notices this feature renders (see handlers/index.ts for the check that none is missing). */
export const codeNotices = {
  "join.requested": (params, t) =>
    joinRequestNotice(t, {
      requestId: String(params.requestId),
      name: String(params.name),
      claimName: params.claimName === null ? null : String(params.claimName),
      branchName: String(params.branchName),
    }),
  "join.approved": (params, t) =>
    message([text(t("codes:notice.approved", { branch: String(params.branchName) }))], [[commandButton(t("common:buttons.menu"), "start")]]),
  "join.rejected": (params, t) => message([text(t("codes:notice.rejected", { branch: String(params.branchName) }))]),
} satisfies Partial<NoticeRenderers>;

export const codesFeature: Feature = {
  name: "codes",
  // On Zalo (no deep links) and when read out at a meeting, the code is simply typed.
  async text(ctx) {
    if (ctx.inbound.chat.kind !== "private" || !looksLikeCode(ctx.input)) return false;
    await redeem(ctx, ctx.input);
    return true;
  },
  dialogs: {
    async [SUPERVISOR_NAME_DIALOG](ctx) {
      const { t } = ctx;
      const keep = isSkipAnswer(ctx.input);
      const result = keep ? ({ ok: true, name: ctx.actor.person.displayName } as const) : await ctx.core.people.setOwnName(ctx.actor, ctx.input);
      if (!result.ok) return void (await ctx.reply(message([text(t("codes:join.badName"))])));
      await ctx.dialog.clear();
      await ctx.reply(message([text(t("codes:supervisorName.done", { name: result.name }))], [[commandButton(t("common:buttons.menu"), "start")]]));
    },
    async [JOIN_DIALOG](ctx) {
      const { t } = ctx;
      const data = await dialogData(ctx, z.object({ code: z.string() }));
      if (!data) return;
      const found = await ctx.core.access.reloadCode(data.code);
      if (!found.ok) {
        await ctx.dialog.clear();
        await ctx.reply(message([text(t(`codes:problem.${found.reason}`))]));
        return;
      }
      const result = await ctx.core.roster.requestToJoin(ctx.actor, found.code, ctx.input);
      if (!result.ok) {
        if (result.reason === "bad_name") {
          await ctx.reply(message([text(t("codes:join.badName"))]));
          return;
        }
        await ctx.dialog.clear();
        await ctx.reply(message([text(t(`codes:join.${result.reason}`, { branch: "" }))]));
        return;
      }
      await ctx.dialog.clear();
      await ctx.reply(message([text(t("codes:join.sent", { branch: result.request.branchName }))]));
    },
  },
  actions: {
    async [joinDecision.prefix](ctx) {
      const { t } = ctx;
      const payload = joinDecision.decode(ctx.input);
      if (!payload || !["a", "r"].includes(payload.decision)) {
        await ctx.reply(message([text(t("fallback:staleButton"))]));
        return;
      }
      const result = await ctx.core.roster.decideJoin(ctx.actor, payload.request, payload.decision === "a");
      if (!result.ok) {
        await ctx.reply(message([text(t(result.reason === "forbidden" ? "common:forbidden" : `codes:decision.${result.reason}`))]));
        return;
      }
      const key =
        payload.decision === "a" ? (result.request.claimMembershipId ? "codes:decision.approvedClaim" : "codes:decision.approved") : "codes:decision.rejected";
      await ctx.reply(
        message(
          [text(t(key, { name: result.request.name, rosterName: result.request.claimName ?? "" }))],
          [[commandButton(t("roster:buttons.roster"), "thanhvien")]],
        ),
      );
    },
  },
  notices: codeNotices,
};
