import { dedupeKey } from "./dedupe.ts";
import type { CoreDeps } from "../deps.ts";
import { parseAddress } from "../inbound.ts";
import { localDay } from "../time.ts";
import type { ClaimedMessage, OutboxItem } from "./types.ts";

/**
 * The platform says a person blocked the bot (or left): stop writing to that account. The
 * message goes to their other channel when they have one that still reaches them; otherwise
 * the secretary and deputy of each of their branches are told once, so someone can phone them.
 */
export async function reportUnreachable(deps: CoreDeps, message: ClaimedMessage): Promise<number> {
  const target = parseAddress(message.address);
  if (!message.personId || !target) return 0;
  const now = deps.clock.now();
  await deps.store.people.markUnreachable(message.personId, target.channel, now);
  // Reachable on their other channel: the message goes there, and nobody needs to phone them.
  const other = await deps.store.people.deliveryAddress(message.personId);
  if (other && other.address !== message.address) {
    const item: OutboxItem = {
      dedupeKey: dedupeKey.fallback(message.dedupeKey, other.address),
      kind: message.kind,
      meetingId: message.meetingId,
      personId: message.personId,
      address: other.address,
      notice: message.notice as OutboxItem["notice"],
      dueAt: now,
      staleAt: message.staleAt,
      priority: message.priority,
    };
    return deps.store.outbox.enqueue([item], now);
  }
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
