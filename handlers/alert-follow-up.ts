import { z } from "zod";
import { MEMBER_TEMPLATES, VISIT_DAYS, type AlertCard, type AlertListItem, type MemberTemplate } from "../src/core/alerts/follow-up.ts";
import type { AlertHistoryEntry } from "../src/core/alerts/types.ts";
import type { Locale } from "../src/core/locale.ts";
import { list, message, navigation, note, text, title, type Action, type OutgoingMessage } from "../src/core/message.ts";
import type { RenderedParams } from "../src/core/notices.ts";
import { formatDateTime, formatDay } from "../src/core/time.ts";
import type { Translate } from "../src/i18n.ts";
import { configurableUnits, settingsButton } from "./alert-settings.ts";
import { alertLines, alertTitle, followUp, openAlertButton } from "./alerts.ts";
import { dialogData, uuid } from "./framework/dialog-data.ts";
import type { Feature, HandlerContext, NoticeRenderers } from "./framework/context.ts";

/**
 * /canhbao: the open alerts a person may see, each with its history and, for officers and
 * supervisors, the follow-up: "Giao gặp gỡ" (a committee member sent to talk with the member
 * by a day), "Nhắc đồng chí này" (a kind message in the words of a template) and "Đã xử lý".
 */
const ASSIGN_DIALOG = "alerts.assign";
const HANDLE_DIALOG = "alerts.handle";
const VISIT_DIALOG = "alerts.visit";
const PAGE_SIZE = 8;

const say = (ctx: HandlerContext, key: string, params: Record<string, unknown> = {}) => ctx.reply(message([text(ctx.t(key, params))]));

function itemLine(t: Translate, item: AlertListItem, n: number): string {
  const day = item.day ? formatDay(item.day) : "";
  // A7 is about a quarter, A5 and A6 about a meeting, the others about a member at a meeting.
  const about =
    item.rule === "A7"
      ? t("alerts:list.quarter", { quarter: item.period })
      : item.name
        ? `${item.name}${day ? ` (${day})` : ""}`
        : t("alerts:list.meetingOf", { day });
  const pending = item.visitPending ? ` ${t("alerts:list.visitPending")}` : "";
  return `${n}. ${t(`alerts:short.${item.rule.toLowerCase()}`)} · ${about} — ${item.branchName}${pending}`;
}

async function showList(ctx: HandlerContext, page = 0): Promise<void> {
  const { t } = ctx;
  const items = await ctx.core.alerts.openAlertsFor(ctx.actor);
  // A supervisor of an org unit sets its rules from here.
  const settings = configurableUnits(ctx).map((u) => [settingsButton(t, u.id, u.name)]);
  if (items.length === 0) {
    const mayView = (await ctx.core.access.branchesFor(ctx.actor, "alerts.view")).length > 0;
    return void (await ctx.reply(message([text(t(mayView ? "alerts:list.none" : "alerts:list.notForYou"))], settings)));
  }
  const pages = Math.ceil(items.length / PAGE_SIZE);
  const current = Math.min(Math.max(page, 0), pages - 1);
  const slice = items.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  // Numbered lines rather than a bulleted list: the number is what is pressed or typed.
  const blocks = [
    title(t("alerts:list.title", { count: items.length })),
    text(slice.map((item, i) => itemLine(t, item, current * PAGE_SIZE + i + 1)).join("\n")),
  ];
  if (pages > 1) blocks.push(note(t("alerts:list.page", { page: current + 1, pages })));
  const rows: Action[][] = [
    slice.map((item, i) => ({ label: String(current * PAGE_SIZE + i + 1), payload: followUp.encode({ op: "open", id: item.alertId, arg: "" }) })),
  ];
  const nav: Action[] = [];
  if (current > 0) nav.push(navigation({ label: t("common:buttons.previous"), payload: followUp.encode({ op: "page", id: "", arg: String(current - 1) }) }));
  if (current < pages - 1)
    nav.push(navigation({ label: t("common:buttons.next"), payload: followUp.encode({ op: "page", id: "", arg: String(current + 1) }) }));
  if (nav.length) rows.push(nav);
  await ctx.reply(message(blocks, [...rows, ...settings]));
}

