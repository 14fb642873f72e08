import type { Locale } from "../src/core/locale.ts";
import { list, message, navigation, note, text, title, type Action, type OutgoingMessage } from "../src/core/message.ts";
import { formatPercent } from "../src/core/numbers.ts";
import { payloadCodec } from "../src/core/payload.ts";
import { periodOf, previousPeriod } from "../src/core/reports/rules.ts";
import type { BranchReport, OrgReport, ReportPeriod } from "../src/core/reports/types.ts";
import { formatDay, localDay } from "../src/core/time.ts";
import { branchReportCsv, branchReportXlsx, orgReportXlsx, periodName } from "../src/files/attendance-report.ts";
import { renderBranchRateChart, renderMonthlyRateChart, type ChartImage } from "../src/files/chart.ts";
import type { Translate } from "../src/i18n.ts";
import { chooseBranch } from "./framework/branch-choice.ts";
import { commandButton } from "./framework/command-button.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";

/**
 * /baocao: a branch's or an org unit's attendance for a month, quarter or year — the figures
 * in the chat, the rate per month (or per branch) as a picture, and the files to keep.
 * "what" is a branch or an org unit; "period" a key ("2026-11", "2026-Q4", "2026"), empty
 * when the period is still to be chosen.
 */
const report = payloadCodec("rep", ["op", "id", "period"], { op: ["branch", "unit", "bxlsx", "bcsv", "uxlsx"], id: "uuid" });

/** Lines of a ranked list or of members shown in the chat; the files hold them all. */
const SHOWN = 10;
/** Branches drawn in a unit's chart: the ones needing attention. A photo must stay under 10,000 px. */
const CHARTED_BRANCHES = 25;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

interface Target {
  kind: "branch" | "unit";
  id: string;
  name: string;
}

/** What the person may report on: the org units they supervise, and their own branches. */
async function targetsOf(ctx: HandlerContext): Promise<Target[]> {
  const units = ctx.actor.supervision.filter((s) => s.orgUnitId).map((s) => ({ kind: "unit" as const, id: s.orgUnitId!, name: s.name }));
  const officer = new Set(ctx.actor.memberships.filter((m) => m.role === "secretary" || m.role === "deputy").map((m) => m.branchId));
  const direct = new Set(ctx.actor.supervision.filter((s) => s.branchId).map((s) => s.branchId!));
  const branches = (await ctx.core.access.branchesFor(ctx.actor, "reports.view"))
    .filter((b) => officer.has(b.id) || direct.has(b.id))
    .map((b) => ({ kind: "branch" as const, id: b.id, name: b.name }));
  return [...units, ...branches];
}

/** The periods offered: this and the last month, quarter and year, named the reader's way. */
function periodChoices(ctx: HandlerContext, target: Target, today: string): Action[][] {
  const month = periodOf("month", today);
  const quarter = periodOf("quarter", today);
  const year = periodOf("year", today);
  const button = (period: ReportPeriod): Action => ({
    label: periodName(period, ctx.t),
    payload: report.encode({ op: target.kind, id: target.id, period: period.key }),
  });
  return [
    [button(month), button(previousPeriod(month))],
    [button(quarter), button(previousPeriod(quarter))],
    [button(year), button(previousPeriod(year))],
  ];
}

async function askPeriod(ctx: HandlerContext, target: Target): Promise<void> {
  const today = localDay(ctx.core.clock.now(), ctx.core.timezone);
  await ctx.reply(message([title(ctx.t("report:title", { name: target.name })), text(ctx.t("report:choosePeriod"))], periodChoices(ctx, target, today)));
}

async function start(ctx: HandlerContext): Promise<void> {
  const targets = await targetsOf(ctx);
  if (targets.length === 0) return void (await ctx.reply(message([text(ctx.t("report:notForYou"))])));
  const chosen = ctx.branchId ? targets.find((x) => x.id === ctx.branchId) : targets.length === 1 ? targets[0] : undefined;
  if (chosen) return askPeriod(ctx, chosen);
  const rows = targets.map((x) => [
    { label: x.kind === "unit" ? ctx.t("report:wholeUnit", { name: x.name }) : x.name, payload: report.encode({ op: x.kind, id: x.id, period: "" }) },
  ]);
  await ctx.reply(message([text(ctx.t("report:chooseTarget"))], rows));
}

function missesText(t: Translate, misses: string[], limit: string): string {
  return misses.map((m) => t(`report:misses.${m === "excused_run" ? "excusedRun" : m}`, { threshold: limit })).join("; ");
}

