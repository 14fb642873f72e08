import { describe, expect, it } from "vitest";
import { planImport } from "../../../src/core/roster/import-plan.ts";
import type { RosterImportRow } from "../../../src/core/roster/import-rules.ts";
import type { RosterEntry } from "../../../src/core/roster/types.ts";

const TODAY = "2026-12-01";

function entry(name: string, fields: Partial<RosterEntry> = {}): RosterEntry {
  return {
    membershipId: `m-${name}`,
    branchId: "b",
    personId: null,
    name,
    phone: null,
    removed: false,
    role: "member",
    memberType: "full",
    status: "active",
    statusUntil: null,
    termFrom: "2026-11-20",
    callsRoll: false,
    ...fields,
  };
}

function row(name: string, fields: Partial<RosterImportRow> = {}): RosterImportRow {
  return {
    line: 2,
    name,
    memberType: "full",
    role: "member",
    status: "active",
    statusFrom: null,
    statusUntil: null,
    phone: null,
    given: { memberType: false, role: false, status: false },
    ...fields,
  };
}

const secretary = entry("Nguyễn Văn Hùng", { role: "secretary", personId: "p-hung" });

describe("planImport", () => {
  it("merges the secretary's own row into her record: the phone is filled, nothing is added", () => {
    const plan = planImport(
      [
        row("nguyen van hung", { line: 2, role: "secretary", phone: "0912345678", given: { memberType: true, role: true, status: true } }),
        row("Trần Thị Mai", { line: 3 }),
      ],
      [secretary],
      TODAY,
    );
    expect(plan.add.map((r) => r.name)).toEqual(["Trần Thị Mai"]);
    expect(plan.update).toEqual([{ line: 2, membershipId: "m-Nguyễn Văn Hùng", name: "Nguyễn Văn Hùng", phone: "0912345678", from: TODAY }]);
    expect(plan.unchanged).toEqual([]);
    expect(plan.errors).toEqual([]);
  });

  it("changes only what the file states: an empty cell is not a demotion to plain member", () => {
    const plan = planImport([row("Nguyễn Văn Hùng", { phone: null })], [secretary], TODAY);
    expect(plan.update).toEqual([]);
    expect(plan.unchanged).toEqual([{ line: 2, name: "Nguyễn Văn Hùng" }]);
  });

  it("gives a stated type, role and status, from the status's own start when it falls in the current term", () => {
    const lan = entry("Lê Thị Lan");
    const plan = planImport(
      [
        row("Lê Thị Lan", {
          memberType: "probationary",
          role: "committee",
          status: "temporarily_exempt",
          statusFrom: "2026-11-25",
          statusUntil: "2027-06-30",
          given: { memberType: true, role: true, status: true },
        }),
      ],
      [lan],
      TODAY,
    );
    expect(plan.update).toEqual([
      {
        line: 2,
        membershipId: lan.membershipId,
        name: "Lê Thị Lan",
        memberType: "probationary",
        role: "committee",
        status: "temporarily_exempt",
        statusUntil: "2027-06-30",
        from: "2026-11-25",
      },
    ]);
    // A start before the current term (or after today) takes effect today instead.
    const early = planImport(
      [row("Lê Thị Lan", { status: "exempt", statusFrom: "2020-01-01", given: { memberType: false, role: false, status: true } })],
      [lan],
      TODAY,
    );
    expect(early.update[0]).toMatchObject({ status: "exempt", statusUntil: null, from: TODAY });
  });

  it("keeps the branch's last secretary on Chibo, and refuses a name the roster holds twice", () => {
    const demoted = planImport([row("Nguyễn Văn Hùng", { role: "member", given: { memberType: false, role: true, status: false } })], [secretary], TODAY);
    expect(demoted.errors).toEqual([{ line: 2, reason: "last_officer", value: "Nguyễn Văn Hùng" }]);
    expect(demoted.update).toEqual([]);
    const withDeputy = planImport(
      [row("Nguyễn Văn Hùng", { role: "member", given: { memberType: false, role: true, status: false } })],
      [secretary, entry("Trần Thị Lan", { role: "deputy", personId: "p-lan" })],
      TODAY,
    );
    expect(withDeputy.update[0]).toMatchObject({ role: "member" });

    const twice = planImport([row("Phạm Văn An")], [entry("Phạm Văn An", { membershipId: "a1" }), entry("Pham Van An", { membershipId: "a2" })], TODAY);
    expect(twice.errors).toEqual([{ line: 2, reason: "ambiguous_on_roster", value: "Phạm Văn An" }]);
    expect(twice.add).toEqual([]);
  });
});
