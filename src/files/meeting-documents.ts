/**
 * The minutes (biên bản) and the resolution (nghị quyết) of a branch meeting as DOCX, laid out
 * like the templates branches already file (header "ĐẢNG CỘNG SẢN VIỆT NAM", attendance block,
 * content, vote, signatures), so a secretary can print them, sign them and hand them up as
 * they are, or touch them up in Word. Every word comes from the "documents" namespace; every
 * date is read in the branch's timezone.
 */
import {
  AlignmentType,
  Document,
  Packer,
  Paragraph,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  convertMillimetersToTwip,
  sectionPageSizeDefaults,
} from "docx";
import type { Locale } from "../core/locale.ts";
import { resolutionCode } from "../core/resolutions/rules.ts";
import { formatPercent } from "../core/numbers.ts";
import type { MeetingDocumentData, ResolutionContent, TaskDraft } from "../core/resolutions/types.ts";
import { formatDate, localDay } from "../core/time.ts";
import type { Translate } from "../i18n.ts";

export async function writeMinutesDocx(data: MeetingDocumentData, t: Translate, locale: Locale): Promise<Uint8Array> {
  const resolution = data.resolution;
  const children: Block[] = [
    ...header(data, t),
    ...title(t("documents:minutes.title"), meetingSubtitle(data, t)),
    numbered(1, t("documents:minutes.time", { time: clockText(data, t, locale) })),
    numbered(2, t("documents:minutes.place", { place: data.place ?? DOTS })),
    numbered(3, t("documents:minutes.attendance")),
    ...attendance(data, t, locale),
    numbered(4, t("documents:minutes.chair", { name: data.chairName ?? DOTS })),
    line(t("documents:minutes.minuteTaker", { name: data.minuteTakerName ?? DOTS }), { indent: true }),
    numbered(5, t("documents:minutes.agenda")),
    ...textParagraphs(data.agenda),
  ];
  if (resolution) {
    children.push(numbered(6, t("documents:minutes.resolution")), ...minutesContent(resolution.content, t));
    children.push(numbered(7, t("documents:minutes.vote")), ...voteBlock(resolution, t, locale));
  }
  // The end time is not recorded anywhere: the secretary writes it in by hand.
  children.push(line(t("documents:minutes.ended"), { indent: true }), blank());
  children.push(
    twoColumns(
      signature([t("documents:minutes.minuteTakerSign")], t("documents:signHint"), data.minuteTakerName),
      signature([t("documents:minutes.chairSign")], t("documents:signHint"), data.chairName),
    ),
  );
  return pack(t("documents:minutes.title"), children);
}

/** Throws when the meeting has no resolution: callers offer this file only when there is one. */
export async function writeResolutionDocx(data: MeetingDocumentData, t: Translate, locale: Locale): Promise<Uint8Array> {
  const resolution = data.resolution;
  if (!resolution) throw new Error("writeResolutionDocx: the meeting has no resolution");
  const { content } = resolution;
  const { month, year } = localDate(data);

  const sections: Array<{ heading: string; body: Block[] }> = [];
  if (content.format === "text") {
    sections.push({ heading: t("documents:resolution.sections.content"), body: textParagraphs(content.body) });
    if (content.tasks.length > 0) sections.push({ heading: t("documents:resolution.sections.tasks"), body: [tasksTable(content.tasks, t)] });
  } else {
    if (content.results) sections.push({ heading: t("documents:resolution.sections.results"), body: textParagraphs(content.results) });
    sections.push({ heading: t("documents:resolution.sections.tasks"), body: tasksBody(content.tasks, t) });
    if (content.body) sections.push({ heading: t("documents:resolution.sections.otherNotes"), body: textParagraphs(content.body) });
  }
  sections.push({ heading: t("documents:resolution.sections.implementation"), body: [line(t("documents:resolution.implementation"), { indent: true })] });

  const subtitles = [t(`documents:resolution.subtitle.${data.meetingKind}`, { branch: branchShortName(data.branchName), month, year })];
  if (data.thematicTopic) subtitles.push(t("documents:meeting.topic", { topic: data.thematicTopic }));
  const children: Block[] = [
    ...header(data, t, t("documents:resolution.number", { code: resolutionCode(resolution.number) })),
    ...title(t("documents:resolution.title"), subtitles),
    line(t("documents:resolution.basedOnCharter"), { indent: true, italics: true }),
    line(t("documents:resolution.basedOnMeeting", { date: formatDate(data.startsAt, data.timezone, locale) }), { indent: true, italics: true }),
    ...voteBlock(resolution, t, locale),
    line(t("documents:resolution.resolves"), { bold: true, align: AlignmentType.CENTER, before: 120 }),
    ...sections.flatMap((section, i) => [line(`${ROMAN[i] ?? i + 1}. ${section.heading}`, { bold: true, before: 120 }), ...section.body]),
    blank(),
  ];
  const recipients = [
    line(t("documents:resolution.recipients"), { bold: true, italics: true, underline: true, size: SMALL }),
    line(t("documents:resolution.toOrgUnit", { orgUnit: data.orgUnitName }), { size: SMALL }),
    line(t("documents:resolution.toMembers"), { size: SMALL }),
    line(t("documents:resolution.archive"), { size: SMALL }),
  ];
  children.push(twoColumns(recipients, signature([t("documents:resolution.onBehalf"), t("documents:resolution.secretary")], null, data.chairName)));
  return pack(t("documents:resolution.title"), children);
}

