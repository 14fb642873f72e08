import { dedupeKey } from "./dedupe.ts";
import type { CoreDeps } from "../deps.ts";
import type { TypedNotice } from "../notices.ts";
import type { OutboxItem } from "./types.ts";

/** Sooner than the bulk of notices and reminders: someone is waiting on these (a join request, a decision). */
const NOTIFY_PRIORITY = 40;

/**
 * Tells people something that is not the answer to their own action — a join request for
 * the secretary, the decision for the person who asked, a finished task — through the
 * outbox, like every proactive message: within the send budget, retried after a 429 or an
 * outage, written in the caller's transaction so that it goes out only if what it tells of
 * was stored. `about` names the event (a join request's id); with the kind and the person it
 * is the row's dedupe key, so telling twice of one event sends once. Returns how many
 * messages were queued (a person with no reachable chat account gets none).
 */
export async function notify(deps: CoreDeps, personIds: string[], notice: TypedNotice, about: string): Promise<number> {
  const now = deps.clock.now();
  const items: OutboxItem[] = [];
  for (const personId of new Set(personIds)) {
    const target = await deps.store.people.deliveryAddress(personId);
    if (!target) continue;
    items.push({
      dedupeKey: dedupeKey.notify(notice.kind, about, personId),
      kind: notice.kind,
      meetingId: null,
      personId,
      address: target.address,
      notice,
      dueAt: now,
      staleAt: null,
      priority: NOTIFY_PRIORITY,
    });
  }
  return items.length ? deps.store.outbox.enqueue(items, now) : 0;
}
