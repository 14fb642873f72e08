import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACTIONS, type Action } from "../../../src/core/access/permissions.ts";
import type { Actor } from "../../../src/core/roles.ts";
import { createHarness, type Harness } from "../../helpers/harness.ts";

/**
 * Every action tried as every kind of person, through the real core services where they
 * exist. The expected table is written out here on purpose, separately from the rule table
 * in the code, so a wrong change to either shows up.
 */
type Who =
  | "admin"
  | "secretary"
  | "deputy"
  | "committee"
  | "rollCaller"
  | "member"
  | "exemptMember"
  | "supervisor"
  | "branchSupervisor"
  | "otherSupervisor"
  | "otherSecretary"
  | "otherMember"
  | "pending"
  | "stranger";
const EVERYONE: Who[] = [
  "admin",
  "secretary",
  "deputy",
  "committee",
  "rollCaller",
  "member",
  "exemptMember",
  "supervisor",
  "branchSupervisor",
  "otherSupervisor",
  "otherSecretary",
  "otherMember",
  "pending",
  "stranger",
];

const officers: Who[] = ["secretary", "deputy"];
const supervisors: Who[] = ["supervisor", "branchSupervisor"];
const committee: Who[] = ["committee", "rollCaller"];
const members: Who[] = ["secretary", "deputy", ...committee, "member", "exemptMember"];

const EXPECTED: Record<Action, Who[]> = {
  "orgUnit.manage": ["admin"],
  "code.issue": ["admin"],
  "branch.view": [...members, ...supervisors],
  "branch.edit": officers,
  "roster.view": [...officers, ...committee, ...supervisors],
  "roster.edit": officers,
  "roster.import": officers,
  "roster.export": [...officers, ...supervisors],
  "invite.manage": officers,
  "join.decide": officers,
  "group.link": officers,
  "contact.erase": officers,
  "meeting.view": [...members, ...supervisors],
  "meeting.manage": officers,
  "attendance.view": [...officers, ...committee],
  "rollcall.mark": [...officers, "rollCaller"],
  "rollcall.manage": officers,
  "resolution.read": [...members, ...supervisors],
  "resolution.send": officers,
  "alerts.view": [...officers, ...committee, ...supervisors],
  "alerts.handle": [...officers, ...supervisors],
  "reports.view": [...officers, ...supervisors],
  "alerts.configure": ["admin", ...supervisors],
};

let h: Harness;
const actors = {} as Record<Who, Actor>;
let branchId: string;
let wardId: string;
let membershipId: string;
let removedMembershipId: string;

async function actorOf(id: string, name = id): Promise<Actor> {
  return h.actor(id, name);
}

beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
  const secretary = await actorOf("secretary");
  branchId = secretary.memberships[0]!.branchId;
  const admin = await actorOf("admin");
  const units = await h.core.access.listOrgUnits(admin);
  if (!units.ok) throw new Error("admin cannot list units");
  wardId = units.units.find((u) => u.name === "Đảng ủy phường Sài Gòn")!.id;
  const provinceId = units.units.find((u) => u.name === "Thành phố Hồ Chí Minh")!.id;

  // Another branch in another ward, with its own secretary, member and supervisor.
  const otherWard = await h.core.access.createOrgUnit(admin, { name: "Đảng ủy phường Bến Thành", levelName: null, parentId: provinceId });
  if (!otherWard.ok) throw new Error("cannot create ward");
  const registration = await h.core.access.issueCode(admin, { kind: "secretary", orgUnitId: otherWard.unit.id });
  if (!registration.ok) throw new Error("cannot issue code");
  const otherSecretary = await actorOf("other-secretary", "Trương Văn Bảy");
  const registered = await h.core.branches.registerBranch(otherSecretary, registration.code, {
    name: "Chi bộ Khu phố 3",
    meetingDay: 5,
    meetingTime: "19:00",
    holidayPolicy: "keep",
    timezone: "Asia/Ho_Chi_Minh",
  });
  if (!registered.ok) throw new Error("cannot register");
  const otherMember = await actorOf("other-member", "Mạc Thị Chín");
  const invite = await h.core.roster.currentInvite(await actorOf("other-secretary"), registered.branchId);
  if (!invite.ok) throw new Error("no invite");
  const request = await h.core.roster.requestToJoin(otherMember, invite.invite.code, "Mạc Thị Chín");
  if (!request.ok) throw new Error("cannot join");
  await h.core.roster.decideJoin(await actorOf("other-secretary"), request.request.id, true);
  for (const [who, unit] of [["otherSupervisor", otherWard.unit.id] as const]) {
    const code = await h.core.access.issueCode(admin, { kind: "supervisor", orgUnitId: unit });
    if (!code.ok) throw new Error("no code");
    await h.core.people.followWithCode(await actorOf(who), code.code);
  }
  // A supervisor of this one branch only.
  const branchCode = await h.core.access.issueCode(admin, { kind: "supervisor", branchId });
  if (!branchCode.ok) throw new Error("no code");
  await h.core.people.followWithCode(await actorOf("branchSupervisor"), branchCode.code);

  // Someone waiting for approval in the demo branch.
  const demoInvite = await h.core.roster.currentInvite(secretary, branchId);
  if (!demoInvite.ok) throw new Error("no invite");
  await h.core.roster.requestToJoin(await actorOf("pending", "Lưu Văn Mười"), demoInvite.invite.code, "Lưu Văn Mười");

  // A second committee member, whom the secretary allows to call the roll.
  await h.core.roster.addMembers(secretary, branchId, ["Đỗ Văn Mười Một"]);
  const listed = await h.core.roster.listRoster(secretary, branchId);
  if (!listed.ok) throw new Error("no roster");
  const callerRow = listed.entries.find((e) => e.name === "Đỗ Văn Mười Một")!.membershipId;
  const callerCard = await h.core.roster.viewMember(secretary, callerRow);
  if (!callerCard.ok) throw new Error("no card");
  await h.core.roster.changeMember(secretary, callerRow, { from: callerCard.today, role: "committee" });
  const callerJoin = await h.core.roster.requestToJoin(await actorOf("rollCaller", "Đỗ Văn Mười Một"), demoInvite.invite.code, "Đỗ Văn Mười Một");
  if (!callerJoin.ok) throw new Error("caller cannot join");
  await h.core.roster.decideJoin(secretary, callerJoin.request.id, true);
  if (!(await h.core.roster.setCallsRoll(secretary, callerRow, true)).ok) throw new Error("cannot allow roll call");

  const keys: Record<Who, string> = {
    admin: "admin",
    secretary: "secretary",
    deputy: "deputy",
    committee: "committee",
    rollCaller: "rollCaller",
    member: "hoa",
    exemptMember: "tam",
    supervisor: "supervisor",
    branchSupervisor: "branchSupervisor",
    otherSupervisor: "otherSupervisor",
    otherSecretary: "other-secretary",
    otherMember: "other-member",
    pending: "pending",
    stranger: "stranger",
  };
  for (const who of EVERYONE) actors[who] = await actorOf(keys[who]);

  const roster = await h.core.roster.listRoster(actors.secretary, branchId);
  if (!roster.ok) throw new Error("no roster");
  membershipId = roster.entries.find((e) => e.name === "Phạm Thị Hoa")!.membershipId;
  const added = await h.core.roster.addMembers(actors.secretary, branchId, ["Người Đã Chuyển"]);
  if (!added.ok) throw new Error("cannot add");
  const after = await h.core.roster.listRoster(actors.secretary, branchId);
  if (!after.ok) throw new Error("no roster");
  removedMembershipId = after.entries.find((e) => e.name === "Người Đã Chuyển")!.membershipId;
  h.clock.advance(2 * 24 * 3600_000);
  await h.core.roster.removeMember(actors.secretary, removedMembershipId);
});
afterAll(async () => h.close());

/** Tries the action through its service; true when the service did not refuse it as forbidden. */
async function attempt(action: Action, actor: Actor): Promise<boolean> {
  const allowed = (result: { ok: boolean; reason?: string }) => result.ok || result.reason !== "forbidden";
  switch (action) {
    case "orgUnit.manage":
      return allowed(await h.core.access.listOrgUnits(actor));
    case "code.issue":
      return allowed(await h.core.access.issueCode(actor, { kind: "secretary", orgUnitId: wardId }));
    case "branch.view":
      return allowed(await h.core.branches.viewBranch(actor, branchId));
    case "branch.edit":
      return allowed(await h.core.branches.updateBranch(actor, branchId, { defaultPlace: "Nhà văn hóa khu phố 10" }));
    case "roster.view":
      return allowed(await h.core.roster.listRoster(actor, branchId));
    case "roster.edit":
      return allowed(await h.core.roster.setMemberPhone(actor, membershipId, "0912345678"));
    case "roster.import":
      return allowed(
        await h.core.roster.previewImport(actor, branchId, [
          { line: 1, cells: ["Họ và tên"] },
          { line: 2, cells: ["Nguyễn Văn Thử"] },
        ]),
      );
    case "roster.export":
      return allowed(await h.core.roster.exportRoster(actor, branchId));
    case "invite.manage":
      return allowed(await h.core.roster.currentInvite(actor, branchId));
    case "join.decide": {
      const pending = await h.database.db.query.joinRequests.findFirst({ where: (r, { eq }) => eq(r.branchId, branchId) });
      return allowed(await h.core.roster.decideJoin(actor, pending!.id, false));
    }
    case "group.link":
      return allowed(await h.core.branches.linkGroup(actor, branchId, "telegram:-1001234567890"));
    case "contact.erase":
      return allowed(await h.core.roster.eraseContact(actor, removedMembershipId));
    default:
      // Actions whose services come with later features: the same rule, asked directly.
      return h.core.access.allows(actor, action, branchId);
  }
}