function historyLine(t: Translate, entry: AlertHistoryEntry, timezone: string, locale: Locale): string {
  const when = formatDateTime(entry.at, timezone, locale);
  const note = entry.event === "reminded" ? t(`alerts:templates.${entry.note}.name`, { defaultValue: entry.note ?? "" }) : (entry.note ?? "");
  return `${when} — ${t(`alerts:history.${entry.event}`, { name: entry.name ?? "", note })}`;
}

/** The alert as its card shows it: what it says, what has been done, and what can be done. */
export function cardMessage(card: AlertCard, t: Translate, locale: Locale, actorId: string): OutgoingMessage {
  const { alert } = card;
  const params = {
    alertId: alert.id,
    rule: alert.rule,
    branchName: card.branchName,
    name: typeof alert.details.name === "string" ? alert.details.name : null,
    period: alert.periodKey,
    details: JSON.stringify(alert.details),
  };
  const blocks = [title(alertTitle(params, t)), text(alertLines(params as RenderedParams<"alert.raised">, t, locale).join("\n"))];
  if (alert.resolvedAt) blocks.push(text(t(alert.details.withdrawnAt ? "alerts:card.withdrawn" : "alerts:card.handled")));
  for (const v of card.visits.filter((x) => x.doneAt === null))
    blocks.push(text(t("alerts:card.visitPending", { name: v.assigneeName, day: formatDay(v.dueOn) })));
  blocks.push(text(t("alerts:card.history")), list(card.history.map((e) => historyLine(t, e, card.timezone, locale))));
  const rows: Action[][] = [];
  const open = alert.resolvedAt === null;
  const memberAlert = alert.membershipId !== null;
  for (const v of card.visits.filter((x) => x.doneAt === null && x.assigneePersonId === actorId)) {
    rows.push([{ label: t("alerts:buttons.visitDone"), payload: followUp.encode({ op: "visit", id: v.id, arg: "" }) }]);
  }
  if (open && card.canHandle) {
    if (memberAlert) rows.push([{ label: t("alerts:buttons.assign"), payload: followUp.encode({ op: "assign", id: alert.id, arg: "" }) }]);
    if (memberAlert && card.memberReachable)
      rows.push([{ label: t("alerts:buttons.remind"), payload: followUp.encode({ op: "remind", id: alert.id, arg: "" }) }]);
    rows.push([{ label: t("alerts:buttons.handle"), payload: followUp.encode({ op: "handle", id: alert.id, arg: "" }) }]);
  }
  rows.push([navigation({ label: t("alerts:buttons.list"), payload: followUp.encode({ op: "page", id: "", arg: "0" }) })]);
  if (!memberAlert && open && card.canHandle) blocks.push(note(t(`alerts:card.hint.${alert.rule.toLowerCase()}`)));
  // The committee reads alerts; acting on them is for the officers and supervisors.
  if (open && !card.canHandle) blocks.push(note(t("alerts:card.readOnly")));
  return message(blocks, rows);
}

async function showCard(ctx: HandlerContext, alertId: string): Promise<void> {
  const result = await ctx.core.alerts.alertCard(ctx.actor, alertId);
  if (!result.ok) return say(ctx, result.reason === "forbidden" ? "common:forbidden" : "fallback:staleButton");
  await ctx.reply(cardMessage(result.card, ctx.t, ctx.locale, ctx.actor.person.id));
}

/** A typed note's outcome: an empty or over-long one is asked again; anything else ends the dialog. */
async function takeNote(ctx: HandlerContext, result: { ok: true } | { ok: false; reason: string }, saved: string): Promise<void> {
  if (!result.ok && (result.reason === "empty" || result.reason === "too_long")) return refused(ctx, result.reason);
  await ctx.dialog.clear();
  await (result.ok ? say(ctx, saved) : refused(ctx, result.reason));
}

/** Why a follow-up step could not be taken, in the person's words. */
async function refused(ctx: HandlerContext, reason: string): Promise<void> {
  await say(ctx, reason === "forbidden" ? "common:forbidden" : `alerts:problem.${reason.replace(/_(\w)/g, (_, c: string) => c.toUpperCase())}`);
}

