/**
 * Attendance charts of the reports as PNG images for the chat.
 *
 * Vega-Lite describes the chart, Vega lays it out as SVG, resvg rasterises it. The font is
 * the DejaVu Sans shipped in node_modules, never one of the machine's: it covers every
 * Vietnamese diacritic, and the picture is the same on a laptop, in CI and on the server.
 * Every text the chart shows comes from the caller (locales); this module holds no words.
 */
import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export interface RateChartInput {
  /** Title drawn at the top, e.g. "Chi bộ thôn Đông Hưng — năm 2026". */
  title: string;
  /** One point per month/category, in order; rate is a fraction 0..1, null = no meeting (drawn as a gap, no point). */
  points: Array<{ label: string; rate: number | null }>;
  /** The threshold as a fraction (0.85), drawn as a rule across the chart. */
  threshold: number;
  thresholdLabel: string;
  /** Title of the categories' axis (the months; the branches), whichever way it runs. */
  xTitle: string;
  /** Title of the rate's axis, whichever way it runs. */
  yTitle: string;
}

export interface ChartImage {
  png: Uint8Array;
  svg: string;
  width: number;
  height: number;
}

const require = createRequire(import.meta.url);
const FONT_FAMILY = "DejaVu Sans";
const FONT_FILES = [require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"), require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf")];
const RESVG_FONT = { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY };

/** The SVG is laid out at the PNG's size (scale 1), so a font size in the SVG is pixels on the phone. */
const WIDTH = 1080;
/**
 * Smallest text. A phone shows the picture about 340 px wide, a third of its size: 32 px
 * becomes about 10 px there, which an elderly reader can still make out without zooming.
 */
const TEXT_SIZE = 32;
const TITLE_SIZE = 38;
const LINE_HEIGHT = 40;
/** Branch names wrap at this width, leaving the bars more than half the picture. */
const BAR_LABEL_WIDTH = 480;

const COLOR_MET = "#2563a8";
const COLOR_BELOW = "#c0392b";
const COLOR_THRESHOLD = "#555555";
const THRESHOLD_DASH = [10, 6];
const PERCENT_TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];

/** The rate per month of one branch against the threshold line: a line with a point per month that has a rate. */
export async function renderMonthlyRateChart(input: RateChartInput): Promise<ChartImage> {
  const labels = input.points.map((p) => p.label);
  // Turn the month labels only when the widest would not fit its slot (e.g. "11/2026" × 12).
  const widestLabel = Math.max(0, ...labels.map((l) => measureText(l, TEXT_SIZE)));
  const roughPlotWidth = WIDTH - 200;
  const labelAngle = widestLabel <= roughPlotWidth / Math.max(1, labels.length) ? 0 : -45;
  const x = { field: "key", type: "ordinal", scale: { domain: keysOf(input) } } as const;
  const y = { field: "rate", type: "quantitative" as const, scale: { domain: [0, 1] } };

  return render({
    ...frame(input.title),
    height: 640,
    data: { values: rows(input) },
    layer: [
      {
        // The line breaks at a month without a rate: joining across it would invent a trend.
        mark: { type: "line", strokeWidth: 4, color: COLOR_MET },
        encoding: {
          x: { ...x, title: input.xTitle, axis: { labelExpr: lookup(labels), labelAngle } },
          y: { ...y, title: input.yTitle, axis: { format: ".0%", values: PERCENT_TICKS } },
        },
      },
      {
        mark: { type: "point", filled: true, size: 260, opacity: 1 },
        transform: [{ filter: "datum.rate != null" }],
        encoding: { x, y, color: belowThreshold(input.threshold) },
      },
      {
        data: { values: [{}] },
        mark: { type: "rule", strokeWidth: 3, strokeDash: THRESHOLD_DASH, color: COLOR_THRESHOLD },
        encoding: { y: { datum: input.threshold, type: "quantitative" } },
      },
      {
        // Above the rule at its right end, clear of the axis labels on the left.
        data: { values: [{}] },
        mark: { type: "text", align: "right", baseline: "bottom", x: "width", dy: -6, fontSize: TEXT_SIZE, color: COLOR_THRESHOLD },
        encoding: { y: { datum: input.threshold, type: "quantitative" }, text: { value: input.thresholdLabel } },
      },
    ],
  });
}

/**
 * Branches of an org unit side by side: horizontal bars, one per point, in the given order
 * (the caller sorts lowest first), with the threshold rule. Long branch names wrap instead of
 * being cut; the height grows with the number of branches (a district has 168). No value is
 * written beside a bar: a rate is written with one rounding in the reader's locale
 * (core/numbers.ts), so a caller who wants it shows it in the label.
 */
