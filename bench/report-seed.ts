/**
 * The reports bench's data set, written straight into the tables with set-based SQL
 * (generate_series, insert … select), as bench/seed.ts does: an org unit tree, its branches
 * and members, and a year (2026) of regular meetings whose roll calls are closed.
 *
 * A tree is a province (province → districts → communes/wards → branches) or a district
 * (district → communes/wards → branches), 10 branches to a commune and 17 communes to a
 * district. Ids are md5 of the tree's key and a number, so two trees live side by side in one
 * database and each statement finds the rows of the one before without joins on names.
 *
 * The members of a branch: the first three are its secretary, deputy and a committee member;
 * the rest are members. A few are exempt all year, a few become exempt in July, a few join
 * in the course of the year (probationary, their term starting then); a few are absent with a
 * reason four months in a row (March–June: A2, and HD 12's "more than three in a row"), a few
 * absent without one in four months (A1, A3, A4). Everyone else is absent at a meeting with a
 * probability of 8.5 %: 70 % of those with an accepted reason, 27 % without, 3 % undecided.
 * Nine branches in ten combine a thematic topic with a regular meeting each quarter.
 * Every member has a person with a Telegram identity (the alerts' notices go to the branch's
 * committee), and one supervisor follows the tree's root.
 */
import { sql, type SQL } from "drizzle-orm";
import { DEFAULT_REMINDER_PLAN } from "../src/core/branch-defaults.ts";
import type { Database } from "../src/store/database.ts";
import { rows } from "./seed.ts";

export const BRANCHES_PER_COMMUNE = 10;
export const COMMUNES_PER_DISTRICT = 17;
export const YEAR = 2026;
const TIMEZONE = "Asia/Ho_Chi_Minh";
/** A member's chance of being absent at a meeting, outside the planned streaks below. */
const ABSENT = 0.085;

export interface ReportTree {
  /** Seeds every id of the tree ("province", "tenth"). */
  key: string;
  /** A province has districts under it; a district has the communes directly. */
  root: "province" | "district";
  branches: number;
  members: number;
  /** Telegram ids of the tree's people: base + 0 (the supervisor), base + 1 … base + branches × members. */
  telegramBase: number;
}

export interface SeededTree {
  tree: ReportTree;
  rootId: string;
  branchIds: string[];
  /** The supervisor of the root unit: their person row. */
  supervisor: { id: string; displayName: string; locale: string; isAdmin: boolean };
  /** Roll-call lines written, and how they split. */
  lines: { total: number; present: number; excused: number; unexcused: number; undecided: number };
  replies: number;
  meetings: number;
  units: number;
}

// Names are drawn from these by the member's number; the commonest family names come up more often, as in life.
const FAMILY = "Nguyễn Nguyễn Nguyễn Trần Trần Lê Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split(" ");
const MIDDLE = "Văn Thị Văn Thị Đức Minh Hữu Thanh Ngọc Quang Thu Hoài Công Kim Xuân".split(" ");
const GIVEN = (
  "An Bình Cường Dũng Giang Hà Hải Hạnh Hiền Hoa Hùng Hương Khánh Lan Linh Long Mai Minh Nam Nga Ngọc Phong Phúc Phương Quân Sơn Tâm Thảo Thắng " +
  "Thủy Trang Trung Tuấn Tú Vân Việt Xuân Yến"
).split(" ");
/** What members give as their reason (the secretary accepts it). */
const REASONS = [
  "Đi công tác",
  "Ốm, có giấy của trạm y tế",
  "Việc gia đình",
  "Chăm người thân nằm viện",
  "Trực ca ở cơ quan",
  "Đi học lớp bồi dưỡng",
  "Về quê có việc hiếu",
  "Đưa con đi khám bệnh",
  "Làm ca đêm ở xí nghiệp",
  "Đi làm ăn xa",
];
const LONG_REASON = "Điều trị bệnh dài ngày";
/** The quarter's thematic topic, taken up at the regular meeting of its middle month. */
const TOPICS = [
  "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
  "Quán triệt Nghị quyết Đại hội Đảng bộ tỉnh",
  "Bảo vệ nền tảng tư tưởng của Đảng trên không gian mạng",
  "Chuyển đổi số ở khu dân cư",
];