describe("permissions", () => {
  it("the expected table covers every action", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  for (const action of ACTIONS) {
    it(`${action}: allowed exactly to ${EXPECTED[action].join(", ")}`, async () => {
      const outcome: Record<string, boolean> = {};
      for (const who of EVERYONE) outcome[who] = await attempt(action, actors[who]);
      const expected = Object.fromEntries(EVERYONE.map((who) => [who, EXPECTED[action].includes(who)]));
      expect(outcome).toEqual(expected);
    });
  }

  it("only the secretary or deputy lets a committee member call the roll, and only a committee member", async () => {
    const roster = await h.core.roster.listRoster(actors.secretary, branchId);
    if (!roster.ok) throw new Error("no roster");
    const committeeRow = roster.entries.find((e) => e.personId === actors.committee.person.id)!.membershipId;
    for (const who of ["committee", "rollCaller", "member", "supervisor", "otherSecretary"] as const) {
      expect(await h.core.roster.setCallsRoll(actors[who], committeeRow, true)).toEqual({ ok: false, reason: "forbidden" });
    }
    expect(await h.core.roster.setCallsRoll(actors.secretary, membershipId, true)).toEqual({ ok: false, reason: "not_committee" });
    expect(await h.core.access.allows(await actorOf("hoa"), "rollcall.mark", branchId)).toBe(false);
  });

  it("the roll-call allowance goes with the committee role", async () => {
    const roster = await h.core.roster.listRoster(actors.secretary, branchId);
    if (!roster.ok) throw new Error("no roster");
    const row = roster.entries.find((e) => e.personId === actors.rollCaller.person.id)!;
    expect(row.callsRoll).toBe(true);
    const card = await h.core.roster.viewMember(actors.secretary, row.membershipId);
    if (!card.ok) throw new Error("no card");
    await h.core.roster.changeMember(actors.secretary, row.membershipId, { from: card.today, role: "member" });
    expect(await h.core.access.allows(await actorOf("rollCaller"), "rollcall.mark", branchId)).toBe(false);
    await h.core.roster.changeMember(actors.secretary, row.membershipId, { from: card.today, role: "committee" });
    expect(await h.core.access.allows(await actorOf("rollCaller"), "rollcall.mark", branchId)).toBe(true);
  });

  it("buttons of this branch's meeting do nothing for another branch's people", async () => {
    await h.core.planner.ensureOccurrences();
    const meetings = await h.core.meetings.upcoming(actors.secretary, branchId);
    if (!meetings.ok) throw new Error("no meetings");
    const meetingId = meetings.meetings.find((m) => m.kind === "regular")!.id;
    expect(await h.core.attendance.reply(actors.otherMember, meetingId, "yes")).toEqual({ ok: false, reason: "not_member" });
    expect(await h.core.attendance.reply(actors.otherSecretary, meetingId, "no", "ốm")).toEqual({ ok: false, reason: "not_member" });
    expect(await h.core.attendance.tally(actors.otherSecretary, meetingId)).toEqual({ ok: false, reason: "forbidden" });
    expect(await h.core.rollCall.view(actors.otherSecretary, meetingId)).toEqual({ ok: false, reason: "forbidden" });
    expect(await h.core.resolutions.markRead(actors.otherMember, meetingId)).toEqual({ ok: false, reason: "forbidden" });
  });

  it("a pending joiner sees nothing of the branch, not even its meetings", async () => {
    expect((await h.core.access.branchesFor(actors.pending, "branch.view")).map((b) => b.id)).not.toContain(branchId);
  });

  it("a supervisor of the ward reaches every branch under it, one of another ward none", async () => {
    expect((await h.core.access.branchesFor(actors.supervisor, "reports.view")).map((b) => b.id)).toContain(branchId);
    expect((await h.core.access.branchesFor(actors.otherSupervisor, "reports.view")).map((b) => b.id)).not.toContain(branchId);
  });
});
