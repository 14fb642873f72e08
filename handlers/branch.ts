import type { ReminderStep } from "../src/core/branch-defaults.ts";
import {
  parseBranchName,
  parseCommitteeDays,
  parseHolidayPolicy,
  parseLocality,
  parseMeetingDay,
  parsePlace,
  parseReminderPlan,
  parseThreshold,
  parseTime,
  parseTimeZone,
} from "../src/core/branches/rules.ts";
import type { Branch, BranchSettings, BranchView, HolidayPolicy } from "../src/core/branches/types.ts";
import { list, message, note, text, title, type Action } from "../src/core/message.ts";
import { payloadCodec } from "../src/core/payload.ts";
import type { Translate } from "../src/i18n.ts";
import { redeem } from "./codes.ts";
import { cleanFullName } from "../src/core/roster/join.ts";
import { chooseBranch } from "./framework/branch-choice.ts";
import { commandButton } from "./framework/command-button.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";
import { confirmStep, defineForm, type FormStep } from "./framework/form.ts";

const edit = payloadCodec("br", ["field", "branch"]);
/** "Link this group to the branch": pressed in the group itself, so it is answered there. */
const groupLink = payloadCodec("gl", ["branch"]);
const DEFAULT_ZONE = "Asia/Ho_Chi_Minh";

/** How a branch setting reads to a person ("Ngày 3 hằng tháng", "Cuối tháng"). */
export function describeDay(t: Translate, day: number): string {
  return day === -1 ? t("branch:rule.lastDay") : t("branch:rule.day", { day });
}

export function describePlan(t: Translate, plan: ReminderStep[]): string[] {
  return plan.map((step) => {
    const when =
      step.minutesBefore % 1440 === 0
        ? t("branch:plan.days", { count: step.minutesBefore / 1440 })
        : step.minutesBefore % 60 === 0
          ? t("branch:plan.hours", { count: step.minutesBefore / 60 })
          : t("branch:plan.minutes", { count: step.minutesBefore });
    return t(`branch:plan.${step.kind}.${step.audience}`, { when });
  });
}

/** Each editable setting: its question, its quick choices, and its check. */
const FIELDS: Record<string, FormStep & { field: keyof BranchSettings }> = {
  nm: { name: "value", field: "name", question: (t) => t("branch:ask.name"), parse: (input) => parseBranchName(input) },
  day: {
    name: "value",
    field: "meetingDay",
    question: (t) => t("branch:ask.day"),
    choices: (t) => [
      { label: describeDay(t, 3), value: "3" },
      { label: describeDay(t, 5), value: "5" },
      { label: describeDay(t, 10), value: "10" },
      { label: describeDay(t, -1), value: "cuoi thang" },
    ],
    parse: (input) => parseMeetingDay(input),
  },
  tm: {
    name: "value",
    field: "meetingTime",
    question: (t) => t("branch:ask.time"),
    choices: () => ["19h30", "19h00", "14h00", "08h00"].map((v) => ({ label: v.replace("h", ":"), value: v })),
    parse: (input) => parseTime(input),
  },
  hol: {
    name: "value",
    field: "holidayPolicy",
    question: (t) => t("branch:ask.holiday"),
    choices: (t) => (["keep", "next_working_day", "previous_working_day"] as const).map((p) => ({ label: t(`branch:holiday.${p}`), value: p })),
    parse: (input) => parseHolidayPolicy(input),
  },
  tz: {
    name: "value",
    field: "timezone",
    question: (t) => t("branch:ask.timezone"),
    choices: (t) => [{ label: t("branch:vietnamTime"), value: DEFAULT_ZONE }],
    parse: (input) => parseTimeZone(input),
  },
  plan: {
    name: "value",
    field: "reminderPlan",
    question: (t) => t("branch:ask.plan"),
    choices: (t) => [{ label: t("branch:defaultPlan"), value: "3 ngay, 1 ngay, 2 gio" }],
    parse: (input) => parseReminderPlan(input),
  },
  cd: {
    name: "value",
    field: "committeeDaysBefore",
    question: (t) => t("branch:ask.committeeDays"),
    choices: () => ["2", "3", "5", "7"].map((v) => ({ label: v, value: v })),
    parse: (input) => parseCommitteeDays(input),
  },
  thr: {
    name: "value",
    field: "attendanceThreshold",
    question: (t) => t("branch:ask.threshold"),
    choices: () => ["80", "85", "90"].map((v) => ({ label: `${v}%`, value: v })),
    parse: (input) => parseThreshold(input),
  },
  pl: {
    name: "value",
    field: "defaultPlace",
    question: (t) => t("branch:ask.place"),
    choices: (t) => [{ label: t("branch:buttons.leaveEmpty"), value: "-" }],
    parse: (input) => parsePlace(input),
  },
  loc: {
    name: "value",
    field: "locality",
    question: (t) => t("branch:ask.locality"),
    choices: (t) => [{ label: t("branch:buttons.leaveEmpty"), value: "-" }],
    parse: (input) => parseLocality(input),
  },
};