// ---------------------------------------------------------------------------------------
// Parts of the documents

type Block = Paragraph | Table;

/** Filled in by hand after printing, as on the paper templates. */
const DOTS = "……………………………";
const DASH = "–";
const ROMAN = ["I", "II", "III", "IV", "V", "VI"];

/**
 * The issuing body (and the document's number, under it) on the left; the national motto
 * and the date line on the right. The date line names the branch's locality — the commune,
 * ward or village — never the venue's address; without one, a dotted blank is left to fill.
 */
function header(data: MeetingDocumentData, t: Translate, number?: string): Block[] {
  const { day, month, year } = localDate(data);
  const date = t("documents:header.localityDate", { locality: data.locality ?? DOTS, day, month, year });
  const left = [
    line(data.orgUnitName.toLocaleUpperCase("vi"), { align: AlignmentType.CENTER, size: HEADER }),
    line(t("documents:header.branch", { name: branchShortName(data.branchName).toLocaleUpperCase("vi") }), {
      bold: true,
      align: AlignmentType.CENTER,
      size: HEADER,
    }),
    line("*", { align: AlignmentType.CENTER, size: HEADER }),
    ...(number ? [line(number, { align: AlignmentType.CENTER, size: HEADER })] : []),
  ];
  const right = [
    line(t("documents:header.party"), { bold: true, underline: true, align: AlignmentType.CENTER, size: 30 }),
    line(date, { italics: true, align: AlignmentType.CENTER, before: 120 }),
  ];
  return [twoColumns(left, right, 0.42), blank()];
}

function title(text: string, subtitles: string[]): Paragraph[] {
  return [
    line(text, { bold: true, align: AlignmentType.CENTER, size: 32 }),
    ...subtitles.map((s) => line(s, { bold: true, align: AlignmentType.CENTER })),
    blank(),
  ];
}

function meetingSubtitle(data: MeetingDocumentData, t: Translate): string[] {
  const { month, year } = localDate(data);
  const subtitles = [t(`documents:meeting.${data.meetingKind}`, { month, year })];
  if (data.thematicTopic) subtitles.push(t("documents:meeting.topic", { topic: data.thematicTopic }));
  return subtitles;
}

function attendance(data: MeetingDocumentData, t: Translate, locale: Locale): Paragraph[] {
  const c = data.counts;
  const comrades = (count: number) => t("documents:comrades", { count });
  const names = (list: string[]) => t("documents:minutes.names", { names: list.join(", ") });
  const lines = [
    t("documents:minutes.total", { comrades: comrades(c.total) }),
    t("documents:minutes.full", { n: c.full }),
    t("documents:minutes.probationary", { n: c.probationary }),
    t("documents:minutes.attached", { n: c.attached }),
    t("documents:minutes.exempt", { n: c.exempt }),
    t("documents:minutes.transferredOut", { n: c.transferredOut }),
    t("documents:minutes.expected", { comrades: comrades(c.expected) }),
  ].map((text) => bullet(text));

  lines.push(bullet(t("documents:minutes.present", { comrades: comrades(c.present) })));
  if (data.presentNames.length > 0) lines.push(line(names(data.presentNames), { indent: 2 }));
  lines.push(bullet(t("documents:minutes.absentExcused", { comrades: comrades(c.absentExcused.length) })));
  for (const absent of c.absentExcused) {
    lines.push(line(`+ ${t("documents:minutes.absentee", { name: absent.name, reason: absent.reason ?? t("documents:minutes.noReason") })}`, { indent: 2 }));
  }
  lines.push(bullet(t("documents:minutes.absentUnexcused", { comrades: comrades(c.absentUnexcused.length) })));
  if (c.absentUnexcused.length > 0) lines.push(line(names(c.absentUnexcused), { indent: 2 }));
  // As the minutes template lists them: exempt or transferred-out members who came all the
  // same, outside the members to be present and the rate.
  if (c.attendingApart.length > 0) {
    lines.push(bullet(t("documents:minutes.attendingApart", { comrades: comrades(c.attendingApart.length) })));
    for (const person of c.attendingApart)
      lines.push(line(`+ ${t("documents:minutes.apartPerson", { name: person.name, status: t(`rollcall:status.${person.status}`) })}`, { indent: 2 }));
  }
  // The roll call counts guests; the names come from the meeting, and may be fewer.
  lines.push(bullet(t("documents:minutes.guests", { n: Math.max(c.guests, data.guestNames.length) })));
  if (data.guestNames.length > 0) lines.push(line(t("documents:minutes.guestNames", { names: data.guestNames.join(", ") }), { indent: 2 }));
  lines.push(bullet(t("documents:minutes.rate", { rate: percent(c.rate, locale) })));
  return lines;
}