/** The member's name, from their number: names repeat in a province, as they do in life. */
const nameOf = (p: SQL) =>
  sql`(${JSON.stringify(FAMILY)}::jsonb ->> ((${p} * 7 + 3) % ${FAMILY.length})) || ' ' || (${JSON.stringify(MIDDLE)}::jsonb ->> ((${p} * 11 + 5) % ${MIDDLE.length}))
      || ' ' || (${JSON.stringify(GIVEN)}::jsonb ->> ((${p} * 13 + 1) % ${GIVEN.length}))`;

export async function seedReportTree(db: Database, tree: ReportTree): Promise<SeededTree> {
  const { branches, members } = tree;
  const people = branches * members;
  const communes = Math.ceil(branches / BRANCHES_PER_COMMUNE);
  const districts = tree.root === "province" ? Math.ceil(communes / COMMUNES_PER_DISTRICT) : 0;
  const k = sql`${tree.key}::text`;
  const id = (kind: string, n?: SQL) => (n ? sql`md5(${k} || ${`:${kind}:`}::text || ${n})::uuid` : sql`md5(${k} || ${`:${kind}`}::text)::uuid`);
  const rootName = tree.root === "province" ? `Tỉnh ủy ${tree.key}` : `Huyện ủy ${tree.key}`;
  const communeParent = districts > 0 ? id("district", sql`((c - 1) / ${COMMUNES_PER_DISTRICT} + 1)`) : id("root");
  const plan = JSON.stringify(DEFAULT_REMINDER_PLAN);
  // Every third commune is a rural commune (xã, its branches villages), the others wards (phường, quarters).
  const member = sql`member as (
      select p, (p - 1) / ${members} + 1 as g, (p - 1) % ${members} + 1 as i, 2 + (p / 83) % 9 as joined_month,
             case when (p - 1) % ${members} < 3 then 'regular'
                  when p % 89 = 7 then 'exempt'
                  when p % 97 = 13 then 'exempt_from_july'
                  when p % 83 = 5 then 'joined'
                  when p % 53 = 11 then 'long_excused'
                  when p % 61 = 17 then 'unexcused_months'
                  else 'regular' end as kind
        from generate_series(1, ${people}) p)`;
  const statements: SQL[] = [
    sql`insert into org_units (id, parent_id, name, level_name) values (${id("root")}, null, ${rootName}, ${tree.root === "province" ? "Tỉnh ủy" : "Huyện ủy"})`,
    sql`insert into org_units (id, parent_id, name, level_name)
        select ${id("district", sql`d`)}, ${id("root")}, 'Huyện ủy huyện ' || d, 'Huyện ủy' from generate_series(1, ${districts}) d`,
    sql`insert into org_units (id, parent_id, name, level_name)
        select ${id("commune", sql`c`)}, ${communeParent},
               case when c % 3 = 0 then 'Đảng ủy xã ' else 'Đảng ủy phường ' end || c, case when c % 3 = 0 then 'Đảng ủy xã' else 'Đảng ủy phường' end
          from generate_series(1, ${communes}) c`,
    // Branch names repeat from one commune to the next ("Chi bộ Khu phố 3"), as they do in a province.
    sql`insert into branches (id, org_unit_id, name, timezone, meeting_day, meeting_time, reminder_plan, attendance_threshold, default_place)
        select ${id("branch", sql`g`)}, ${id("commune", sql`((g - 1) / ${BRANCHES_PER_COMMUNE} + 1)`)},
               case when ((g - 1) / ${BRANCHES_PER_COMMUNE} + 1) % 3 = 0 then 'Chi bộ Thôn ' else 'Chi bộ Khu phố ' end || ((g - 1) % ${BRANCHES_PER_COMMUNE} + 1),
               ${TIMEZONE}, 3, '19:30', ${plan}::jsonb, 85, 'Nhà văn hóa ' || ((g - 1) % ${BRANCHES_PER_COMMUNE} + 1)
          from generate_series(1, ${branches}) g`,
    sql`insert into people (id, display_name, locale) select ${id("person", sql`p`)}, ${nameOf(sql`p`)}, 'vi' from generate_series(1, ${people}) p`,
    sql`insert into people (id, display_name, locale) values (${id("supervisor")}, ${`Giám sát ${rootName}`}, 'vi')`,
    sql`insert into channel_identities (person_id, channel, external_id, address)
        select case when p = 0 then ${id("supervisor")} else ${id("person", sql`p`)} end, 'telegram', (${tree.telegramBase}::bigint + p)::text,
               'telegram:' || (${tree.telegramBase}::bigint + p)
          from generate_series(0, ${people}) p`,
    sql`insert into supervisor_assignments (person_id, org_unit_id) values (${id("supervisor")}, ${id("root")})`,
    sql`with ${member}
        insert into memberships (id, branch_id, person_id, roster_name, state)
        select ${id("membership", sql`p`)}, ${id("branch", sql`g`)}, ${id("person", sql`p`)}, ${nameOf(sql`p`)}, 'active' from member`,
    // One term each; those exempt from July have two (active until then, exempt since).
    sql`with ${member}
        insert into membership_terms (membership_id, role, member_type, status, valid_from, valid_to)
        select ${id("membership", sql`p`)},
               case i when 1 then 'secretary' when 2 then 'deputy' when 3 then 'committee' else 'member' end,
               case when kind = 'joined' then 'probationary' else 'full' end,
               case when kind = 'exempt' then 'exempt' else 'active' end,
               case when kind = 'joined' then make_date(${YEAR}, joined_month, 15) else date '2000-01-01' end,
               case when kind = 'exempt_from_july' then make_date(${YEAR}, 7, 1) end
          from member
        union all
        select ${id("membership", sql`p`)}, 'member', 'full', 'exempt', make_date(${YEAR}, 7, 1), null from member where kind = 'exempt_from_july'`,
    // Nine branches in ten take up the quarter's topic at their regular meeting of its middle
    // month; the tenth has none in the fourth quarter either, so A7 fires for it in December.
    sql`insert into meetings (id, branch_id, kind, occurrence_key, status, starts_at, planned_starts_at, place, thematic_topic, roll_call_closed_at)
        select ${id("meeting", sql`g || ':' || mon`)}, ${id("branch", sql`g`)}, 'regular', ${`${YEAR}-`}::text || lpad(mon::text, 2, '0'), 'held',
               make_timestamptz(${YEAR}, mon, 3, 19, 30, 0, ${TIMEZONE}), make_timestamptz(${YEAR}, mon, 3, 19, 30, 0, ${TIMEZONE}),
               'Nhà văn hóa ' || ((g - 1) % ${BRANCHES_PER_COMMUNE} + 1),
               case when mon % 3 = 2 and g % 10 <> 7 then ${JSON.stringify(TOPICS)}::jsonb ->> ((mon - 2) / 3) end,
               make_timestamptz(${YEAR}, mon, 3, 21, 40, 0, ${TIMEZONE})
          from generate_series(1, ${branches}) g cross join generate_series(1, 12) mon`,
    // The roll calls: a line for each member expected at each meeting, the secretary's; and the
    // replies given before it (yes from most who came, no with the reason from those excused).
    sql`with ${member},
        roll as (
          select m.p, m.g, m.kind, mon, ('x' || substr(h, 1, 8))::bit(32)::bigint / 4294967296.0 as u1,
                 ('x' || substr(h, 9, 8))::bit(32)::bigint / 4294967296.0 as u2, ('x' || substr(h, 17, 2))::bit(8)::int as pick
            from member m cross join generate_series(1, 12) mon cross join lateral md5(${k} || ':roll:' || m.p || ':' || mon) h
           where m.kind <> 'exempt' and not (m.kind = 'exempt_from_july' and mon >= 7) and not (m.kind = 'joined' and mon <= m.joined_month)
        ),
        outcome as (
          select p, g, mon, kind, pick,
                 case when kind = 'long_excused' and mon between 3 and 6 then 'excused'
                      when kind = 'unexcused_months' and mon in (2, 5, 9, 11) then 'unexcused'
                      when u1 >= ${ABSENT} then 'present'
                      when u2 < 0.70 then 'excused'
                      when u2 < 0.97 then 'unexcused'
                      else 'undecided' end as outcome
            from roll
        ),
        rec as (
          insert into attendance_records (meeting_id, membership_id, present, absence, reason, source, recorded_by, recorded_at)
          select ${id("meeting", sql`g || ':' || mon`)}, ${id("membership", sql`p`)}, outcome = 'present',
                 case when outcome in ('excused', 'unexcused') then outcome end,
                 case when outcome <> 'excused' then null when kind = 'long_excused' and mon between 3 and 6 then ${LONG_REASON}
                      else ${JSON.stringify(REASONS)}::jsonb ->> (pick % ${REASONS.length}) end,
                 'roll_call', ${id("person", sql`((g - 1) * ${members} + 1)`)}, make_timestamptz(${YEAR}, mon, 3, 21, 40, 0, ${TIMEZONE})
            from outcome
          returning meeting_id, membership_id, present, absence, reason, recorded_at
        )
        insert into attendance_replies (meeting_id, membership_id, answer, reason, replied_at)
        select meeting_id, membership_id, case when present then 'yes' else 'no' end, reason, recorded_at - interval '3 days'
          from rec
         where absence = 'excused' or (present and get_byte(decode(md5(membership_id::text || meeting_id::text), 'hex'), 0) < 160)`,
  ];
  await db.transaction(async (tx) => {
    for (const statement of statements) await tx.execute(statement);
  });

  const branchIds = (await rows<{ id: string }>(db, sql`select ${id("branch", sql`g`)} as id from generate_series(1, ${branches}) g`)).map((r) => r.id);
  const [root] = await rows<{ id: string; supervisor: string }>(db, sql`select ${id("root")} as id, ${id("supervisor")} as supervisor`);
  const [lines] = await rows<Record<string, number | string>>(
    db,
    sql`select count(*) as total, count(*) filter (where present) as present, count(*) filter (where absence = 'excused') as excused,
               count(*) filter (where absence = 'unexcused') as unexcused, count(*) filter (where not present and absence is null) as undecided
          from attendance_records r join meetings mt on mt.id = r.meeting_id join branches b on b.id = mt.branch_id
         where b.id in (select ${id("branch", sql`g`)} from generate_series(1, ${branches}) g)`,
  );
  const [replies] = await rows<{ n: number | string }>(
    db,
    sql`select count(*) as n from attendance_replies r join meetings mt on mt.id = r.meeting_id
         where mt.branch_id in (select ${id("branch", sql`g`)} from generate_series(1, ${branches}) g)`,
  );
  return {
    tree,
    rootId: root!.id,
    branchIds,
    supervisor: { id: root!.supervisor, displayName: `Giám sát ${rootName}`, locale: "vi", isAdmin: false },
    lines: {
      total: Number(lines!.total),
      present: Number(lines!.present),
      excused: Number(lines!.excused),
      unexcused: Number(lines!.unexcused),
      undecided: Number(lines!.undecided),
    },
    replies: Number(replies!.n),
    meetings: branches * 12,
    units: 1 + districts + communes,
  };
}
