import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { type ChartImage, type RateChartInput, renderBranchRateChart, renderMonthlyRateChart } from "../../src/files/chart.ts";

const MONTHS = [0.92, 0.88, 0.8, null, 0.75, 0.86, 0.9, null, 0.7, 0.95, 0.85, 1].map((rate, i) => ({ label: `T${i + 1}`, rate }));
const monthly: RateChartInput = {
  title: "Chi bộ thôn Đông Hưng — năm 2026",
  points: MONTHS,
  threshold: 0.85,
  thresholdLabel: "Ngưỡng 85%",
  xTitle: "Tháng",
  yTitle: "Tỷ lệ dự họp",
};

const NAMES = ["Chi bộ thôn Đông Hưng", "Chi bộ Trường Trung học cơ sở Nguyễn Văn Trỗi xã Tân Hòa", "Chi bộ thôn 1", 'Chi bộ "Ấp <3> & Bến"'];
function branches(count: number): RateChartInput {
  return {
    title: "Huyện ủy Tân Hòa — quý 4/2026",
    // Every fifth branch held no meeting; names repeat, as "Chi bộ thôn 1" does across communes.
    points: Array.from({ length: count }, (_, i) => ({ label: NAMES[i % NAMES.length] ?? "", rate: i % 5 === 4 ? null : 0.5 + (0.5 * i) / count })),
    threshold: 0.85,
    thresholdLabel: "Ngưỡng 85%",
    xTitle: "Chi bộ",
    yTitle: "Tỷ lệ dự họp",
  };
}

/** Width and height from the PNG's IHDR chunk, which follows the 8-byte signature. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(String.fromCharCode(...png.subarray(12, 16))).toBe("IHDR");
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The children of Vega's group for one mark, e.g. "mark-symbol role-mark"; a mark's group holds no nested group. */
function markItems(svg: string, markClass: string, tag: string): string[] {
  const groups = [...svg.matchAll(new RegExp(`<g class="${markClass}[^"]*"[^>]*>(.*?)</g>`, "g"))];
  return groups.flatMap((g) => [...(g[1] ?? "").matchAll(new RegExp(`<${tag}\\b[^>]*>`, "g"))].map((m) => m[0]));
}