function minutesContent(content: ResolutionContent, t: Translate): Block[] {
  if (content.format === "text") return [...textParagraphs(content.body), ...(content.tasks.length > 0 ? [tasksTable(content.tasks, t)] : [])];
  const blocks: Block[] = [];
  if (content.results) blocks.push(line(t("documents:minutes.results"), { bold: true, italics: true, indent: true }), ...textParagraphs(content.results));
  blocks.push(line(t("documents:minutes.tasks"), { bold: true, italics: true, indent: true }), ...tasksBody(content.tasks, t));
  if (content.body) blocks.push(line(t("documents:minutes.otherNotes"), { bold: true, italics: true, indent: true }), ...textParagraphs(content.body));
  return blocks;
}

function voteBlock(resolution: NonNullable<MeetingDocumentData["resolution"]>, t: Translate, locale: Locale): Paragraph[] {
  const { votingBase } = resolution;
  const votes = resolution.content.votes;
  if (!votes) return [line(t("documents:vote.notRecorded"), { indent: true, italics: true })];
  const share = (n: number) => percent(votingBase > 0 ? n / votingBase : null, locale);
  // `valid` is what the bot told the secretary; recount by the same rule (SPEC §5) if it is missing.
  const valid = resolution.valid ?? votes.for * 2 > votingBase;
  return [
    line(t("documents:vote.base", { n: votingBase }), { indent: true }),
    line(
      t("documents:vote.result", {
        votesFor: votes.for,
        forRate: share(votes.for),
        against: votes.against,
        againstRate: share(votes.against),
        abstain: votes.abstain,
        abstainRate: share(votes.abstain),
      }),
      { indent: true },
    ),
    line(t(valid ? "documents:vote.passed" : "documents:vote.failed"), { indent: true, bold: true }),
  ];
}

function tasksBody(tasks: TaskDraft[], t: Translate): Block[] {
  return tasks.length > 0 ? [tasksTable(tasks, t)] : [line(t("documents:tasks.none"), { indent: true })];
}

function tasksTable(tasks: TaskDraft[], t: Translate): Table {
  const widths = [0.08, 0.5, 0.25, 0.17].map((share) => Math.floor(CONTENT_WIDTH * share));
  const cell = (text: string, i: number, style: LineStyle = {}) =>
    new TableCell({
      width: { size: widths[i] ?? 0, type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      children: [line(text, { size: SMALL, ...style })],
    });
  const head = [t("documents:tasks.number"), t("documents:tasks.description"), t("documents:tasks.owner"), t("documents:tasks.deadline")];
  const rows = [
    new TableRow({ tableHeader: true, children: head.map((text, i) => cell(text, i, { bold: true, align: AlignmentType.CENTER })) }),
    ...tasks.map(
      (task, n) =>
        new TableRow({
          cantSplit: true,
          children: [
            cell(String(n + 1), 0, { align: AlignmentType.CENTER }),
            cell(task.description, 1),
            cell(task.ownerName, 2),
            cell(dayText(task.dueOn), 3, { align: AlignmentType.CENTER }),
          ],
        }),
    ),
  ];
  return new Table({ rows, width: { size: CONTENT_WIDTH, type: WidthType.DXA }, columnWidths: widths });
}

/** A signature column: titles, a hint, room to sign, then the name (or a line to write it on). */
function signature(titles: string[], hint: string | null, name: string | null): Paragraph[] {
  return [
    ...titles.map((text) => line(text, { bold: true, align: AlignmentType.CENTER })),
    ...(hint ? [line(hint, { italics: true, align: AlignmentType.CENTER, size: SMALL })] : []),
    blank(),
    blank(),
    blank(),
    line(name ?? DOTS, { bold: true, align: AlignmentType.CENTER }),
  ];
}

// ---------------------------------------------------------------------------------------
// Text and dates

/** "Chi bộ Khu phố 10" → "Khu phố 10": the templates write "CHI BỘ" in front themselves. */
function branchShortName(name: string): string {
  const trimmed = name.normalize("NFC").trim();
  return trimmed.replace(/^chi\s+bộ\s+/iu, "") || trimmed;
}

/** The meeting's calendar day in the branch timezone, zero-padded as Party documents write it. */
function localDate(data: MeetingDocumentData): { day: string; month: string; year: string } {
  const [year = "", month = "", day = ""] = localDay(data.startsAt, data.timezone).split("-");
  return { day, month, year };
}

/** "19 giờ 30, ngày 03/12/2026": the minutes' way of writing the start. */
function clockText(data: MeetingDocumentData, t: Translate, locale: Locale): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: data.timezone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(
    data.startsAt,
  );
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return t("documents:clock", { hour: part("hour"), minute: part("minute"), date: formatDate(data.startsAt, data.timezone, locale) });
}

