import { dedupeKey } from "./dedupe.ts";
import type { CoreDeps } from "../deps.ts";
import { parseAddress } from "../inbound.ts";
import { localDay } from "../time.ts";
import type { ClaimedMessage, OutboxItem } from "./types.ts";

/**
 * The platform says a person blocked the bot (or left): stop writing to that account, and
 * tell the secretary and deputy of each of their branches once, so someone can phone them.
 */
export async function reportUnreachable(deps: CoreDeps, message: ClaimedMessage): Promise<number> {
  const target = parseAddress(message.address);
  if (!message.personId || !target) return 0;
  const now = deps.clock.now();
  await deps.store.people.markUnreachable(message.personId, target.channel, now);
  const person = await deps.store.people.get(message.personId);
  const memberships = await deps.store.people.memberships(message.personId, localDay(now, deps.timezone));
  if (!person || memberships.length === 0) return 0;
  const officers = await deps.store.meetings.recipients(
    memberships.map((m) => ({ meetingId: m.branchId, branchId: m.branchId, day: localDay(now, deps.timezone) })),
    { roles: ["secretary", "deputy"], skip: "none" },
  );
  const branchName = new Map(memberships.map((m) => [m.branchId, m.branchName]));
  const items: OutboxItem[] = officers
    .filter((o) => o.personId !== message.personId)
    .map((o) => ({
      dedupeKey: dedupeKey.unreachable(person.id, target.channel, o.personId),
      kind: "member.unreachable",
      meetingId: null,
      personId: o.personId,
      address: o.address,
      notice: { kind: "member.unreachable", params: { name: person.displayName, channel: target.channel, branchName: branchName.get(o.meetingId) ?? "" } },
      dueAt: now,
      staleAt: null,
      priority: 30,
    }));
  return deps.store.outbox.enqueue(items, now);
}
