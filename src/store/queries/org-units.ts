import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "../database.ts";
import { branches, orgUnits } from "../schema/index.ts";
import { rowsOf } from "../rows.ts";

export interface OrgUnitRow {
  id: string;
  parentId: string | null;
  name: string;
  levelName: string | null;
}

const columns = { id: orgUnits.id, parentId: orgUnits.parentId, name: orgUnits.name, levelName: orgUnits.levelName };

export async function createOrgUnit(db: Database, params: { name: string; levelName: string | null; parentId: string | null }): Promise<OrgUnitRow> {
  const [row] = await db.insert(orgUnits).values(params).returning(columns);
  return row!;
}

export async function listOrgUnits(db: Database): Promise<OrgUnitRow[]> {
  return db.select(columns).from(orgUnits).orderBy(asc(orgUnits.name));
}

export async function getOrgUnit(db: Database, params: { id: string }): Promise<OrgUnitRow | undefined> {
  const [row] = await db.select(columns).from(orgUnits).where(eq(orgUnits.id, params.id));
  return row;
}

/** The org unit and every unit above it, nearest first. */
export async function orgUnitChain(db: Database, params: { orgUnitId: string }): Promise<string[]> {
  const result: unknown = await db.execute(sql`
    with recursive chain(id, parent_id, depth) as (
      select id, parent_id, 0 from org_units where id = ${params.orgUnitId}
      union all
      select o.id, o.parent_id, c.depth + 1 from org_units o join chain c on o.id = c.parent_id where c.depth < 50
    )
    select id from chain order by depth`);
  const rows = rowsOf<{ id: string }>(result);
  return rows.map((r) => r.id);
}

/** The org unit and every unit below it. */
export async function orgUnitSubtree(db: Database, params: { orgUnitId: string }): Promise<string[]> {
  const result: unknown = await db.execute(sql`
    with recursive tree(id, depth) as (
      select id, 0 from org_units where id = ${params.orgUnitId}
      union all
      select o.id, t.depth + 1 from org_units o join tree t on o.parent_id = t.id where t.depth < 50
    )
    select id from tree`);
  const rows = rowsOf<{ id: string }>(result);
  return rows.map((r) => r.id);
}

export async function branchScope(db: Database, params: { branchId: string }): Promise<{ branchId: string; orgUnitIds: string[] } | undefined> {
  const [branch] = await db.select({ orgUnitId: branches.orgUnitId }).from(branches).where(eq(branches.id, params.branchId));
  if (!branch) return undefined;
  return { branchId: params.branchId, orgUnitIds: await orgUnitChain(db, { orgUnitId: branch.orgUnitId }) };
}

/** The `settings` of the unit and of every unit above it, nearest first. */
export async function settingsChain(db: Database, params: { orgUnitId: string }): Promise<Array<Record<string, unknown>>> {
  const result: unknown = await db.execute(sql`
    with recursive chain(id, parent_id, settings, depth) as (
      select id, parent_id, settings, 0 from org_units where id = ${params.orgUnitId}
      union all
      select o.id, o.parent_id, o.settings, c.depth + 1 from org_units o join chain c on o.id = c.parent_id where c.depth < 50
    )
    select settings from chain order by depth`);
  return rowsOf<{ settings: Record<string, unknown> }>(result).map((r) => r.settings ?? {});
}

/** Replaces one section of a unit's settings ("alerts"), leaving the others as they are. */
export async function setSettingsSection(db: Database, params: { orgUnitId: string; section: string; value: Record<string, unknown> }): Promise<boolean> {
  const rows = await db
    .update(orgUnits)
    .set({ settings: sql`${orgUnits.settings} || jsonb_build_object(${params.section}::text, ${JSON.stringify(params.value)}::jsonb)` })
    .where(eq(orgUnits.id, params.orgUnitId))
    .returning({ id: orgUnits.id });
  return rows.length === 1;
}
