import { and, eq, sql } from "drizzle-orm";
import { DEFAULT_REMINDER_PLAN } from "../../core/branch-defaults.ts";
import type { BranchRole, MemberStatus, MemberType } from "../../core/roles.ts";
import type { Database } from "../database.ts";
import { branches, channelIdentities, memberships, membershipTerms, orgUnits, people, supervisorAssignments } from "../schema/index.ts";

/** One person of the demo branch as the sandbox shows them. */
export interface DemoPersona {
  /** The sandbox identity (external id) and the key the page uses. */
  key: string;
  name: string;
  locale: "vi" | "en";
  /** What the persona is, for the persona picker. */
  kind: "secretary" | "deputy" | "committee" | "member" | "supervisor" | "admin" | "newcomer";
  role?: BranchRole;
  memberType?: MemberType;
  status?: MemberStatus;
  /** For time-boxed statuses: months from the seed date until the status ends. */
  statusMonths?: number;
}

export const DEMO_BRANCH_NAME = "Chi bộ Khu phố 10";

/** A branch of every kind of member, so each rule of the spec can be seen at work. */
export const DEMO_PERSONAS: DemoPersona[] = [
  { key: "secretary", name: "Nguyễn Văn Hùng", locale: "vi", kind: "secretary", role: "secretary", memberType: "full", status: "active" },
  { key: "deputy", name: "Trần Thị Lan", locale: "vi", kind: "deputy", role: "deputy", memberType: "full", status: "active" },
  { key: "committee", name: "Lê Văn Minh", locale: "vi", kind: "committee", role: "committee", memberType: "full", status: "active" },
  { key: "hoa", name: "Phạm Thị Hoa", locale: "vi", kind: "member", role: "member", memberType: "full", status: "active" },
  { key: "nam", name: "Hoàng Văn Nam", locale: "vi", kind: "member", role: "member", memberType: "full", status: "active" },
  { key: "mai", name: "Vũ Thị Mai", locale: "vi", kind: "member", role: "member", memberType: "full", status: "active" },
  { key: "khoa", name: "Đặng Minh Khoa", locale: "en", kind: "member", role: "member", memberType: "probationary", status: "active" },
  { key: "thu", name: "Bùi Thị Thu", locale: "vi", kind: "member", role: "member", memberType: "probationary", status: "active" },
  { key: "tam", name: "Ngô Văn Tám", locale: "vi", kind: "member", role: "member", memberType: "full", status: "exempt" },
  { key: "cuc", name: "Đỗ Thị Cúc", locale: "vi", kind: "member", role: "member", memberType: "full", status: "temporarily_exempt", statusMonths: 3 },
  { key: "son", name: "Trịnh Văn Sơn", locale: "vi", kind: "member", role: "member", memberType: "full", status: "transferred_out", statusMonths: 6 },
  { key: "hanh", name: "Lý Thị Hạnh", locale: "vi", kind: "member", role: "member", memberType: "full", status: "attached", statusMonths: 6 },
  { key: "duc", name: "Phan Văn Đức", locale: "vi", kind: "member", role: "member", memberType: "full", status: "special_duty" },
  { key: "supervisor", name: "Võ Thành Trung", locale: "vi", kind: "supervisor" },
  { key: "admin", name: "Đinh Quang Tuấn", locale: "vi", kind: "admin" },
  { key: "newcomer", name: "Người mới", locale: "vi", kind: "newcomer" },
];

/** Roster rows nobody has claimed from a chat yet (a member without a phone, say). */
const UNCLAIMED_ROWS = [{ name: "Cao Thị Yến", memberType: "full" as const }];

const addMonths = (day: string, months: number) => {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1 + months, Math.min(d, 28)));
  return date.toISOString().slice(0, 10);
};

/**
 * Creates the sandbox's demo branch once (found again by its org unit marker on later
 * starts), in one transaction so a crash mid-way leaves nothing behind.
 */
export async function seedDemoBranch(db: Database, options: { today: string; timezone: string }): Promise<{ created: boolean; branchId: string }> {
  const existing = await db
    .select({ id: branches.id })
    .from(branches)
    .innerJoin(orgUnits, eq(orgUnits.id, branches.orgUnitId))
    .where(and(eq(branches.name, DEMO_BRANCH_NAME), sql`${orgUnits.settings} ->> 'demo' = 'true'`))
    .limit(1);
  if (existing[0]) return { created: false, branchId: existing[0].id };

  return db.transaction(async (tx) => {
    const yearStart = `${options.today.slice(0, 4)}-01-01`;
    const [province] = await tx.insert(orgUnits).values({ name: "Thành phố Hồ Chí Minh", levelName: "Tỉnh, thành phố" }).returning();
    const [ward] = await tx
      .insert(orgUnits)
      .values({ name: "Đảng ủy phường Sài Gòn", levelName: "Xã, phường", parentId: province!.id, settings: { demo: true } })
      .returning();
    const [branch] = await tx
      .insert(branches)
      .values({
        orgUnitId: ward!.id,
        name: DEMO_BRANCH_NAME,
        timezone: options.timezone,
        reminderPlan: DEFAULT_REMINDER_PLAN,
        defaultPlace: "Nhà văn hóa khu phố 10",
        locality: "Sài Gòn",
      })
      .returning();

    for (const persona of DEMO_PERSONAS) {
      // The deployment's admin (the province's IT officer, say) creates org units and codes.
      const [person] = await tx
        .insert(people)
        .values({ displayName: persona.name, locale: persona.locale, isAdmin: persona.kind === "admin" })
        .returning();
      await tx.insert(channelIdentities).values({ personId: person!.id, channel: "sandbox", externalId: persona.key, address: `sandbox:${persona.key}` });
      if (persona.kind === "supervisor") {
        await tx.insert(supervisorAssignments).values({ personId: person!.id, orgUnitId: ward!.id });
        continue;
      }
      if (!persona.role || !persona.memberType || !persona.status) continue;
      const [membership] = await tx.insert(memberships).values({ branchId: branch!.id, personId: person!.id, rosterName: persona.name }).returning();
      await tx.insert(membershipTerms).values({
        membershipId: membership!.id,
        role: persona.role,
        memberType: persona.memberType,
        status: persona.status,
        validFrom: yearStart,
        statusUntil: persona.statusMonths ? addMonths(options.today, persona.statusMonths) : null,
      });
    }
    for (const row of UNCLAIMED_ROWS) {
      const [membership] = await tx.insert(memberships).values({ branchId: branch!.id, rosterName: row.name }).returning();
      await tx
        .insert(membershipTerms)
        .values({ membershipId: membership!.id, role: "member", memberType: row.memberType, status: "active", validFrom: yearStart });
    }
    return { created: true, branchId: branch!.id };
  });
}
