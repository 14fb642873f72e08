import * as access from "./access/service.ts";
import * as branches from "./branches/service.ts";
import type { CoreDeps } from "./deps.ts";
import type { ChannelName } from "./inbound.ts";
import * as rollCall from "./attendance/roll-call.ts";
import * as attendance from "./attendance/service.ts";
import * as choices from "./conversation/choices.ts";
import * as attendanceYear from "./alerts/attendance-year.ts";
import * as alertService from "./alerts/service.ts";
import * as unitSettings from "./alerts/unit-settings.ts";
import * as followUp from "./alerts/follow-up.ts";
import * as reports from "./reports/service.ts";
import * as memberReport from "./reports/member.ts";
import { reportUnreachable } from "./delivery/unreachable.ts";
import * as meetings from "./meetings/service.ts";
import * as planner from "./meetings/planner.ts";
import * as people from "./people/service.ts";
import type { DialogState } from "./ports.ts";
import * as resolutions from "./resolutions/service.ts";
import * as roster from "./roster/service.ts";

export type { CoreDeps } from "./deps.ts";

/** Binds the first argument of every function of a service module. */
type Bound<M> = { [K in keyof M]: M[K] extends (deps: CoreDeps, ...args: infer A) => infer R ? (...args: A) => R : never };
function bind<M extends Record<string, unknown>>(deps: CoreDeps, module: M): Bound<M> {
  const bound: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(module)) {
    if (typeof value === "function") bound[name] = (...args: unknown[]) => (value as (...a: unknown[]) => unknown)(deps, ...args);
  }
  return bound as Bound<M>;
}

/**
 * The core services with their dependencies bound; what handlers and ticks call.
 * `inTransaction` runs a function with the same services bound to one transaction: an
 * update's whole handling (and the mark that it was handled) commits or rolls back together.
 */
export function createCore(deps: CoreDeps): Core {
  return {
    ...services(deps),
    inTransaction: (fn) => deps.store.transaction((tx) => fn(createCore({ ...deps, store: tx, outside: deps.outside ?? deps }))),
  };
}

export type Core = ReturnType<typeof services> & {
  inTransaction<T>(fn: (core: Core) => Promise<T>): Promise<T>;
};

