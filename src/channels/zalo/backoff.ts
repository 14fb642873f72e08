/**
 * Zalo answers a send over its quota with 429 "Quota exceeded" and no retry_after, so the wait
 * is guessed: 1 s after the first refusal, doubling with each refusal in a row up to a minute,
 * and back to 1 s after a send goes through. One state per bot token, shared by replies and
 * proactive sends, since they draw on the same quota.
 */
export interface QuotaBackoff {
  /** A 429 came back: how long to wait before the next send. */
  refused(): number;
  /** A send went through. */
  passed(): void;
}

export function createQuotaBackoff(options: { firstMs?: number; maxMs?: number } = {}): QuotaBackoff {
  const first = options.firstMs ?? 1000;
  const max = options.maxMs ?? 60_000;
  let streak = 0;
  return {
    refused() {
      const wait = Math.min(max, first * 2 ** streak);
      streak = Math.min(streak + 1, 30);
      return wait;
    },
    passed() {
      streak = 0;
    },
  };
}