/** A setting that may be empty, as the card and the registration summary show it. */
const orNotSet = (t: Translate, value: unknown) => (typeof value === "string" && value ? value : t("branch:card.notSet"));

/** Registration: a secretary code's holder names the branch and sets its meeting rule. */
export const registrationForm = defineForm({
  kind: "branch.register",
  ns: "branch",
  steps: [
    { ...FIELDS.nm!, name: "name" },
    { ...FIELDS.day!, name: "meetingDay" },
    { ...FIELDS.tm!, name: "meetingTime" },
    { ...FIELDS.pl!, name: "defaultPlace" },
    { ...FIELDS.loc!, name: "locality" },
    { ...FIELDS.hol!, name: "holidayPolicy" },
    { ...FIELDS.tz!, name: "timezone" },
    {
      // The roster name, which may differ from the chat name ("Hùng Nguyễn" on Telegram).
      name: "secretaryName",
      question: (t) => t("branch:ask.secretaryName"),
      choices: (t, values) => (typeof values.chatName === "string" ? [{ label: values.chatName, value: values.chatName }] : []),
      parse: (input) => {
        const name = cleanFullName(input);
        return name ? { ok: true, value: name } : { ok: false, reason: "secretaryName" };
      },
    },
    confirmStep((t, v) =>
      [
        t("branch:summary.name", { name: v.name }),
        t("branch:summary.secretary", { name: v.secretaryName }),
        t("branch:summary.rule", { day: describeDay(t, Number(v.meetingDay)), time: v.meetingTime }),
        t("branch:summary.place", { place: orNotSet(t, v.defaultPlace) }),
        t("branch:summary.locality", { locality: orNotSet(t, v.locality) }),
        t("branch:summary.holiday", { policy: t(`branch:holiday.${String(v.holidayPolicy)}`) }),
        t("branch:summary.timezone", { zone: v.timezone }),
      ].join("\n"),
    ),
  ],
  async finish(ctx, values, extra) {
    const { t } = ctx;
    const found = await ctx.core.access.reloadCode(String(extra.code ?? ""));
    if (!found.ok) {
      await ctx.reply(message([text(t(`codes:problem.${found.reason}`))]));
      return;
    }
    const result = await ctx.core.branches.registerBranch(ctx.actor, found.code, {
      name: String(values.name),
      meetingDay: Number(values.meetingDay),
      meetingTime: String(values.meetingTime),
      holidayPolicy: values.holidayPolicy as HolidayPolicy,
      timezone: String(values.timezone),
      defaultPlace: (values.defaultPlace as string | null) ?? null,
      locality: (values.locality as string | null) ?? null,
      secretaryName: String(values.secretaryName),
    });
    if (!result.ok) {
      await ctx.reply(message([text(t(result.reason === "wrong_code" ? "codes:problem.unknown" : "codes:problem.used"))]));
      return;
    }
    await ctx.reply(
      message(
        [text(t("branch:registered", { name: values.name })), text(t("branch:nextSteps"))],
        [[commandButton(t("roster:buttons.roster"), "thanhvien"), commandButton(t("branch:buttons.settings"), "chibo")]],
      ),
    );
  },
});

/** One form per setting, each a single question followed by a save. */
const editForms = Object.fromEntries(
  Object.entries(FIELDS).map(([key, step]) => [
    key,
    defineForm({
      kind: `branch.edit.${key}`,
      ns: "branch",
      steps: [step],
      async finish(ctx, values, extra) {
        const branchId = String(extra.branchId);
        const result = await ctx.core.branches.updateBranch(ctx.actor, branchId, { [step.field]: values.value } as Partial<BranchSettings>);
        if (!result.ok) {
          await ctx.reply(message([text(ctx.t("common:forbidden"))]));
          return;
        }
        await ctx.reply(message([text(ctx.t("branch:saved")), ...branchCard(ctx.t, result.branch).blocks], editButtons(ctx.t, result.branch)));
      },
    }),
  ]),
);

/** The threshold the rules use: the branch's own, unless its unit asks a higher one. */
function thresholdLine(t: Translate, branch: BranchView): string {
  const floor = branch.unitThreshold;
  if (floor !== null && floor > branch.attendanceThreshold) return t("branch:card.thresholdRaised", { value: branch.attendanceThreshold, floor });
  return t("branch:card.threshold", { value: branch.attendanceThreshold });
}

