import { z } from "zod";
import type { BranchRole } from "../roles.ts";
import { DEFAULT_THRESHOLDS, type Thresholds, type Window } from "./rules.ts";

export const ALERT_RULES = ["A1", "A2", "A3", "A4", "A5", "A6", "A7"] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
export const isAlertRule = (rule: string): rule is AlertRule => (ALERT_RULES as readonly string[]).includes(rule);

/** Who hears of one rule: these roles of the branch, and whether its supervisors do. */
export interface Recipients {
  roles: BranchRole[];
  /** For A6, the supervisors hear a day after the roles, if the roll call is still open. */
  supervisors: boolean;
}

export interface AlertSettings {
  window: Window;
  thresholds: Thresholds;
  recipients: Record<AlertRule, Recipients>;
}

const COMMITTEE: BranchRole[] = ["secretary", "deputy", "committee"];

/** SPEC §7 and the defaults: what a unit that set nothing gets. */
export const DEFAULT_RECIPIENTS: Record<AlertRule, Recipients> = {
  A1: { roles: COMMITTEE, supervisors: true },
  A2: { roles: COMMITTEE, supervisors: true },
  A3: { roles: COMMITTEE, supervisors: false },
  A4: { roles: COMMITTEE, supervisors: true },
  A5: { roles: [], supervisors: true },
  A6: { roles: ["secretary"], supervisors: true },
  A7: { roles: ["secretary", "deputy"], supervisors: false },
};

const roles = z.array(z.enum(["secretary", "deputy", "committee", "member"])).max(4);
const recipients = z.object({ roles: roles.optional(), supervisors: z.boolean().optional() }).strict();

/**
 * What an org unit may set, under `settings.alerts` of its row. Every field is optional: a
 * unit sets what differs from the unit above it. Bounds keep a typo from silencing a rule.
 */
export const unitAlertSettings = z
  .object({
    window: z.enum(["calendar", "rolling"]).optional(),
    /** Percent, like the branch's own threshold. */
    rate: z.number().int().min(50).max(100).optional(),
    consecutiveExcused: z.number().int().min(2).max(12).optional(),
    unexcusedMonths: z.number().int().min(2).max(12).optional(),
    earlyWarningMonths: z.number().int().min(1).max(11).optional(),
    recipients: z.partialRecord(z.enum(ALERT_RULES), recipients).optional(),
  })
  .strict();
export type UnitAlertSettings = z.infer<typeof unitAlertSettings>;

/** A unit's stored settings; anything unreadable counts as not set, never as an error. */
export function readUnitSettings(stored: Record<string, unknown> | undefined): UnitAlertSettings {
  const parsed = unitAlertSettings.safeParse(stored?.alerts ?? {});
  return parsed.success ? parsed.data : {};
}

/**
 * The settings a branch is judged by. Units are given nearest first; the nearest unit that
 * sets a value wins, so a commune can differ from its district. The rate is a floor: a
 * branch may hold itself to a higher rate than its unit asks (its own threshold), never a
 * lower one. The early warning always comes before the removal threshold. Without a
 * branch's rate, the unit's rate (else the default) is the threshold.
 */
export function effectiveSettings(units: UnitAlertSettings[], branchRatePercent?: number): AlertSettings {
  const pick = <K extends keyof UnitAlertSettings>(key: K): UnitAlertSettings[K] => units.find((u) => u[key] !== undefined)?.[key];
  const unitRate = pick("rate");
  const unexcusedMonths = pick("unexcusedMonths") ?? DEFAULT_THRESHOLDS.unexcusedMonths;
  const recipientsOf = {} as Record<AlertRule, Recipients>;
  for (const rule of ALERT_RULES) {
    const set = units.map((u) => u.recipients?.[rule]).filter((r) => r !== undefined);
    recipientsOf[rule] = {
      roles: set.find((r) => r.roles !== undefined)?.roles ?? DEFAULT_RECIPIENTS[rule].roles,
      supervisors: set.find((r) => r.supervisors !== undefined)?.supervisors ?? DEFAULT_RECIPIENTS[rule].supervisors,
    };
  }
  return {
    window: pick("window") ?? "calendar",
    thresholds: {
      // Without a branch (a unit's own view, the line across its branches): its rate, else the default.
      rate: (branchRatePercent === undefined ? (unitRate ?? DEFAULT_THRESHOLDS.rate * 100) : Math.max(unitRate ?? 0, branchRatePercent)) / 100,
      consecutiveExcused: pick("consecutiveExcused") ?? DEFAULT_THRESHOLDS.consecutiveExcused,
      unexcusedMonths,
      earlyWarningMonths: Math.min(pick("earlyWarningMonths") ?? DEFAULT_THRESHOLDS.earlyWarningMonths, unexcusedMonths - 1),
    },
    recipients: recipientsOf,
  };
}
