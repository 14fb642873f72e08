import { displayCode } from "../src/core/access/codes.ts";
import type { ChannelName } from "../src/core/inbound.ts";
import { list, message, note, text, title, type Action } from "../src/core/message.ts";
import { isUuid, payloadCodec } from "../src/core/payload.ts";
import type { OwnMeetingLine } from "../src/core/reports/member.ts";
import { formatDate, formatDay } from "../src/core/time.ts";
import { commandButton } from "./framework/command-button.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";

/** "arg" is a channel for "pref", a branch id for "sum0" / "sum1". */
const me = payloadCodec("me", ["op", "arg"], { op: ["link", "pref", "sum0", "sum1", "year"] });
const CHANNELS: readonly ChannelName[] = ["telegram", "zalo", "sandbox"];

/** /toi: everything Chibo holds about the person, and their channel choices. */
async function showProfile(ctx: HandlerContext): Promise<void> {
  const { t } = ctx;
  const p = await ctx.core.people.profile(ctx.actor);
  const zone = "Asia/Ho_Chi_Minh";
  const facts = [
    t("me:name", { name: p.name }),
    t("me:language", { language: t(`language:names.${p.locale}`) }),
    t("me:phone", { phone: p.phone ?? t("me:none") }),
    ...p.identities.map(
      (i) =>
        t("me:channel", { channel: t(`me:channels.${i.channel}`), since: formatDate(i.linkedAt, zone, ctx.locale) }) +
        (i.unreachableAt ? ` ${t("me:unreachable")}` : ""),
    ),
    t("me:preferred", { channel: p.preferredChannel ? t(`me:channels.${p.preferredChannel}`) : t("me:lastLinked") }),
  ];
  const roles = [
    ...p.memberships.map(
      (m) =>
        `${t("me:membership", { branch: m.branchName, role: t(`common:roles.${m.role}`), type: t(`common:memberTypes.${m.memberType}`), status: t(`common:statuses.${m.status}`) })}; ${t(m.wantsSummaries ? "me:summariesOn" : "me:summariesOff")}`,
    ),
    ...p.supervision.map((s) => t("me:supervises", { name: s.name })),
    ...p.pendingJoins.map((j) => t("me:pending", { branch: j.branchName })),
    ...(p.isAdmin ? [t("me:admin")] : []),
  ];
  const blocks = [title(t("me:title")), list(facts)];
  if (roles.length) blocks.push(text(t("me:rolesTitle")), list(roles));
  blocks.push(note(t("me:privacy")));
  const rows: Action[][] = [];
  if (p.memberships.length) rows.push([{ label: t("me:buttons.year"), payload: me.encode({ op: "year", arg: "" }) }]);
  rows.push([{ label: t("me:buttons.link"), payload: me.encode({ op: "link", arg: "" }) }, commandButton(t("common:buttons.language"), "ngonngu")]);
  for (const m of p.memberships) {
    rows.push([
      {
        label: t(m.wantsSummaries ? "me:buttons.stopSummaries" : "me:buttons.getSummaries", { branch: m.branchName }),
        payload: me.encode({ op: m.wantsSummaries ? "sum0" : "sum1", arg: m.branchId }),
      },
    ]);
  }
  const linked = [...new Set(p.identities.map((i) => i.channel))];
  if (linked.length > 1)
    rows.push(
      linked.map((channel) => ({ label: t("me:buttons.prefer", { channel: t(`me:channels.${channel}`) }), payload: me.encode({ op: "pref", arg: channel }) })),
    );
  await ctx.reply(message(blocks, rows));
}

const replyWord = (t: HandlerContext["t"], reply: OwnMeetingLine["reply"]) => (reply ? t(`me:year.replied.${reply}`) : "");

/** One meeting, as the member reads their own part in it. */
function ownLine(t: HandlerContext["t"], line: OwnMeetingLine): string {
  const head = `${formatDay(line.day)} (${t(`reportfiles:kinds.${line.kind}`)})`;
  if (!line.closed) return `${head}: ${t("me:year.open")}`;
  const said = replyWord(t, line.reply);
  const reason = line.reason ? t("me:year.reason", { reason: line.reason }) : "";
  const outcome = t(`me:year.outcome.${line.outcome ?? "outside"}`, { reason });
  return `${head}: ${outcome}${said ? ` ${said}` : ""}`;
}

/** The member's own year: every meeting, what they said beforehand, what was recorded, and what the committee is watching. */
async function showYear(ctx: HandlerContext): Promise<void> {
  const { t } = ctx;
  const years = await ctx.core.reports.ownYear(ctx.actor);
  if (years.length === 0) return void (await ctx.reply(message([text(t("me:year.none"))])));
  for (const y of years) {
    const blocks = [
      title(t(y.window === "calendar" ? "me:year.title" : "me:year.titleRolling", { branch: y.branchName, year: y.to.slice(0, 4), from: formatDay(y.from) })),
    ];
    if (y.lines.length === 0) blocks.push(text(t("me:year.noMeetings")));
    else {
      blocks.push(text(t("me:year.totals", y.totals)), list(y.lines.map((line) => ownLine(t, line))));
    }
    if (y.openAlerts.length) {
      blocks.push(
        text(t("me:year.watched")),
        list(y.openAlerts.map((a) => t(`me:year.alert.${a.rule.toLowerCase()}`, { day: a.day ? formatDay(a.day) : "", count: a.months }))),
      );
      blocks.push(note(t("me:year.watchedNote")));
    }
    await ctx.reply(message(blocks));
  }
}

export const meFeature: Feature = {
  name: "me",
  commands: { toi: showProfile },
  aliases: { toi: ["tôi", "của tôi", "thông tin của tôi", "me"] },
  actions: {
    async [me.prefix](ctx) {
      const { t } = ctx;
      const payload = me.decode(ctx.input);
      if (payload?.op === "year") return showYear(ctx);
      if (payload?.op === "link") {
        const code = await ctx.core.people.createLinkCode(ctx.actor);
        await ctx.reply(message([text(t("me:linkCode", { code: displayCode(code.code) })), note(t("me:linkHint"))]));
        return;
      }
      if (payload?.op === "pref" && (CHANNELS as readonly string[]).includes(payload.arg)) {
        const result = await ctx.core.people.choosePreferredChannel(ctx.actor, payload.arg as ChannelName);
        await ctx.reply(message([text(result.ok ? t("me:preferredSaved", { channel: t(`me:channels.${payload.arg}`) }) : t("fallback:staleButton"))]));
        return;
      }
      if ((payload?.op === "sum0" || payload?.op === "sum1") && isUuid(payload.arg)) {
        const wants = payload.op === "sum1";
        const result = await ctx.core.resolutions.setWantsSummaries(ctx.actor, payload.arg, wants);
        await ctx.reply(message([text(result.ok ? t(wants ? "me:summariesStarted" : "me:summariesStopped") : t("common:forbidden"))]));
        return;
      }
      await ctx.reply(message([text(t("fallback:staleButton"))]));
    },
  },
};