async function askAssignee(ctx: HandlerContext, alertId: string): Promise<void> {
  const result = await ctx.core.alerts.alertCard(ctx.actor, alertId);
  if (!result.ok) return refused(ctx, result.reason);
  if (!result.card.canHandle) return refused(ctx, "forbidden");
  if (result.card.alert.resolvedAt) return refused(ctx, "closed");
  const people = result.card.assignable;
  if (people.length === 0) return refused(ctx, "noAssignee");
  await ctx.dialog.start(ASSIGN_DIALOG, { alertId }, 30, { privately: true });
  const name = typeof result.card.alert.details.name === "string" ? result.card.alert.details.name : "";
  const rows = people.map((p) => [
    { label: `${p.name} (${ctx.t(`common:roles.${p.role}`)})`, payload: followUp.encode({ op: "who", id: p.personId, arg: "" }) },
  ]);
  await ctx.reply(message([text(ctx.t("alerts:assign.who", { name }))], rows));
}

async function askDays(ctx: HandlerContext, personId: string): Promise<void> {
  const data = ctx.dialog.current?.kind === ASSIGN_DIALOG ? z.object({ alertId: uuid }).safeParse(ctx.dialog.current.data).data : undefined;
  if (!data) return say(ctx, "fallback:staleButton");
  await ctx.dialog.start(ASSIGN_DIALOG, { alertId: data.alertId, personId }, 30, { privately: true });
  const rows = [
    VISIT_DAYS.map((days) => ({ label: ctx.t("alerts:assign.days", { count: days }), payload: followUp.encode({ op: "days", id: "", arg: String(days) }) })),
  ];
  await ctx.reply(message([text(ctx.t("alerts:assign.when"))], rows));
}

async function assign(ctx: HandlerContext, days: number): Promise<void> {
  const data = ctx.dialog.current?.kind === ASSIGN_DIALOG ? z.object({ alertId: uuid, personId: uuid }).safeParse(ctx.dialog.current.data).data : undefined;
  if (!data) return say(ctx, "fallback:staleButton");
  await ctx.dialog.clear();
  const result = await ctx.core.alerts.assignVisit(ctx.actor, data.alertId, data.personId, days);
  if (!result.ok) return refused(ctx, result.reason);
  await say(ctx, "alerts:assign.done", { day: formatDay(result.dueOn) });
  await showCard(ctx, data.alertId);
}

/** The words a member receives; the preview shows exactly the same. */
function templateText(t: Translate, template: MemberTemplate, branch: string, from: string, next: { when: string; place: string | null } | null): string {
  const when = next ? t(next.place ? "alerts:templates.whenAt" : "alerts:templates.when", next) : t("alerts:templates.noDate");
  return t(`alerts:templates.${template}.text`, { branch, from, when });
}

async function askTemplate(ctx: HandlerContext, alertId: string): Promise<void> {
  const result = await ctx.core.alerts.alertCard(ctx.actor, alertId);
  if (!result.ok) return refused(ctx, result.reason);
  if (!result.card.canHandle) return refused(ctx, "forbidden");
  const { t } = ctx;
  const name = typeof result.card.alert.details.name === "string" ? result.card.alert.details.name : "";
  const coming = result.card.nextMeeting;
  const next = coming ? { when: formatDateTime(coming.startsAt, result.card.timezone, ctx.locale), place: coming.place } : null;
  const previews = MEMBER_TEMPLATES.map(
    (tpl) => `${t(`alerts:templates.${tpl}.name`)}: “${templateText(t, tpl, result.card.branchName, ctx.actor.person.displayName, next)}”`,
  );
  const rows = MEMBER_TEMPLATES.map((tpl) => [{ label: t(`alerts:templates.${tpl}.name`), payload: followUp.encode({ op: "tpl", id: alertId, arg: tpl }) }]);
  await ctx.reply(message([text(t("alerts:remind.which", { name })), list(previews)], rows));
}

function visitMessage(params: RenderedParams<"alert.visit">, t: Translate, key: "assigned" | "reminder" | "done"): OutgoingMessage {
  const values = {
    branch: params.branchName,
    name: params.name,
    day: formatDay(params.dueOn),
    by: params.assignedBy,
    assignee: params.assignee,
    outcome: params.outcome ?? "",
  };
  const blocks = [title(t(`alerts:visit.${key}Title`, values)), text(t(`alerts:visit.${key}`, values))];
  const rows: Action[][] = [];
  if (key !== "done") rows.push([{ label: t("alerts:buttons.visitDone"), payload: followUp.encode({ op: "visit", id: params.visitId, arg: "" }) }]);
  rows.push([openAlertButton(t, params.alertId)]);
  return message(blocks, rows);
}