/** The branch's figures as the chat shows them: totals, each meeting, who needs attention. */
export function branchReportMessage(r: BranchReport, t: Translate, locale: Locale): OutgoingMessage {
  const limit = formatPercent(r.threshold, locale);
  const blocks = [title(t("report:branchTitle", { branch: r.branchName, period: periodName(r.period, t) }))];
  if (r.meetings.length === 0) blocks.push(text(t("report:noMeetings")));
  else {
    blocks.push(
      text(
        t("report:totals", {
          meetings: r.totals.meetings,
          present: r.totals.present,
          expected: r.totals.expected,
          rate: formatPercent(r.totals.rate, locale),
          threshold: limit,
        }),
      ),
    );
    if (r.totals.withoutRollCall) blocks.push(text(t("report:withoutRollCall", { count: r.totals.withoutRollCall })));
    blocks.push(
      list(
        r.meetings.map((m) => {
          const head = t("report:meetingHead", { day: formatDay(m.day), kind: t(`reportfiles:kinds.${m.kind}`) });
          if (!m.rollCallClosed) return `${head}: ${t("report:rollCallOpen")}`;
          const counts = t("report:meetingCounts", { present: m.present, expected: m.expected, rate: formatPercent(m.rate, locale) });
          const criteria =
            m.criteriaMet === null
              ? ""
              : m.criteriaMet
                ? ` — ${t("report:criteriaMet")}`
                : ` — ${t("report:criteriaMissed", { why: missesText(t, m.misses, limit) })}`;
          return `${head}: ${counts}${criteria}`;
        }),
      ),
    );
  }
  // The members to talk to: any unexcused absence, or a rate under the threshold.
  const attention = r.members
    .filter((m) => m.unexcused > 0 || (m.rate !== null && m.rate < r.threshold))
    .sort((a, b) => b.unexcused - a.unexcused || (a.rate ?? 0) - (b.rate ?? 0) || a.name.localeCompare(b.name, "vi"));
  if (attention.length) {
    blocks.push(text(t("report:attention")));
    blocks.push(
      list(
        attention
          .slice(0, SHOWN)
          .map((m) => t("report:memberLine", { name: m.name, present: m.present, expected: m.expected, excused: m.excused, unexcused: m.unexcused })),
      ),
    );
    if (attention.length > SHOWN) blocks.push(note(t("report:more", { count: attention.length - SHOWN })));
  }
  blocks.push(text(r.openAlerts.length ? t("report:openAlerts", { count: r.openAlerts.length }) : t("report:noOpenAlerts")));
  const rows: Action[][] = [
    [
      { label: t("report:buttons.xlsx"), payload: report.encode({ op: "bxlsx", id: r.branchId, period: r.period.key }) },
      { label: t("report:buttons.csv"), payload: report.encode({ op: "bcsv", id: r.branchId, period: r.period.key }) },
    ],
  ];
  if (r.openAlerts.length) rows.push([commandButton(t("report:buttons.alerts"), "canhbao")]);
  rows.push([navigation({ label: t("report:buttons.otherPeriod"), payload: report.encode({ op: "branch", id: r.branchId, period: "" }) })]);
  return message(blocks, rows);
}

/** The unit's figures: totals and the branches needing attention first, each one a button away. */
export function orgReportMessage(r: OrgReport, t: Translate, locale: Locale): OutgoingMessage {
  const blocks = [title(t("report:unitTitle", { unit: r.orgUnitName, period: periodName(r.period, t) }))];
  if (r.ranked.length === 0) return message([...blocks, text(t("report:noBranches"))]);
  blocks.push(
    text(
      t("report:unitTotals", {
        branches: r.totals.branches,
        meetings: r.totals.meetings,
        present: r.totals.present,
        expected: r.totals.expected,
        rate: formatPercent(r.totals.rate, locale),
        threshold: formatPercent(r.threshold, locale),
        alerts: r.totals.openAlerts,
        withoutRollCall: r.totals.withoutRollCall,
      }),
    ),
    text(t("report:ranked")),
    list(
      r.ranked.slice(0, SHOWN).map((b, i) =>
        t("report:rankLine", {
          n: i + 1,
          branch: b.branchName,
          rate: formatPercent(b.rate, locale),
          alerts: b.openAlerts,
          withoutRollCall: b.withoutRollCall,
        }),
      ),
    ),
  );
  if (r.ranked.length > SHOWN) blocks.push(note(t("report:moreBranches", { count: r.ranked.length - SHOWN })));
  const rows: Action[][] = r.ranked
    .slice(0, SHOWN)
    .map((b, i) => [{ label: `${i + 1}. ${b.branchName}`, payload: report.encode({ op: "branch", id: b.branchId, period: r.period.key }) }]);
  rows.push([{ label: t("report:buttons.xlsx"), payload: report.encode({ op: "uxlsx", id: r.orgUnitId, period: r.period.key }) }]);
  rows.push([navigation({ label: t("report:buttons.otherPeriod"), payload: report.encode({ op: "unit", id: r.orgUnitId, period: "" }) })]);
  return message(blocks, rows);
}

