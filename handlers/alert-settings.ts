import { ALERT_RULES, type AlertRule, type UnitAlertSettings } from "../src/core/alerts/settings.ts";
import type { UnitSettingsView } from "../src/core/alerts/unit-settings.ts";
import { list, message, navigation, note, text, title, type Action, type OutgoingMessage } from "../src/core/message.ts";
import { payloadCodec } from "../src/core/payload.ts";
import type { BranchRole } from "../src/core/roles.ts";
import type { Translate } from "../src/i18n.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";

/**
 * An org unit's alert settings, for its supervisors (reached from /canhbao): the year the
 * rules count in, the thresholds, and who hears of each rule. Every value is a choice among
 * a few sensible ones, so nothing has to be typed and nothing can be mistyped. "arg" is the
 * value chosen, or the rule whose recipients change.
 */
export const settingsPayload = payloadCodec("cfg", ["op", "unit", "arg"], {
  op: ["show", "window", "rate", "run", "months", "roles", "sup"],
  unit: "uuid",
});

const RATES = [80, 85, 90, 95];
const RUNS = [2, 3, 4];
const MONTHS = [2, 3, 4];
/** The recipients a rule may have among the branch's officers, from the widest; pressing moves to the next. */
const ROLE_SETS: BranchRole[][] = [["secretary", "deputy", "committee"], ["secretary", "deputy"], ["secretary"], []];
const roleSetIndex = (roles: BranchRole[]) =>
  Math.max(
    0,
    ROLE_SETS.findIndex((set) => set.length === roles.length && set.every((r) => roles.includes(r))),
  );

const button = (label: string, op: Parameters<typeof settingsPayload.encode>[0]["op"], unit: string, arg: string): Action => ({
  label,
  payload: settingsPayload.encode({ op, unit, arg }),
});

function settingsMessage(view: UnitSettingsView, t: Translate): OutgoingMessage {
  const { effective: e, orgUnitId: unit } = view;
  const who = (rule: AlertRule) => {
    const r = e.recipients[rule];
    const parts = [r.roles.length ? t(`alertsettings:roleSets.s${roleSetIndex(r.roles)}`) : "", r.supervisors ? t("alertsettings:supervisors") : ""].filter(
      Boolean,
    );
    return `${rule} ${t(`alerts:short.${rule.toLowerCase()}`)}: ${parts.length ? parts.join(", ") : t("alertsettings:nobody")}`;
  };
  const blocks = [
    title(t("alertsettings:title", { unit: view.orgUnitName })),
    list([
      t(`alertsettings:window.${e.window}`),
      t("alertsettings:rate", { rate: Math.round(e.thresholds.rate * 100) }),
      t("alertsettings:run", { count: e.thresholds.consecutiveExcused }),
      t("alertsettings:months", { count: e.thresholds.unexcusedMonths, early: e.thresholds.earlyWarningMonths }),
    ]),
    text(t("alertsettings:recipients")),
    list(ALERT_RULES.map(who)),
    note(t("alertsettings:hint")),
  ];
  const rows: Action[][] = [
    [
      button(
        t(`alertsettings:buttons.window.${e.window === "calendar" ? "rolling" : "calendar"}`),
        "window",
        unit,
        e.window === "calendar" ? "rolling" : "calendar",
      ),
    ],
    RATES.map((rate) => button(`${rate === Math.round(e.thresholds.rate * 100) ? "✓ " : ""}${rate}%`, "rate", unit, String(rate))),
    RUNS.map((n) => button(`${n === e.thresholds.consecutiveExcused ? "✓ " : ""}${t("alertsettings:buttons.run", { count: n })}`, "run", unit, String(n))),
    MONTHS.map((n) => button(`${n === e.thresholds.unexcusedMonths ? "✓ " : ""}${t("alertsettings:buttons.months", { count: n })}`, "months", unit, String(n))),
  ];
  for (const rule of ALERT_RULES) {
    const r = e.recipients[rule];
    rows.push([
      button(t("alertsettings:buttons.roles", { rule }), "roles", unit, rule),
      button(t(r.supervisors ? "alertsettings:buttons.supOff" : "alertsettings:buttons.supOn", { rule }), "sup", unit, rule),
    ]);
  }
  return message(blocks, rows);
}

/** The change a press asks for, on top of what the unit set itself. */
function patchOf(op: string, arg: string, view: UnitSettingsView): UnitAlertSettings | undefined {
  const n = Number(arg);
  switch (op) {
    case "window":
      return arg === "calendar" || arg === "rolling" ? { window: arg } : undefined;
    case "rate":
      return RATES.includes(n) ? { rate: n } : undefined;
    case "run":
      return RUNS.includes(n) ? { consecutiveExcused: n } : undefined;
    case "months":
      // The early warning comes a month before.
      return MONTHS.includes(n) ? { unexcusedMonths: n, earlyWarningMonths: n - 1 } : undefined;
    case "roles":
    case "sup": {
      if (!(ALERT_RULES as readonly string[]).includes(arg)) return undefined;
      const rule = arg as AlertRule;
      const current = view.effective.recipients[rule];
      const change = op === "roles" ? { roles: ROLE_SETS[(roleSetIndex(current.roles) + 1) % ROLE_SETS.length]! } : { supervisors: !current.supervisors };
      return { recipients: { ...view.own.recipients, [rule]: { ...view.own.recipients?.[rule], ...change } } };
    }
    default:
      return undefined;
  }
}

/** The units whose settings the person may change: those they supervise themselves. */
export const configurableUnits = (ctx: HandlerContext) => ctx.actor.supervision.filter((s) => s.orgUnitId).map((s) => ({ id: s.orgUnitId!, name: s.name }));

export const settingsButton = (t: Translate, unitId: string, name: string): Action =>
  navigation({ label: t("alertsettings:open", { unit: name }), payload: settingsPayload.encode({ op: "show", unit: unitId, arg: "" }) });

export const alertSettingsFeature: Feature = {
  name: "alertSettings",
  actions: {
    async [settingsPayload.prefix](ctx) {
      const p = settingsPayload.decode(ctx.input);
      if (!p) return void (await ctx.reply(message([text(ctx.t("fallback:staleButton"))])));
      const shown = await ctx.core.alerts.unitSettings(ctx.actor, p.unit);
      if (!shown.ok) return void (await ctx.reply(message([text(ctx.t("common:forbidden"))])));
      if (p.op === "show") return ctx.reply(settingsMessage(shown.view, ctx.t));
      const patch = patchOf(p.op, p.arg, shown.view);
      if (!patch) return void (await ctx.reply(message([text(ctx.t("fallback:staleButton"))])));
      const changed = await ctx.core.alerts.setUnitSettings(ctx.actor, p.unit, patch);
      if (!changed.ok) return void (await ctx.reply(message([text(ctx.t(changed.reason === "forbidden" ? "common:forbidden" : "fallback:staleButton"))])));
      await ctx.edit(settingsMessage(changed.view, ctx.t));
    },
  },
};
