import { can, forbidden, type Forbidden } from "../access/permissions.ts";
import type { CoreDeps } from "../deps.ts";
import type { Actor } from "../roles.ts";
import { effectiveSettings, readUnitSettings, unitAlertSettings, type AlertSettings, type UnitAlertSettings } from "./settings.ts";

export interface UnitSettingsView {
  orgUnitId: string;
  orgUnitName: string;
  /** What this unit itself set. */
  own: UnitAlertSettings;
  /** What its branches are judged by (the rate: the unit's floor, which a branch may raise). */
  effective: AlertSettings;
}

/** A unit's settings may be changed by an admin and by the supervisors of it or of a unit above it. */
async function scopeOf(deps: CoreDeps, actor: Actor, orgUnitId: string) {
  const unit = await deps.store.orgUnits.get(orgUnitId);
  if (!unit) return undefined;
  const chain = await deps.store.orgUnits.chain(orgUnitId);
  return can(actor, "alerts.configure", { branchId: "", orgUnitIds: chain }) ? unit : undefined;
}

export async function unitSettings(deps: CoreDeps, actor: Actor, orgUnitId: string): Promise<{ ok: true; view: UnitSettingsView } | Forbidden> {
  const unit = await scopeOf(deps, actor, orgUnitId);
  if (!unit) return forbidden;
  const chain = (await deps.store.orgUnits.settingsChain(orgUnitId)).map(readUnitSettings);
  return { ok: true, view: { orgUnitId, orgUnitName: unit.name, own: chain[0] ?? {}, effective: effectiveSettings(chain) } };
}

/**
 * Changes some of a unit's alert settings (`undefined` in the patch clears a value back to
 * the unit above). Checked against the same schema it is read with, so what is stored is
 * always what is applied.
 */
export async function setUnitSettings(
  deps: CoreDeps,
  actor: Actor,
  orgUnitId: string,
  patch: UnitAlertSettings,
): Promise<{ ok: true; view: UnitSettingsView } | Forbidden | { ok: false; reason: "invalid" }> {
  const unit = await scopeOf(deps, actor, orgUnitId);
  if (!unit) return forbidden;
  const [current] = await deps.store.orgUnits.settingsChain(orgUnitId);
  const merged = { ...readUnitSettings(current), ...patch };
  const parsed = unitAlertSettings.safeParse(JSON.parse(JSON.stringify(merged)));
  if (!parsed.success) return { ok: false, reason: "invalid" };
  await deps.store.orgUnits.setSettingsSection(orgUnitId, "alerts", parsed.data);
  await deps.store.audit.record({
    actorPersonId: actor.person.id,
    branchId: null,
    action: "alerts.configure",
    entity: "org_unit",
    entityId: orgUnitId,
    before: current?.alerts ?? null,
    after: parsed.data,
    at: deps.clock.now(),
  });
  const chain = (await deps.store.orgUnits.settingsChain(orgUnitId)).map(readUnitSettings);
  return { ok: true, view: { orgUnitId, orgUnitName: unit.name, own: parsed.data, effective: effectiveSettings(chain) } };
}
