import { randomInt } from "node:crypto";

export type CodeKind = "setup" | "secretary" | "supervisor" | "invite" | "link";

// No 0/O, 1/I/L: codes are read out loud at meetings and typed by elderly members.
export const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** Longer codes for the ones that grant more: 31^12 ≈ 8·10^17, 31^8 ≈ 8·10^11. */
export const CODE_LENGTH: Record<CodeKind, number> = { setup: 12, secretary: 10, supervisor: 10, invite: 8, link: 8 };

export const DEFAULT_CODE_DAYS: Record<CodeKind, number> = { setup: 7, secretary: 7, supervisor: 7, invite: 30, link: 1 };

/** A random code with at least one letter and one digit, so a typed code is never mistaken for a word or a number. */
export function generateCode(kind: CodeKind): string {
  for (;;) {
    let code = "";
    for (let i = 0; i < CODE_LENGTH[kind]; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    if (/\d/.test(code) && /[A-Z]/.test(code)) return code;
  }
}

/** "k7mq 2xpa", "K7MQ-2XPA" → "K7MQ2XPA"; undefined when it cannot be a code at all. */
export function normalizeCode(input: string): string | undefined {
  const compact = input
    .trim()
    .toUpperCase()
    .replace(/[\s\-_.]/g, "");
  return /^[A-Z0-9]{8,12}$/.test(compact) ? compact : undefined;
}

/** How a code is shown to be read or typed: groups of four. */
export const displayCode = (code: string) => code.replace(/(.{4})(?=.)/g, "$1-");

export interface StoredCode {
  id: string;
  code: string;
  kind: CodeKind;
  orgUnitId: string | null;
  branchId: string | null;
  personId: string | null;
  createdBy: string | null;
  expiresAt: Date;
  maxUses: number | null;
  uses: number;
  revokedAt: Date | null;
}

export type CodeProblem = "unknown" | "expired" | "revoked" | "used";

/** Why a stored code can no longer be used, if it cannot. */
export function codeProblem(code: StoredCode | undefined, now: Date): CodeProblem | undefined {
  if (!code) return "unknown";
  if (code.revokedAt) return "revoked";
  if (code.maxUses !== null && code.uses >= code.maxUses) return "used";
  if (code.expiresAt.getTime() <= now.getTime()) return "expired";
  return undefined;
}
