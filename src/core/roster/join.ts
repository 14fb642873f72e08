import { cleanNameText, foldText } from "../text.ts";

export interface JoinRequest {
  id: string;
  branchId: string;
  branchName: string;
  personId: string;
  /** The name the person typed. */
  name: string;
  /** The unclaimed roster row it matched, if any. */
  claimMembershipId: string | null;
  claimName: string | null;
  status: "pending" | "approved" | "rejected" | "withdrawn";
  createdAt: Date;
}

export const MAX_NAME = 120;

/** A typed full name, cleaned; undefined when it cannot be a name. */
export function cleanFullName(input: string): string | undefined {
  const name = cleanNameText(input);
  if (name.length < 2 || name.length > MAX_NAME) return undefined;
  // A name has letters; codes, numbers and links are not names.
  if (!/\p{L}/u.test(name) || /https?:|www\.|@/.test(name)) return undefined;
  return name;
}

/**
 * The unclaimed roster row a typed name refers to: compared without case or diacritics,
 * since "Nguyen Van Hung" typed on an old phone is "Nguyễn Văn Hùng" on the roster. Only an
 * exact single match counts; the secretary confirms it anyway.
 */
export function matchRosterRow<T extends { name: string }>(name: string, rows: T[]): T | undefined {
  const wanted = foldText(name);
  const matches = rows.filter((row) => foldText(row.name) === wanted);
  return matches.length === 1 ? matches[0] : undefined;
}
