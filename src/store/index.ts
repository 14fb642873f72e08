import { sql } from "drizzle-orm";
import type { Store } from "../core/ports.ts";
import type { Database } from "./database.ts";
import * as codes from "./queries/access-codes.ts";
import * as attendance from "./queries/attendance.ts";
import * as audit from "./queries/audit.ts";
import * as branches from "./queries/branches.ts";
import * as alertQueries from "./queries/alerts.ts";
import * as branchChats from "./queries/branch-chats.ts";
import * as choices from "./queries/choices.ts";
import * as dialogs from "./queries/dialogs.ts";
import * as downloads from "./queries/downloads.ts";
import * as inbox from "./queries/channel-inbox.ts";
import * as joins from "./queries/join-requests.ts";
import * as meetings from "./queries/meetings.ts";
import * as memberships from "./queries/memberships.ts";
import * as outbox from "./queries/outbox.ts";
import * as orgUnits from "./queries/org-units.ts";
import * as people from "./queries/people.ts";
import * as updates from "./queries/processed-updates.ts";
import * as resolutions from "./queries/resolutions.ts";
import * as rollCall from "./queries/roll-call.ts";
import * as roster from "./queries/roster.ts";

/**
 * Binds the queries to one database handle. Inside `transaction`, a new store is bound to
 * the transaction, so code running in the callback cannot reach the outer handle by mistake.
 */
