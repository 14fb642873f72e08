export type Answer = "yes" | "no" | "maybe";
export const MAX_REASON = 500;

/** A reason kept within bounds; `truncated` tells the member we cut it. */
export function boundReason(reason: string): { reason: string; truncated: boolean } {
  const clean = reason.replace(/\s+/g, " ").trim();
  return clean.length > MAX_REASON ? { reason: `${clean.slice(0, MAX_REASON - 1)}…`, truncated: true } : { reason: clean, truncated: false };
}