function services(deps: CoreDeps) {
  const { store, clock } = deps;
  return {
    clock,
    /** The deployment's timezone, for days not tied to a branch (a supervisor's "this month"). */
    timezone: deps.timezone,
    links: deps.links,
    access: bind(deps, {
      ensureSetupCode: access.ensureSetupCode,
      branchesFor: access.branchesFor,
      allows: access.allows,
      branchesUnder: access.branchesUnder,
      addDaysOff: access.addDaysOff,
      lookUpCode: access.lookUpCode,
      reloadCode: access.reloadCode,
      becomeAdmin: access.becomeAdmin,
      createOrgUnit: access.createOrgUnit,
      listOrgUnits: access.listOrgUnits,
      issueCode: access.issueCode,
      revokeIssuedCode: access.revokeIssuedCode,
    }),
    people: bind(deps, {
      identify: people.identify,
      reload: people.loadActor,
      setLanguage: people.setLanguage,
      profile: people.profile,
      createLinkCode: people.createLinkCode,
      linkChannel: people.linkChannel,
      choosePreferredChannel: people.choosePreferredChannel,
      followWithCode: people.followWithCode,
      setOwnName: people.setOwnName,
    }),
    branches: bind(deps, {
      registerBranch: branches.registerBranch,
      viewBranch: branches.viewBranch,
      updateBranch: branches.updateBranch,
      linkGroup: branches.linkGroup,
      unlinkGroups: branches.unlinkGroups,
      groupMoved: branches.groupMoved,
      groupLeft: branches.groupLeft,
    }),
    roster: bind(deps, {
      listRoster: roster.listRoster,
      viewMember: roster.viewMember,
      addMembers: roster.addMembers,
      changeMember: roster.changeMember,
      removeMember: roster.removeMember,
      eraseContact: roster.eraseContact,
      setMemberPhone: roster.setMemberPhone,
      setCallsRoll: roster.setCallsRoll,
      previewImport: roster.previewImport,
      applyImport: roster.applyImport,
      exportRoster: roster.exportRoster,
      currentInvite: roster.currentInvite,
      renewInvite: roster.renewInvite,
      revokeInvites: roster.revokeInvites,
      requestToJoin: roster.requestToJoin,
      inviteTarget: roster.inviteTarget,
      decideJoin: roster.decideJoin,
    }),
    meetings: bind(deps, {
      upcoming: meetings.upcoming,
      createMeeting: meetings.createMeeting,
      moveMeeting: meetings.moveMeeting,
      cancelMeeting: meetings.cancelMeeting,
      editMeeting: meetings.editMeeting,
      calendarFile: meetings.calendarFile,
    }),
    planner: bind(deps, {
      ensureOccurrences: planner.ensureOccurrences,
      planDueReminders: planner.planDueReminders,
      nextEventAfter: planner.nextEventAfter,
      nextMoments: planner.nextMoments,
    }),
    delivery: bind(deps, { reportUnreachable }),
    attendance: bind(deps, {
      reply: attendance.reply,
      meetingToAnswer: attendance.meetingToAnswer,
      meetingUnderWay: attendance.meetingUnderWay,
      tally: attendance.tally,
      nudge: attendance.nudge,
    }),
    rollCall: bind(deps, {
      currentMeeting: rollCall.currentMeeting,
      view: rollCall.view,
      mark: rollCall.mark,
      addGuest: rollCall.addGuest,
      removeGuest: rollCall.removeGuest,
      startCheckIn: rollCall.startCheckIn,
      checkIn: rollCall.checkIn,
      close: rollCall.close,
    }),
    resolutions: bind(deps, {
      desk: resolutions.desk,
      adopt: resolutions.adopt,
      latest: resolutions.latest,
      markRead: resolutions.markRead,
      summaryToRead: resolutions.summaryToRead,
      openTasks: resolutions.openTasks,
      readers: resolutions.readers,
      nudgeUnread: resolutions.nudgeUnread,
      completeTask: resolutions.completeTask,
      documentData: resolutions.documentData,
      setWantsSummaries: resolutions.setWantsSummaries,
    }),
    updates: {
      /** Remembers a channel's update id; false when it was handled before (a redelivery). */
      markProcessed: (channel: ChannelName, updateId: number) => store.updates.markProcessed(channel, updateId, clock.now()),
    },
    choices: bind(deps, { offer: choices.offer, pick: choices.pick, offered: choices.offered, recent: choices.recent }),
    /** Attendance over a year, for the absentee rules, the member's and the supervisor's views and reports. */
    reports: bind(deps, { branchReport: reports.branchReport, orgReport: reports.orgReport, ownYear: memberReport.ownYear }),
    alerts: bind(deps, {
      branchYear: attendanceYear.branchYear,
      evaluateBranch: alertService.evaluateBranch,
      evaluateAll: alertService.evaluateAll,
      unitSettings: unitSettings.unitSettings,
      openAlertsFor: followUp.openAlertsFor,
      alertCard: followUp.alertCard,
      assignVisit: followUp.assignVisit,
      completeVisit: followUp.completeVisit,
      visitsToMake: followUp.visitsToMake,
      remindMember: followUp.remindMember,
      handleAlert: followUp.handleAlert,
      setUnitSettings: unitSettings.setUnitSettings,
    }),
    dialogs: {
      get: (personId: string) => store.dialogs.get(personId, clock.now()),
      set: (personId: string, state: DialogState) => store.dialogs.set(personId, state, clock.now()),
      clear: (personId: string) => store.dialogs.clear(personId),
    },
    housekeeping: {
      refreshStatistics: () => store.refreshStatistics(),
      /** Forgets what no longer matters: old update ids, old failed code attempts, expired dialogs, choices and download links. */
      async run(): Promise<{ updates: number; dialogs: number; choices: number; codeAttempts: number; downloads: number }> {
        const now = clock.now();
        const weekAgo = new Date(now.getTime() - 7 * 24 * 3600_000);
        const dayAgo = new Date(now.getTime() - 24 * 3600_000);
        const updates = await store.updates.prune(weekAgo);
        const dialogs = await store.dialogs.deleteExpired(now);
        const offered = await store.choices.deleteExpired(now);
        const codeAttempts = await store.codes.pruneFailures(dayAgo);
        const downloads = await store.downloads.prune(now);
        return { updates, dialogs, choices: offered, codeAttempts, downloads };
      },
    },
  };
}