function branchCard(t: Translate, branch: BranchView) {
  return message([
    title(branch.name),
    text(t("branch:card.orgUnit", { orgUnit: branch.orgUnitName })),
    list([
      t("branch:card.rule", { day: describeDay(t, branch.meetingDay), time: branch.meetingTime }),
      t("branch:card.holiday", { policy: t(`branch:holiday.${branch.holidayPolicy}`) }),
      t("branch:card.timezone", { zone: branch.timezone }),
      t("branch:card.committee", { count: branch.committeeDaysBefore }),
      thresholdLine(t, branch),
      t("branch:card.place", { place: orNotSet(t, branch.defaultPlace) }),
      branch.locality ? t("branch:card.locality", { locality: branch.locality }) : t("branch:card.noLocality"),
      branch.groupChats.length ? t("branch:card.groupLinked") : t("branch:card.noGroup"),
    ]),
    text(t("branch:card.plan")),
    list(describePlan(t, branch.reminderPlan)),
  ]);
}

function editButtons(t: Translate, branch: Branch): Action[][] {
  const button = (field: string) => ({ label: t(`branch:edit.${field}`), payload: edit.encode({ field, branch: branch.id }) });
  const rows: Action[][] = [
    [button("nm"), button("pl")],
    [button("loc"), button("day")],
    [button("tm"), button("hol")],
    [button("tz"), button("plan")],
    [button("cd"), button("thr")],
  ];
  if (branch.groupChats.length) rows.push([button("unlink")]);
  return rows;
}

async function showBranch(ctx: HandlerContext, branchId: string): Promise<void> {
  const result = await ctx.core.branches.viewBranch(ctx.actor, branchId);
  if (!result.ok) {
    await ctx.reply(message([text(ctx.t("common:forbidden"))]));
    return;
  }
  const editable = await ctx.core.access.allows(ctx.actor, "branch.edit", branchId);
  const card = branchCard(ctx.t, result.branch);
  if (!editable) card.blocks.push(note(ctx.t("branch:readOnly")));
  await ctx.reply(editable ? { ...card, actions: editButtons(ctx.t, result.branch) } : card);
}

/** In a group: the secretary links it to the branch, so notices can go there too. */
async function linkGroup(ctx: HandlerContext): Promise<void> {
  const { t } = ctx;
  // Whether this channel's groups can be linked is the channel's to say, not the handler's.
  if (!ctx.capabilities.groupLinks) {
    await ctx.reply(message([text(t("branch:group.unsupported"))]));
    return;
  }
  const branches = await ctx.core.access.branchesFor(ctx.actor, "group.link");
  if (branches.length === 0) {
    await ctx.reply(message([text(t("branch:group.onlySecretary"))]));
    return;
  }
  const rows = branches.map((b) => [{ label: t("branch:group.linkTo", { branch: b.name }), payload: groupLink.encode({ branch: b.id }) }]);
  await ctx.reply(message([text(t("branch:group.confirm"))], rows));
}

export const branchFeature: Feature = {
  name: "branch",
  commands: {
    async chibo(ctx) {
      if (ctx.inbound.chat.kind === "group") return linkGroup(ctx);
      if (ctx.input) return redeem(ctx, ctx.input);
      if (!ctx.branchId && (await ctx.core.access.branchesFor(ctx.actor, "branch.view")).length === 0) {
        await ctx.reply(message([text(ctx.t("branch:howToRegister"))]));
        return;
      }
      const branchId = await chooseBranch(ctx, "branch.view", "chibo");
      if (branchId) await showBranch(ctx, branchId);
    },
  },
  dialogs: {
    [registrationForm.kind]: registrationForm.handle,
    ...Object.fromEntries(Object.values(editForms).map((form) => [form.kind, form.handle])),
  },
  // The group link is made in the group; the branch card and its forms stay in private.
  inGroup: { commands: ["chibo"], actions: [groupLink.prefix] },
  actions: {
    async [groupLink.prefix](ctx) {
      const { t } = ctx;
      const payload = groupLink.decode(ctx.input);
      if (!payload || ctx.inbound.chat.kind !== "group") return void (await ctx.reply(message([text(t("fallback:staleButton"))])));
      const result = await ctx.core.branches.linkGroup(ctx.actor, payload.branch, ctx.inbound.chat.address);
      if (!result.ok) {
        // Only the presser sees why not: the group is not told of each stranger's press.
        await ctx.toast(result.reason === "group_taken" ? t("branch:group.taken", { branch: result.otherBranch }) : t("common:forbidden"));
        return;
      }
      await ctx.reply(message([text(t("branch:group.linked"))]));
    },
    async [edit.prefix](ctx) {
      const { t } = ctx;
      const payload = edit.decode(ctx.input);
      if (!payload) {
        await ctx.reply(message([text(t("fallback:staleButton"))]));
        return;
      }
      if (payload.field === "unlink") {
        const result = await ctx.core.branches.unlinkGroups(ctx.actor, payload.branch);
        await ctx.reply(message([text(t(result.ok ? "branch:group.unlinked" : "common:forbidden"))]));
        return;
      }
      const form = editForms[payload.field];
      if (!form || !(await ctx.core.access.allows(ctx.actor, "branch.edit", payload.branch))) {
        await ctx.reply(message([text(t(form ? "common:forbidden" : "fallback:staleButton"))]));
        return;
      }
      await form.start(ctx, { branchId: payload.branch });
    },
  },
};