/** The notices of the follow-up (see handlers/index.ts for the check that none is missing). */
export const followUpNotices = {
  "alert.visit": (params, t) => visitMessage(params, t, "assigned"),
  "alert.visitReminder": (params, t) => visitMessage(params, t, "reminder"),
  "alert.visitDone": (params, t) => visitMessage(params, t, "done"),
  "alert.memberReminder": (params, t, locale) => {
    const next = params.nextMeeting ? { when: formatDateTime(new Date(params.nextMeeting), params.timezone, locale), place: params.place } : null;
    const template = (MEMBER_TEMPLATES as readonly string[]).includes(params.template) ? (params.template as MemberTemplate) : "care";
    return message([title(t("alerts:templates.title", { branch: params.branchName })), text(templateText(t, template, params.branchName, params.from, next))]);
  },
} satisfies Partial<NoticeRenderers>;

export const followUpFeature: Feature = {
  name: "alertFollowUp",
  notices: followUpNotices,
  commands: { canhbao: (ctx) => showList(ctx) },
  aliases: { canhbao: ["cảnh báo", "canh bao", "alerts"] },
  actions: {
    async [followUp.prefix](ctx) {
      const p = followUp.decode(ctx.input);
      if (!p) return say(ctx, "fallback:staleButton");
      switch (p.op) {
        case "page":
          return showList(ctx, Number(p.arg) || 0);
        case "open":
          return p.id ? showCard(ctx, p.id) : say(ctx, "fallback:staleButton");
        case "assign":
          return p.id ? askAssignee(ctx, p.id) : say(ctx, "fallback:staleButton");
        case "who":
          return p.id ? askDays(ctx, p.id) : say(ctx, "fallback:staleButton");
        case "days":
          return assign(ctx, Number(p.arg));
        case "remind":
          return p.id ? askTemplate(ctx, p.id) : say(ctx, "fallback:staleButton");
        case "tpl": {
          if (!p.id || !(MEMBER_TEMPLATES as readonly string[]).includes(p.arg)) return say(ctx, "fallback:staleButton");
          const result = await ctx.core.alerts.remindMember(ctx.actor, p.id, p.arg as MemberTemplate);
          return result.ok ? say(ctx, "alerts:remind.sent") : refused(ctx, result.reason);
        }
        case "handle": {
          if (!p.id) return say(ctx, "fallback:staleButton");
          // Asked only of someone whose note will be taken: checked before the question, and again when it is answered.
          const card = await ctx.core.alerts.alertCard(ctx.actor, p.id);
          if (!card.ok) return refused(ctx, card.reason);
          if (!card.card.canHandle) return refused(ctx, "forbidden");
          if (card.card.alert.resolvedAt) return refused(ctx, "closed");
          await ctx.dialog.start(HANDLE_DIALOG, { alertId: p.id }, 60, { privately: true });
          return say(ctx, "alerts:handle.ask");
        }
        case "visit":
          if (!p.id) return say(ctx, "fallback:staleButton");
          if (!(await ctx.core.alerts.visitsToMake(ctx.actor)).some((v) => v.id === p.id)) return refused(ctx, "visitNotYours");
          await ctx.dialog.start(VISIT_DIALOG, { visitId: p.id }, 60, { privately: true });
          return say(ctx, "alerts:visit.ask");
      }
    },
  },
  dialogs: {
    async [HANDLE_DIALOG](ctx) {
      const data = await dialogData(ctx, z.object({ alertId: uuid }));
      if (data) await takeNote(ctx, await ctx.core.alerts.handleAlert(ctx.actor, data.alertId, ctx.input), "alerts:handle.done");
    },
    async [VISIT_DIALOG](ctx) {
      const data = await dialogData(ctx, z.object({ visitId: uuid }));
      if (data) await takeNote(ctx, await ctx.core.alerts.completeVisit(ctx.actor, data.visitId, ctx.input), "alerts:visit.saved");
    },
    // Typed while choosing whom to send: the choice is made with the buttons (numbers on Zalo).
    async [ASSIGN_DIALOG](ctx) {
      await say(ctx, "alerts:assign.useButtons");
    },
  },
};