/** "2026-12-20" → "20/12/2026"; a deadline is a calendar day already, no timezone involved. */
function dayText(day: string): string {
  const [year, month, date] = day.split("-");
  return `${date}/${month}/${year}`;
}

/** The one rounding the roll call, its summary and the resolution use too. */
function percent(fraction: number | null, locale: Locale): string {
  return fraction === null ? DASH : formatPercent(fraction, locale);
}

/** What the secretary typed, one paragraph a line; a line to write on when there is nothing. */
function textParagraphs(text: string | null): Paragraph[] {
  const lines = (text ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length > 0 ? lines.map((l) => line(l, { indent: true, align: AlignmentType.JUSTIFIED })) : [line(DOTS, { indent: true })];
}

// ---------------------------------------------------------------------------------------
// docx building blocks

const BODY = 28; // half-points: 14 pt, the size of Party documents' body text
const HEADER = 26;
const SMALL = 24;
const MARGIN = {
  top: convertMillimetersToTwip(20),
  bottom: convertMillimetersToTwip(20),
  left: convertMillimetersToTwip(30),
  right: convertMillimetersToTwip(20),
};
const CONTENT_WIDTH = sectionPageSizeDefaults.WIDTH - MARGIN.left - MARGIN.right;
const FIRST_LINE_INDENT = convertMillimetersToTwip(10);

interface LineStyle {
  bold?: boolean;
  italics?: boolean;
  underline?: boolean;
  size?: number;
  align?: (typeof AlignmentType)[keyof typeof AlignmentType];
  /** true: the body's first-line indent; a number: that many indents for the whole paragraph. */
  indent?: boolean | number;
  /** Space before, in twips. */
  before?: number;
}

function line(text: string, style: LineStyle = {}): Paragraph {
  const { indent } = style;
  return new Paragraph({
    alignment: style.align,
    spacing: style.before ? { before: style.before } : undefined,
    indent: indent === true ? { firstLine: FIRST_LINE_INDENT } : typeof indent === "number" ? { left: FIRST_LINE_INDENT * indent } : undefined,
    children: [new TextRun({ text, bold: style.bold, italics: style.italics, underline: style.underline ? {} : undefined, size: style.size })],
  });
}

const blank = () => line("");
const bullet = (text: string) => line(`- ${text}`, { indent: true });
const numbered = (n: number, text: string) => line(`${n}. ${text}`, { bold: true, before: 120 });

/** Side-by-side blocks (header, signatures) the way Word templates do them: a table without borders. */
function twoColumns(left: Paragraph[], right: Paragraph[], leftShare = 0.5): Table {
  const widths = [Math.floor(CONTENT_WIDTH * leftShare), CONTENT_WIDTH - Math.floor(CONTENT_WIDTH * leftShare)];
  const cell = (children: Paragraph[], width: number) => new TableCell({ width: { size: width, type: WidthType.DXA }, children });
  return new Table({
    rows: [new TableRow({ children: [cell(left, widths[0] ?? 0), cell(right, widths[1] ?? 0)] })],
    width: { size: CONTENT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    borders: TableBorders.NONE,
  });
}

async function pack(title: string, children: Block[]): Promise<Uint8Array> {
  const document = new Document({
    title,
    creator: "Chibo",
    styles: {
      default: {
        document: {
          run: { font: "Times New Roman", size: BODY },
          paragraph: { spacing: { after: 60, line: 288 } },
        },
      },
    },
    sections: [{ properties: { page: { size: { width: sectionPageSizeDefaults.WIDTH, height: sectionPageSizeDefaults.HEIGHT }, margin: MARGIN } }, children }],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}
