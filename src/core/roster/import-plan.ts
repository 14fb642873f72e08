/**
 * How an imported file meets the roster already there. A row naming someone on the roster
 * (compared without case or diacritics, like a join request) is that person: the file
 * fills in what it states — phone, member type, role, status — and adds no second row.
 * The secretary's own row, present in every district file, is the common case. Pure: the
 * service reads the roster and applies the plan in one transaction.
 */
import type { BranchRole, MemberStatus, MemberType } from "../roles.ts";
import { foldText } from "../text.ts";
import type { RosterImportRow, RowError } from "./import-rules.ts";
import { TIME_BOXED_STATUSES, type RosterEntry } from "./types.ts";

/** What the file changes about one member already on the roster. */
export interface MemberUpdate {
  line: number;
  membershipId: string;
  /** As the roster writes it (the file's spelling does not rename anyone). */
  name: string;
  phone?: string;
  memberType?: MemberType;
  role?: BranchRole;
  status?: MemberStatus;
  statusUntil?: string | null;
  /** The day a change of type, role or status takes effect. */
  from: string;
}

export interface ImportPlan {
  /** New members. */
  add: RosterImportRow[];
  update: MemberUpdate[];
  /** Members the file names and says nothing new about. */
  unchanged: Array<{ line: number; name: string }>;
  /** Rows that cannot be merged; they are left out, like the file's broken rows. */
  errors: RowError[];
}

const isOfficer = (role: BranchRole) => role === "secretary" || role === "deputy";

/**
 * Sorts each valid row into a new member, an update or nothing new. `today` is the branch's
 * day: a change takes effect then, or on the status's own start when the file gives one that
 * falls within the member's current term.
 */
export function planImport(rows: RosterImportRow[], roster: RosterEntry[], today: string): ImportPlan {
  const plan: ImportPlan = { add: [], update: [], unchanged: [], errors: [] };
  const byName = new Map<string, RosterEntry[]>();
  for (const entry of roster.filter((e) => !e.removed)) byName.set(foldText(entry.name), [...(byName.get(foldText(entry.name)) ?? []), entry]);
  // Officers who use Chibo: the branch must keep one, whatever the file says.
  let officers = roster.filter((e) => !e.removed && isOfficer(e.role) && e.personId).length;

  for (const row of rows) {
    const matches = byName.get(foldText(row.name)) ?? [];
    if (matches.length === 0) {
      plan.add.push(row);
      continue;
    }
    if (matches.length > 1) {
      plan.errors.push({ line: row.line, reason: "ambiguous_on_roster", value: row.name });
      continue;
    }
    const entry = matches[0]!;
    const update: MemberUpdate = { line: row.line, membershipId: entry.membershipId, name: entry.name, from: today };
    if (row.phone && row.phone !== entry.phone) update.phone = row.phone;
    if (row.given.memberType && row.memberType !== entry.memberType) update.memberType = row.memberType;
    if (row.given.role && row.role !== entry.role) update.role = row.role;
    const until = TIME_BOXED_STATUSES.has(row.status) ? row.statusUntil : null;
    if (row.given.status && (row.status !== entry.status || until !== entry.statusUntil)) {
      update.status = row.status;
      update.statusUntil = until;
      if (row.statusFrom && row.statusFrom >= entry.termFrom && row.statusFrom <= today) update.from = row.statusFrom;
    }
    if (update.role && isOfficer(entry.role) && !isOfficer(update.role) && entry.personId) {
      if (officers <= 1) {
        plan.errors.push({ line: row.line, reason: "last_officer", value: entry.name });
        continue;
      }
      officers--;
    }
    const changes = [update.phone, update.memberType, update.role, update.status].filter((c) => c !== undefined);
    if (changes.length === 0) plan.unchanged.push({ line: row.line, name: entry.name });
    else plan.update.push(update);
  }
  return plan;
}
