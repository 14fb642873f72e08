import { z } from "zod";
import type { Locale } from "../src/core/locale.ts";
import { message, note, text, title, type Action, type OutgoingMessage } from "../src/core/message.ts";
import { payloadCodec } from "../src/core/payload.ts";
import type { RenderedParams } from "../src/core/notices.ts";
import { formatPercent } from "../src/core/numbers.ts";
import { formatDay } from "../src/core/time.ts";
import type { Translate } from "../src/i18n.ts";
import { commandButton } from "./framework/command-button.ts";
import type { Feature, NoticeRenderers } from "./framework/context.ts";

/** An alert's facts as the service stores them: the meetings (with the reasons given) or a meeting's counts. */
const details = z.object({
  meetings: z.array(z.object({ day: z.string().optional(), reason: z.string().nullable() })).optional(),
  day: z.string().optional(),
  present: z.number().optional(),
  expected: z.number().optional(),
  rate: z.number().nullable().optional(),
  threshold: z.number().optional(),
});

/** The facts, or none: a stored row that does not read must not stop the message. */
function factsOf(raw: unknown): z.infer<typeof details> {
  try {
    return details.safeParse(JSON.parse(String(raw))).data ?? {};
  } catch {
    return {};
  }
}

const monthOf = (day: string) => `${day.slice(5, 7)}/${day.slice(0, 4)}`;

/**
 * /canhbao's buttons (handlers/alert-follow-up.ts): "id" is an alert, a visit or a person, by
 * the operation; "arg" a page, a number of days or a template. Here because the alert's own
 * notice carries the button that opens it.
 */
export const followUp = payloadCodec("cb", ["op", "id", "arg"], {
  op: ["page", "open", "assign", "who", "days", "remind", "tpl", "handle", "visit"],
  id: "uuid?",
});
export const openAlertButton = (t: Translate, alertId: string): Action => ({
  label: t("alerts:buttons.open"),
  payload: followUp.encode({ op: "open", id: alertId, arg: "" }),
});

/** The alert's heading, by rule. */
export function alertTitle(params: { rule: string; branchName: string }, t: Translate): string {
  return t([`alerts:title.${String(params.rule).toLowerCase()}`, "alerts:title.generic"], { branch: params.branchName });
}

/** What the alert says, by rule: the member, the meetings and reasons, and what the rule means. */
export function alertLines(params: RenderedParams<"alert.raised">, t: Translate, locale: Locale): string[] {
  const facts = factsOf(params.details);
  const meetings = facts.meetings ?? [];
  const dated = meetings.map((m) => (m.reason ? t("alerts:meetingWithReason", { day: formatDay(m.day ?? ""), reason: m.reason }) : formatDay(m.day ?? "")));
  const months = [...new Set(meetings.map((m) => monthOf(m.day ?? "")))];
  const name = params.name ?? "";
  switch (params.rule) {
    case "A1":
      // Unexcused yet with a reason given: the member's words, and that they were not accepted.
      return [
        t("alerts:rule.a1", {
          name,
          day: meetings[0]?.reason ? t("alerts:meetingReasonRefused", { day: formatDay(meetings[0].day ?? ""), reason: meetings[0].reason }) : (dated[0] ?? ""),
        }),
      ];
    case "A2":
      return [t("alerts:rule.a2", { name, count: meetings.length, meetings: dated.join("; ") })];
    case "A3":
      return [t("alerts:rule.a3", { name, count: months.length, months: months.join(", ") }), t("alerts:meaning.a3")];
    case "A4":
      return [t("alerts:rule.a4", { name, count: months.length, months: months.join(", ") }), t("alerts:meaning.a4")];
    case "A5":
      return [
        t("alerts:rule.a5", {
          day: formatDay(facts.day ?? params.period),
          present: facts.present ?? 0,
          expected: facts.expected ?? 0,
          rate: formatPercent(facts.rate ?? null, locale),
          // Thresholds are whole percents (85 %), set so by the unit.
          threshold: Math.round((facts.threshold ?? 0) * 100),
        }),
      ];
    case "A7":
      return [t("alerts:rule.a7", { branch: params.branchName, quarter: params.period })];
    case "A6":
      // First to the secretary; a day later to the supervisors, who are told the secretary was.
      return [t(params.period === "supervisors" ? "alerts:rule.a6Escalated" : "alerts:rule.a6", { day: formatDay(facts.day ?? "") })];
    default:
      return [];
  }
}

function alertMessage(params: RenderedParams<"alert.raised">, t: Translate, locale: Locale, withdrawn: boolean): OutgoingMessage {
  const heading = withdrawn ? t("alerts:withdrawnTitle", { branch: params.branchName }) : alertTitle(params, t);
  const lines = alertLines(params, t, locale);
  const blocks = [title(heading), text(withdrawn ? t("alerts:withdrawn", { what: lines[0] ?? "" }) : lines.join("\n")), note(t("alerts:onlyWarns"))];
  if (withdrawn) return message(blocks);
  // A7 is answered by scheduling the meeting.
  const rows =
    params.rule === "A7"
      ? [[commandButton(t("meetings:buttons.list"), "lichhop")], [openAlertButton(t, params.alertId)]]
      : [[openAlertButton(t, params.alertId)]];
  return message(blocks, rows);
}

/** The notices this feature renders (see handlers/index.ts for the check that none is missing). */
export const alertNotices = {
  "alert.raised": (params, t, locale) => alertMessage(params, t, locale, false),
  "alert.withdrawn": (params, t, locale) => alertMessage(params, t, locale, true),
} satisfies Partial<NoticeRenderers>;

/** Absentee alerts: what they say when they reach the committee and the supervisors. */
export const alertsFeature: Feature = {
  name: "alerts",
  notices: alertNotices,
};