function translate(element: string): { x: number; y: number } {
  const match = /transform="translate\(([-\d.e]+),([-\d.e]+)\)/.exec(element);
  if (!match) throw new Error(`no translate in ${element}`);
  return { x: Number(match[1]), y: Number(match[2]) };
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");

/** Axis labels as read by a person: the lines of a wrapped label joined by the space the break took. */
function axisLabels(svg: string): string[] {
  const groups = [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g)];
  return groups.flatMap((g) =>
    [...(g[1] ?? "").matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((t) => {
      const inner = t[1] ?? "";
      const lines = inner.includes("<tspan") ? [...inner.matchAll(/<tspan[^>]*>(.*?)<\/tspan>/g)].map((l) => l[1] ?? "") : [inner];
      return unescapeXml(lines.join(" "));
    }),
  );
}

function expectLegible(image: ChartImage): void {
  const png = pngSize(image.png);
  expect(png).toEqual({ width: image.width, height: image.height });
  expect(png.width).toBeGreaterThanOrEqual(1000);
  const svgWidth = Number(/<svg[^>]* width="([\d.]+)"/.exec(image.svg)?.[1]);
  const scale = png.width / svgWidth;
  const sizes = [...image.svg.matchAll(/font-size="([\d.]+)px"/g)].map((m) => Number(m[1]));
  expect(sizes.length).toBeGreaterThan(0);
  expect(Math.min(...sizes) * scale).toBeGreaterThanOrEqual(24);
}

const countRated = (input: RateChartInput) => input.points.filter((p) => p.rate !== null).length;

describe("renderMonthlyRateChart", () => {
  it("draws one point per month with a rate, a gap for the others, on a 0–100 % axis", async () => {
    const image = await renderMonthlyRateChart(monthly);

    expectLegible(image);
    // Landscape, as a phone shows a picture in the chat.
    expect(pngSize(image.png).height).toBeGreaterThan(600);
    expect(pngSize(image.png).height).toBeLessThan(pngSize(image.png).width);
    const points = markItems(image.svg, "mark-symbol role-mark", "path");
    expect(points).toHaveLength(10);
    // Below the threshold in one colour, at or above it in another: 0.8, 0.75, 0.7 are below.
    const fills = points.map((p) => /fill="([^"]+)"/.exec(p)?.[1]);
    expect(new Set(fills).size).toBe(2);
    expect(Math.min(...[...new Set(fills)].map((f) => fills.filter((x) => x === f).length))).toBe(3);
    expect(axisLabels(image.svg)).toEqual(expect.arrayContaining(["0%", "20%", "100%", ...MONTHS.map((m) => m.label)]));
    // The line is broken into three pieces by the two months without a meeting.
    const line = markItems(image.svg, "mark-line role-mark", "path")[0] ?? "";
    expect(/ d="([^"]*)"/.exec(line)?.[1]?.match(/M/g)).toHaveLength(3);
  });

  it("draws the threshold rule at 85 % of the axis, and its label", async () => {
    const { svg } = await renderMonthlyRateChart(monthly);

    const grid = markItems(svg, "mark-rule role-axis-grid", "line").map((l) => translate(l).y);
    const zero = Math.max(...grid);
    const full = Math.min(...grid);
    const rules = markItems(svg, "mark-rule role-mark", "line");
    expect(rules).toHaveLength(1);
    expect(translate(rules[0] ?? "").y).toBeCloseTo(zero + 0.85 * (full - zero), 0);
    expect(svg).toContain(">Ngưỡng 85%</text>");
  });

  it("writes the Vietnamese texts with every diacritic, in the shipped font", async () => {
    const image = await renderMonthlyRateChart(monthly);

    for (const text of ["Chi bộ thôn Đông Hưng — năm 2026", "Tỷ lệ dự họp", "Tháng", "Ngưỡng 85%"]) expect(image.svg).toContain(`>${text}</text>`);
    expect(image.svg).toContain('font-family="DejaVu Sans"');
    // Were the font not loaded, the texts would be dropped and the picture would equal one without them.
    const withoutText = new Resvg(image.svg.replace(/<text\b.*?<\/text>/g, "")).render().asPng();
    expect(Buffer.from(image.png).equals(withoutText)).toBe(false);
  });

  it("draws the axes and the threshold when no month has a rate", async () => {
    const image = await renderMonthlyRateChart({ ...monthly, points: MONTHS.map((m) => ({ ...m, rate: null })) });

    expectLegible(image);
    expect(markItems(image.svg, "mark-symbol role-mark", "path")).toHaveLength(0);
    expect(markItems(image.svg, "mark-rule role-mark", "line")).toHaveLength(1);
    expect(axisLabels(image.svg)).toEqual(expect.arrayContaining(MONTHS.map((m) => m.label)));
  });

  it("draws a single month", async () => {
    const image = await renderMonthlyRateChart({ ...monthly, points: [{ label: "11/2026", rate: 0.5 }] });

    expectLegible(image);
    expect(markItems(image.svg, "mark-symbol role-mark", "path")).toHaveLength(1);
  });

  it("wraps a long title rather than cutting it", async () => {
    const title = "Chi bộ Trường Trung học cơ sở Nguyễn Văn Trỗi xã Tân Hòa, huyện Đông Hưng — năm 2026";
    const image = await renderMonthlyRateChart({ ...monthly, title });

    expectLegible(image);
    const titleText = /<g class="mark-text role-title-text"[^>]*>(.*?)<\/g>/.exec(image.svg)?.[1] ?? "";
    expect([...titleText.matchAll(/<tspan[^>]*>(.*?)<\/tspan>/g)].map((m) => m[1]).join(" ")).toBe(title);
  });

  it("draws the same picture every time", async () => {
    const [a, b] = await Promise.all([renderMonthlyRateChart(monthly), renderMonthlyRateChart(monthly)]);

    expect(a.svg).toBe(b.svg);
    expect(Buffer.from(a.png).equals(b.png)).toBe(true);
  });
});

describe("renderBranchRateChart", () => {
  it("draws a bar per branch with a rate, every name whole and in order, and the threshold rule", async () => {
    const input = branches(12);
    const image = await renderBranchRateChart(input);

    expectLegible(image);
    expect(markItems(image.svg, "mark-rect role-mark", "path")).toHaveLength(countRated(input));
    expect(axisLabels(image.svg).filter((l) => !l.endsWith("%"))).toEqual(input.points.map((p) => p.label));
    const grid = markItems(image.svg, "mark-rule role-axis-grid", "line").map((l) => translate(l).x);
    const rules = markItems(image.svg, "mark-rule role-mark", "line");
    expect(rules).toHaveLength(1);
    expect(translate(rules[0] ?? "").x).toBeCloseTo(Math.min(...grid) + 0.85 * (Math.max(...grid) - Math.min(...grid)), 0);
    expect(image.svg).toContain(">Ngưỡng 85%</text>");
    expect(image.svg).toContain('>Chi bộ "Ấp &lt;3&gt; &amp; Bến"</text>');
  });

  it("grows with a district's 168 branches", async () => {
    const small = await renderBranchRateChart(branches(12));
    const input = branches(168);
    const large = await renderBranchRateChart(input);

    expectLegible(large);
    expect(large.width).toBe(small.width);
    expect(large.height).toBeGreaterThan(10 * small.height);
    expect(markItems(large.svg, "mark-rect role-mark", "path")).toHaveLength(countRated(input));
    expect(axisLabels(large.svg).filter((l) => !l.endsWith("%"))).toEqual(input.points.map((p) => p.label));
  });

  it("draws the axes and the threshold when no branch has a rate, or there is no branch", async () => {
    for (const points of [branches(3).points.map((p) => ({ ...p, rate: null })), []]) {
      const image = await renderBranchRateChart({ ...branches(0), points });

      expectLegible(image);
      expect(markItems(image.svg, "mark-rect role-mark", "path")).toHaveLength(0);
      expect(markItems(image.svg, "mark-rule role-mark", "line")).toHaveLength(1);
    }
  });
});
