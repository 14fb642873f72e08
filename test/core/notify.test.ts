import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSender } from "../../src/core/delivery/sender.ts";
import type { DeliveryResult } from "../../src/core/ports.ts";
import { createStore } from "../../src/store/index.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

/**
 * Notices to one person (a join request for the secretary) go through the outbox: a burst
 * of them that draws 429s is delayed, never lost, and each arrives once.
 */
let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true });
});
afterAll(async () => h.close());

describe("forty join requests in a burst", () => {
  it("reach the secretary and the deputy, each once, through the platform's 429s", async () => {
    const secretary = await h.actor("secretary");
    const invite = await h.core.roster.currentInvite(secretary, secretary.memberships[0]!.branchId);
    if (!invite.ok) throw new Error("no invite");
    for (let i = 0; i < 40; i++) {
      const person = await h.actor(`joiner-${i}`, `Người ${i}`);
      const request = await h.core.roster.requestToJoin(person, invite.invite.code, `Nguyễn Văn Số ${i + 1}`);
      expect(request.ok).toBe(true);
    }
    const received: string[] = [];
    let calls = 0;
    const store = createStore(h.database.db);
    const sender = createSender(
      {
        outbox: { claim: store.outbox.claim, record: store.outbox.record },
        clock: h.clock,
        // Like Telegram over its limit: every other send answers 429 with a short retry_after.
        notifier: {
          async send(address, message): Promise<DeliveryResult> {
            if (calls++ % 2 === 0) return { ok: false, reason: "retry", retryAfterMs: 20, detail: "429 Too Many Requests" };
            received.push(`${address} ${message.blocks.map((b) => ("text" in b ? b.text : "")).join(" ")}`);
            return { ok: true };
          },
        },
        render: (notice, locale) => ({ blocks: [{ kind: "text", text: `${notice.kind} ${String(notice.params.name)} ${locale}` }] }),
        onUnreachable: async () => {},
      },
      { maxInFlight: 8 },
    );
    // A send that draws five 429s in a row is put back for a second later (the sender's
    // rule): move the clock past that and drain again, as the running sender would.
    let stats = await sender.drain();
    for (let round = 0; round < 10 && received.length < 80; round++) {
      h.clock.advance(2_000);
      stats = await sender.drain();
    }
    expect(stats.rateLimited).toBeGreaterThan(0);
    for (const officer of ["secretary", "deputy"]) {
      const theirs = received.filter((r) => r.startsWith(`sandbox:${officer} join.requested`));
      expect(theirs).toHaveLength(40);
      expect(new Set(theirs).size).toBe(40);
    }
  });
});