export async function renderBranchRateChart(input: RateChartInput): Promise<ChartImage> {
  const labels = input.points.map((p) => wrap(p.label, BAR_LABEL_WIDTH, TEXT_SIZE));
  const lines = Math.max(1, ...labels.map((l) => l.length));
  const rowHeight = lines * LINE_HEIGHT + 12;
  // A row is keyed by its index, not its name: two communes may each have a "Chi bộ thôn 1".
  const y = { field: "key", type: "ordinal", scale: { domain: keysOf(input), paddingInner: 0.2 } } as const;
  const x = { field: "rate", type: "quantitative" as const, scale: { domain: [0, 1] } };
  // Vega puts a multi-line label's first line on the tick; lifting it by half the extra lines centres the block.
  const labelOffset = { expr: lookup(labels.map((l) => ((1 - l.length) * LINE_HEIGHT) / 2)) };

  return render({
    ...frame(input.title),
    // A number rather than a step per row: Vega-Lite would otherwise drop the fit to 1200 px wide.
    height: Math.max(1, input.points.length) * rowHeight,
    data: { values: rows(input) },
    layer: [
      {
        mark: { type: "bar" },
        transform: [{ filter: "datum.rate != null" }],
        encoding: {
          y: { ...y, title: input.xTitle, axis: { labelExpr: lookup(labels), labelOffset } },
          // On top: with 168 rows the bottom is a long scroll away.
          x: { ...x, title: input.yTitle, axis: { orient: "top", format: ".0%", values: PERCENT_TICKS } },
          color: belowThreshold(input.threshold),
        },
      },
      {
        // Named in a legend rather than beside the rule: the axis labels at the top leave no room there.
        data: { values: [{}] },
        mark: { type: "rule", strokeWidth: 3, color: COLOR_THRESHOLD },
        encoding: {
          x: { datum: input.threshold, type: "quantitative" },
          strokeDash: {
            datum: input.thresholdLabel,
            scale: { range: [THRESHOLD_DASH] },
            legend: { title: null, orient: "top", symbolStrokeWidth: 3, symbolSize: 600 },
          },
        },
      },
    ],
  });
}

function keysOf(input: RateChartInput): number[] {
  return input.points.map((_, key) => key);
}

function rows(input: RateChartInput): Array<{ key: number; rate: number | null }> {
  return input.points.map((p, key) => ({ key, rate: p.rate }));
}

/** A Vega expression mapping an axis value (a row key) to its entry; JSON is valid expression syntax and escapes the text. */
function lookup(values: unknown[]): string {
  return `${JSON.stringify(values)}[datum.value]`;
}

function belowThreshold(threshold: number) {
  return { condition: { test: `datum.rate < ${threshold}`, value: COLOR_BELOW }, value: COLOR_MET };
}

/** What both charts share: the width, the title, and one font named everywhere so Vega measures what resvg draws. */
function frame(title: string) {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    width: WIDTH,
    autosize: { type: "fit-x", contains: "padding" },
    padding: 16,
    title: { text: wrap(title, WIDTH - 40, TITLE_SIZE, "bold"), fontSize: TITLE_SIZE, lineHeight: TITLE_SIZE + 8, frame: "bounds" },
    background: "white",
    config: {
      font: FONT_FAMILY,
      // Descriptions for screen readers serve interactive charts; a PNG only grows from them.
      aria: false,
      view: { stroke: null },
      axis: {
        labelFontSize: TEXT_SIZE,
        titleFontSize: TEXT_SIZE,
        labelLimit: 0,
        titleLimit: 0,
        labelLineHeight: LINE_HEIGHT,
        titlePadding: 12,
        // Vega caps an axis at 200 px by default, and the branch axis's title then lands on long names.
        maxExtent: WIDTH,
      },
      legend: { labelFontSize: TEXT_SIZE, labelLimit: 0 },
    },
  } as const;
}

/**
 * Words into lines no wider than `max` pixels; a longer word keeps a line of its own. Only the
 * space at a break is consumed, so the label reads exactly as the caller wrote it.
 */
function wrap(text: string, max: number, size: number, weight?: string): string[] {
  const lines: string[] = [];
  let line: string | null = null;
  for (const word of text.split(" ")) {
    if (line?.trim() && measureText(`${line} ${word}`, size, weight) > max) {
      lines.push(line);
      line = word;
    } else {
      line = line === null ? word : `${line} ${word}`;
    }
  }
  return [...lines, line ?? ""];
}

/**
 * Vega measures text with node-canvas when that is installed and otherwise guesses 0.8 em a
 * character, far wider than DejaVu: long branch names then squeeze the bars, and an axis title
 * can land on its labels. Measuring with resvg and the very font files that draw the PNG makes
 * the layout exact. Vega supports replacing `textMetrics.width` (vl-convert does the same); its
 * types do not declare it, hence the cast.
 */
const { textMetrics } = vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } };
interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}
textMetrics.width = (item, text) => measureText(String(text ?? ""), item.fontSize ?? 11, item.fontWeight);

const measured = new Map<string, number>();

function measureText(text: string, size: number, weight?: string | number): number {
  const line = text.trim();
  const bold = weight === "bold" || Number(weight) >= 600;
  const key = `${size} ${bold} ${line}`;
  let width = measured.get(key);
  if (width === undefined) {
    const escaped = line.replace(/&/g, "&amp;").replace(/</g, "&lt;");
    const svg = `<svg xmlns="http://www.w3.org/2000/svg"><text font-family="${FONT_FAMILY}" font-size="${size}" font-weight="${bold ? "bold" : "normal"}">${escaped}</text></svg>`;
    // The box is the ink, a pixel or two inside the advance Vega expects from a canvas.
    width = line ? Math.ceil(new Resvg(svg, { font: RESVG_FONT }).getBBox()?.width ?? 0) + 2 : 0;
    if (measured.size >= 10_000) measured.clear(); // branch names are finite; this only bounds a leak
    measured.set(key, width);
  }
  return width;
}

async function render(spec: TopLevelSpec): Promise<ChartImage> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const image = new Resvg(svg, { font: RESVG_FONT }).render();
    return { png: new Uint8Array(image.asPng()), svg, width: image.width, height: image.height };
  } finally {
    view.finalize();
  }
}