/** The chart as a photo, its alt text (every value it draws) in the caption. */
function chartMessage(image: ChartImage, filename: string, caption: string): OutgoingMessage {
  return { blocks: [], attachment: { filename, mimeType: "image/png", bytes: image.png, caption } };
}

async function branchChart(r: BranchReport, t: Translate, locale: Locale): Promise<OutgoingMessage | undefined> {
  if (!r.months.some((m) => m.rate !== null)) return undefined;
  const label = (month: string) => t("report:chart.month", { month: Number(month.slice(5, 7)) });
  const limit = formatPercent(r.threshold, locale);
  const image = await renderMonthlyRateChart({
    title: t("report:chart.title", { name: r.branchName, period: periodName(r.period, t) }),
    points: r.months.map((m) => ({ label: label(m.month), rate: m.rate })),
    threshold: r.threshold,
    thresholdLabel: t("report:chart.threshold", { threshold: limit }),
    xTitle: t("report:chart.months"),
    yTitle: t("report:chart.rate"),
  });
  const values = r.months.map((m) => `${label(m.month)}: ${m.rate === null ? t("report:chart.none") : formatPercent(m.rate, locale)}`).join("; ");
  return chartMessage(image, `ty-le-du-hop-${r.period.key}.png`, t("report:chart.alt", { name: r.branchName, values, threshold: limit }));
}

async function unitChart(r: OrgReport, t: Translate, locale: Locale): Promise<OutgoingMessage | undefined> {
  const drawn = r.ranked.slice(0, CHARTED_BRANCHES);
  if (!drawn.some((b) => b.rate !== null)) return undefined;
  const limit = formatPercent(r.threshold, locale);
  const image = await renderBranchRateChart({
    title: t("report:chart.unitTitle", { unit: r.orgUnitName, period: periodName(r.period, t) }),
    points: drawn.map((b) => ({ label: b.branchName, rate: b.rate })),
    threshold: r.threshold,
    thresholdLabel: t("report:chart.threshold", { threshold: limit }),
    xTitle: t("report:chart.branches"),
    yTitle: t("report:chart.rate"),
  });
  const values = drawn.map((b) => `${b.branchName}: ${b.rate === null ? t("report:chart.none") : formatPercent(b.rate, locale)}`).join("; ");
  const key = r.ranked.length > drawn.length ? "report:chart.altUnitLowest" : "report:chart.altUnit";
  return chartMessage(image, `ty-le-du-hop-cac-chi-bo-${r.period.key}.png`, t(key, { unit: r.orgUnitName, count: drawn.length, values, threshold: limit }));
}

const fileBase = (period: ReportPeriod) => `bao-cao-du-hop-${period.key}`;

async function showBranch(ctx: HandlerContext, branchId: string, periodKey: string, file?: "xlsx" | "csv"): Promise<void> {
  const { t, locale } = ctx;
  const result = await ctx.core.reports.branchReport(ctx.actor, branchId, periodKey);
  if (!result.ok) return void (await ctx.reply(message([text(t(result.reason === "forbidden" ? "common:forbidden" : "fallback:staleButton"))])));
  const r = result.report;
  const caption = t("report:fileCaption", { name: r.branchName, period: periodName(r.period, t), day: formatDay(localDay(ctx.core.clock.now(), r.timezone)) });
  if (file === "xlsx") {
    const bytes = await branchReportXlsx(r, t, locale);
    return void (await ctx.reply({ blocks: [], attachment: { filename: `${fileBase(r.period)}.xlsx`, mimeType: XLSX, bytes, caption } }));
  }
  if (file === "csv") {
    return void (await ctx.reply({
      blocks: [],
      attachment: { filename: `${fileBase(r.period)}.csv`, mimeType: "text/csv", bytes: branchReportCsv(r, t, locale), caption },
    }));
  }
  await ctx.reply(branchReportMessage(r, t, locale));
  const chart = await branchChart(r, t, locale);
  if (chart) await ctx.reply(chart);
}