export function createStore(db: Database): Store {
  return {
    transaction: (fn) => db.transaction((tx) => fn(createStore(tx))),
    people: {
      findByIdentity: (channel, externalId) => people.findPersonByIdentity(db, { channel, externalId }),
      localesOnChannel: (channel) => people.localesOnChannel(db, { channel }),
      createWithIdentity: (input) => people.createPersonWithIdentity(db, input),
      touchIdentity: (channel, externalId, address) => people.touchIdentity(db, { channel, externalId, address }),
      get: (personId) => people.getPerson(db, { personId }),
      setLocale: (personId, locale) => people.setPersonLocale(db, { personId, locale }),
      setDisplayName: (personId, name) => people.setDisplayName(db, { personId, name }),
      setAdmin: (personId) => people.setAdmin(db, { personId }),
      countAdmins: () => people.countAdmins(db),
      setPreferredChannel: (personId, channel) => people.setPreferredChannel(db, { personId, channel }),
      identities: (personId) => people.listIdentities(db, { personId }),
      deliveryAddress: (personId) => people.deliveryAddress(db, { personId }),
      moveIdentity: (channel, externalId, toPersonId, at) => people.moveIdentity(db, { channel, externalId, toPersonId, at }),
      markUnreachable: (personId, channel, at) => people.markUnreachable(db, { personId, channel, at }),
      delete: (personId) => people.deletePerson(db, { personId }),
      eraseContact: (personId, at) => people.eraseContact(db, { personId, at }),
      memberships: (personId, day) => memberships.listMembershipsOfPerson(db, { personId, day }),
      supervision: (personId) => memberships.listSupervisionOfPerson(db, { personId }),
    },
    dialogs: {
      get: (personId, now) => dialogs.getDialog(db, { personId, now }),
      set: (personId, state, now) => dialogs.setDialog(db, { personId, state, now }),
      clear: (personId) => dialogs.clearDialog(db, { personId }),
      deleteExpired: (now) => dialogs.deleteExpiredDialogs(db, { now }),
    },
    alerts: {
      get: (id) => alertQueries.getAlert(db, { id }),
      handle: (id, at) => alertQueries.handleAlert(db, { id, at }),
      addEvent: (event) => alertQueries.addEvent(db, event),
      hasRead: (alertId, personId) => alertQueries.hasRead(db, { alertId, personId }),
      history: (alertId) => alertQueries.history(db, { alertId }),
      insertVisit: (input) => alertQueries.insertVisit(db, input),
      visits: (alertId) => alertQueries.visitsOf(db, { alertId }),
      getVisit: (id) => alertQueries.getVisit(db, { id }),
      completeVisit: (id, outcome, at) => alertQueries.completeVisit(db, { id, outcome, at }),
      openVisitsOf: (personId) => alertQueries.openVisitsOf(db, { personId }),
      withPendingVisit: (alertIds) => alertQueries.withPendingVisit(db, { alertIds }),
      open: (branchIds) => alertQueries.openAlerts(db, { branchIds }),
      raise: (alert, at) => alertQueries.raiseAlert(db, { alert, at }),
      withdraw: (id, at) => alertQueries.withdrawAlert(db, { id, at }),
    },
    choices: {
      offer: (address, payloads, at, expiresAt) => choices.offerChoices(db, { address, payloads, at, expiresAt }),
      offered: (address, now) => choices.offeredIn(db, { address, now }),
      offeredSince: (address, since, now) => choices.offeredSince(db, { address, since, now }),
      deleteExpired: (now) => choices.deleteExpiredChoices(db, { now }),
    },
    downloads: {
      create: (input) => downloads.createDownload(db, input),
      get: (id, now) => downloads.getDownload(db, { id, now }),
      prune: (before) => downloads.pruneDownloads(db, { before }),
    },
    inbox: {
      receive: (channel, key, payload, at) => inbox.receiveUpdate(db, { channel, key, payload, at }),
      pending: (channel) => inbox.pendingUpdates(db, { channel }),
      handled: (channel, id) => inbox.updateHandled(db, { channel, id }),
    },
    updates: {
      markProcessed: (channel, updateId, at) => updates.markUpdateProcessed(db, { channel, updateId, at }),
      prune: (before) => updates.pruneProcessedUpdates(db, { before }),
    },
    // PGlite has no autovacuum: without fresh statistics its plans stay those of an empty
    // database (a province's first daily tick spent half its time on one foreign-key check).
    refreshStatistics: async () => void (await db.execute(sql`analyze`)),
    orgUnits: {
      create: (input) => orgUnits.createOrgUnit(db, input),
      list: () => orgUnits.listOrgUnits(db),
      get: (id) => orgUnits.getOrgUnit(db, { id }),
      chain: (orgUnitId) => orgUnits.orgUnitChain(db, { orgUnitId }),
      subtree: (orgUnitId) => orgUnits.orgUnitSubtree(db, { orgUnitId }),
      branchScope: (branchId) => orgUnits.branchScope(db, { branchId }),
      settingsChain: (orgUnitId) => orgUnits.settingsChain(db, { orgUnitId }),
      setSettingsSection: (orgUnitId, section, value) => orgUnits.setSettingsSection(db, { orgUnitId, section, value }),
      branchesUnder: (orgUnitIds) => branches.listBranchesUnder(db, { orgUnitIds }),
    },
    codes: {
      create: (input) => codes.createCode(db, input),
      find: (code) => codes.findCode(db, { code }),
      consume: (id, now) => codes.consumeCode(db, { id, now }),
      revoke: (id, now) => codes.revokeCode(db, { id, now }),
      usable: (filter, now) => codes.listUsableCodes(db, { ...filter, now }),
      recordFailure: (personId, at) => codes.recordCodeFailure(db, { personId, at }),
      countFailures: (personId, since) => codes.countCodeFailures(db, { personId, since }),
      pruneFailures: (before) => codes.pruneCodeFailures(db, { before }),
    },
    branches: {
      create: (input) => branches.createBranch(db, input),
      get: (branchId) => branches.getBranch(db, { branchId }),
      getMany: (branchIds) => branches.getBranches(db, { branchIds }),
      allIds: () => branches.allBranchIds(db),
      update: (branchId, patch) => branches.updateBranch(db, { branchId, patch }),
      linkChat: (branchId, address, channel, at) => branchChats.linkChat(db, { branchId, address, channel, at }),
      branchOfChat: (address) => branchChats.branchOfChat(db, { address }),
      unlinkChats: (branchId) => branchChats.unlinkChats(db, { branchId }),
      forgetChat: (address) => branchChats.forgetChat(db, { address }),
      moveChat: (from, to) => branchChats.moveChat(db, { from, to }),
    },
    roster: {
      add: (input) => roster.addMember(db, input),
      list: (branchId, day) => roster.listRoster(db, { branchId, day }),
      get: (membershipId, day) => roster.getRosterEntry(db, { membershipId, day }),
      changeTerm: (membershipId, change, by) => roster.changeTerm(db, { membershipId, change, by }),
      latestTermStart: (membershipId) => roster.latestTermStart(db, { membershipId }),
      remove: (membershipId, day, at) => roster.removeMember(db, { membershipId, day, at }),
      setPhone: (membershipId, phone) => roster.setMemberPhone(db, { membershipId, phone }),
      setCallsRoll: (membershipId, on) => roster.setCallsRoll(db, { membershipId, on }),
      rename: (membershipId, name) => roster.renameMember(db, { membershipId, name }),
      claim: (membershipId, personId) => roster.claimMembership(db, { membershipId, personId }),
      unclaimed: (branchId) => roster.unclaimedRows(db, { branchId }),
    },
    joins: {
      create: (input) => joins.createJoinRequest(db, input),
      get: (id) => joins.getJoinRequest(db, { id }),
      pending: (filter) => joins.listPendingJoins(db, filter),
      decide: (id, status, by, at) => joins.decideJoinRequest(db, { id, status, by, at }),
    },
    meetings: {
      insert: (list) => meetings.insertMeetings(db, { meetings: list }),
      get: (meetingId) => meetings.getMeeting(db, { meetingId }),
      list: (branchId, from, to, includeCancelled) => meetings.listMeetings(db, { branchId, from, to, includeCancelled }),
      listOf: (branchIds, from, to) => meetings.listMeetingsOf(db, { branchIds, from, to }),
      update: (meetingId, patch, bumpSequence) => meetings.updateMeeting(db, { meetingId, patch, bumpSequence }),
      existingOccurrences: (kind, months) => meetings.existingOccurrences(db, { kind, months }),
      daysOffByUnit: () => meetings.daysOffByUnit(db),
      addDayOff: (orgUnitId, day, note) => meetings.addDayOff(db, { orgUnitId, day, note }),
      plannable: (from, to) => meetings.plannableMeetings(db, { from, to }),
      markStepPlanned: (meetingId, step, at, recipients) => meetings.markStepPlanned(db, { meetingId, step, at, recipients }),
      clearPlannedSteps: (meetingId) => meetings.clearPlannedSteps(db, { meetingId }),
      recipients: (list, filter) => meetings.expectedRecipients(db, { meetings: list, ...filter }),
      supervisorsOf: (branchIds) => meetings.supervisorsOf(db, { branchIds }),
      branchesWithThematic: (from, to) => meetings.branchesWithThematic(db, { from, to }),
      branchRules: () => meetings.branchRules(db),
    },
    outbox: {
      enqueue: (items, now) => outbox.enqueue(db, { items, now }),
      claim: (now, limit, leaseMs, leaseNow) => outbox.claim(db, { now, limit, leaseMs, ...(leaseNow ? { leaseNow } : {}) }),
      record: (outcomes) => outbox.record(db, { outcomes }),
      cancelPendingForMeeting: (meetingId) => outbox.cancelPendingForMeeting(db, { meetingId }),
      nextPendingDue: () => outbox.nextPendingDue(db),
      countByStatus: () => outbox.countByStatus(db),
      lastPlanned: (keyPrefix) => outbox.lastPlanned(db, { keyPrefix }),
      cancelPendingByKey: (keyPrefix) => outbox.cancelPendingByKey(db, { keyPrefix }),
      sentGroupNotices: (meetingId) => outbox.sentGroupNotices(db, { meetingId }),
    },
    attendance: {
      upsertReply: (meetingId, membershipId, answer, reason, at) => attendance.upsertReply(db, { meetingId, membershipId, answer, reason, at }),
      expected: (meetingId, branchId, day, committeeOnly) => attendance.expectedWithReplies(db, { meetingId, branchId, day, committeeOnly }),
      book: (branchIds, from, to) => attendance.attendanceBook(db, { branchIds, from, to }),
    },
    rollCall: {
      records: (meetingId) => rollCall.records(db, { meetingId }),
      upsert: (input) => rollCall.upsertRecord(db, input),
      addGuest: (meetingId, name, note, at) => rollCall.addGuest(db, { meetingId, name, note, at }),
      guests: (meetingId) => rollCall.guests(db, { meetingId }),
      removeGuest: (meetingId, guestId) => rollCall.removeGuest(db, { meetingId, guestId }),
    },
    resolutions: {
      insert: (input) => resolutions.insertResolution(db, input),
      ofMeeting: (meetingId) => resolutions.resolutionOfMeeting(db, { meetingId }),
      latest: (branchId) => resolutions.latestResolution(db, { branchId }),
      markRead: (resolutionId, personId, at) => resolutions.markRead(db, { resolutionId, personId, at }),
      reads: (resolutionId) => resolutions.reads(db, { resolutionId }),
      summaryRecipients: (branchId, day) => resolutions.summaryRecipients(db, { branchId, day }),
      getTask: (taskId) => resolutions.getTask(db, { taskId }),
      markTaskDone: (taskId, at) => resolutions.markTaskDone(db, { taskId, at }),
      openTasksOf: (personId) => resolutions.openTasksOf(db, { personId }),
      setWantsSummaries: (membershipId, wants) => resolutions.setWantsSummaries(db, { membershipId, wants }),
    },
    supervision: {
      assign: (personId, target, by, at) => memberships.assignSupervision(db, { personId, target, by, at }),
    },
    audit: {
      record: (entry) => audit.recordAudit(db, entry),
    },
  };
}
