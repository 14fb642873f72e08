import { adminFeature } from "./admin.ts";
import { followUpFeature, followUpNotices } from "./alert-follow-up.ts";
import { alertSettingsFeature } from "./alert-settings.ts";
import { alertNotices, alertsFeature } from "./alerts.ts";
import { attendanceFeature } from "./attendance.ts";
import { branchFeature } from "./branch.ts";
import { codeNotices, codesFeature } from "./codes.ts";
import { fallbackFeature } from "./fallback.ts";
import type { Feature, NoticeRenderers } from "./framework/context.ts";
import { helpFeature } from "./help.ts";
import { languageFeature } from "./language.ts";
import { meFeature } from "./me.ts";
import { meetingNotices, meetingsFeature } from "./meetings.ts";
import { reportsFeature } from "./reports.ts";
import { resolutionNotices, resolutionsFeature } from "./resolutions.ts";
import { rollCallFeature, rollCallNotices } from "./roll-call.ts";
import { rosterFeature } from "./roster.ts";
import { startFeature } from "./start.ts";

/**
 * The one place that decides the order features are installed in. Commands and buttons are
 * matched by name, so order matters for free text (earlier features see it first); the
 * fallback is always last.
 */
export const features: Feature[] = [
  startFeature,
  helpFeature,
  branchFeature,
  rosterFeature,
  meetingsFeature,
  // Before attendance: a check-in code is not a reply to a notice.
  rollCallFeature,
  attendanceFeature,
  resolutionsFeature,
  // In SPEC §9's order, which is the menu's.
  followUpFeature,
  alertSettingsFeature,
  reportsFeature,
  meFeature,
  languageFeature,
  adminFeature,
  alertsFeature,
  // Typed codes are checked after the features that understand words, before the fallback.
  codesFeature,
  fallbackFeature,
];

/**
 * Every notice kind the core can send has its renderer: a kind added to core/notices.ts
 * without one, or a renderer's kind misspelt, does not compile.
 */
export const noticeRenderers = {
  ...alertNotices,
  ...followUpNotices,
  ...codeNotices,
  ...meetingNotices,
  ...resolutionNotices,
  ...rollCallNotices,
} satisfies NoticeRenderers;