async function showUnit(ctx: HandlerContext, orgUnitId: string, periodKey: string, file?: "xlsx"): Promise<void> {
  const { t, locale } = ctx;
  const result = await ctx.core.reports.orgReport(ctx.actor, orgUnitId, periodKey);
  if (!result.ok) return void (await ctx.reply(message([text(t(result.reason === "forbidden" ? "common:forbidden" : "fallback:staleButton"))])));
  const r = result.report;
  if (file === "xlsx") {
    const caption = t("report:fileCaption", {
      name: r.orgUnitName,
      period: periodName(r.period, t),
      day: formatDay(localDay(ctx.core.clock.now(), ctx.core.timezone)),
    });
    const bytes = await orgReportXlsx(r, t, locale);
    return void (await ctx.reply({ blocks: [], attachment: { filename: `${fileBase(r.period)}-cac-chi-bo.xlsx`, mimeType: XLSX, bytes, caption } }));
  }
  await ctx.reply(orgReportMessage(r, t, locale));
  const chart = await unitChart(r, t, locale);
  if (chart) await ctx.reply(chart);
}

export const reportsFeature: Feature = {
  name: "reports",
  commands: { baocao: start },
  aliases: { baocao: ["báo cáo", "bao cao", "report"] },
  actions: {
    async [report.prefix](ctx) {
      const p = report.decode(ctx.input);
      if (!p) return void (await ctx.reply(message([text(ctx.t("fallback:staleButton"))])));
      if ((p.op === "branch" || p.op === "unit") && p.period === "") {
        // A branch reached through its unit's report is named from the whole list the person may see.
        const names =
          p.op === "unit"
            ? ctx.actor.supervision.map((s) => ({ id: s.orgUnitId, name: s.name }))
            : await ctx.core.access.branchesFor(ctx.actor, "reports.view");
        const name = names.find((x) => x.id === p.id)?.name;
        if (!name) return void (await ctx.reply(message([text(ctx.t("common:forbidden"))])));
        return askPeriod(ctx, { kind: p.op, id: p.id, name });
      }
      switch (p.op) {
        case "branch":
          return showBranch(ctx, p.id, p.period);
        case "bxlsx":
          return showBranch(ctx, p.id, p.period, "xlsx");
        case "bcsv":
          return showBranch(ctx, p.id, p.period, "csv");
        case "unit":
          return showUnit(ctx, p.id, p.period);
        case "uxlsx":
          return showUnit(ctx, p.id, p.period, "xlsx");
      }
    },
  },
};

/** Meetings shown in a supervisor's roll-call view, the latest first; the report holds the rest. */
const RESULTS_SHOWN = 6;

/**
 * /diemdanh for a supervisor: the roll call of each recent meeting of a branch they follow,
 * read-only — counts, who was absent and why, and whether HD 12's criteria were met.
 */
export async function rollCallResults(ctx: HandlerContext): Promise<void> {
  const { t, locale } = ctx;
  const branchId = await chooseBranch(ctx, "reports.view", "diemdanh");
  if (!branchId) return;
  const result = await ctx.core.reports.branchReport(ctx.actor, branchId, periodOf("year", localDay(ctx.core.clock.now(), ctx.core.timezone)).key);
  if (!result.ok) return void (await ctx.reply(message([text(t("common:forbidden"))])));
  const r = result.report;
  const limit = formatPercent(r.threshold, locale);
  const blocks = [title(t("report:results.title", { branch: r.branchName }))];
  const shown = [...r.meetings].reverse().slice(0, RESULTS_SHOWN);
  if (shown.length === 0) blocks.push(text(t("report:noMeetings")));
  for (const m of shown) {
    const head = t("report:meetingHead", { day: formatDay(m.day), kind: t(`reportfiles:kinds.${m.kind}`) });
    if (!m.rollCallClosed) {
      blocks.push(text(`${head}: ${t("report:rollCallOpen")}`));
      continue;
    }
    const lines = [t("report:meetingCounts", { present: m.present, expected: m.expected, rate: formatPercent(m.rate, locale) })];
    for (const outcome of ["excused", "unexcused", "undecided"] as const) {
      const who = m.absentees.filter((a) => a.outcome === outcome).map((a) => (a.reason ? `${a.name} (${a.reason})` : a.name));
      if (who.length) lines.push(t(`report:results.${outcome}`, { names: who.join(", ") }));
    }
    if (m.criteriaMet !== null) lines.push(m.criteriaMet ? t("report:criteriaMet") : t("report:criteriaMissed", { why: missesText(t, m.misses, limit) }));
    blocks.push(text(`${head}:`), list(lines));
  }
  if (r.meetings.length > shown.length) blocks.push(note(t("report:results.more")));
  blocks.push(note(t("report:results.readOnly")));
  await ctx.reply(message(blocks, [[commandButton(t("report:buttons.report"), "baocao")]]));
}
