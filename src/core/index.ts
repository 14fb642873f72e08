import type { Clock, DialogState, Notifier, Store } from "./ports.ts";
import * as people from "./people/service.ts";
import type { ChannelName, Inbound } from "./inbound.ts";
import type { Person } from "./roles.ts";

export interface CoreDeps {
  store: Store;
  clock: Clock;
  notifier: Notifier;
  /** The deployment's default timezone, for people not yet in any branch. */
  timezone: string;
}

/** The core services with their dependencies bound; what handlers and ticks call. */
export function createCore(deps: CoreDeps) {
  const peopleDeps = { store: deps.store, clock: deps.clock, timezone: deps.timezone };
  return {
    clock: deps.clock,
    people: {
      identify: (inbound: Inbound) => people.identify(peopleDeps, inbound),
      reload: (person: Person) => people.loadActor(peopleDeps, person),
      setLanguage: (personId: string, locale: string) => people.setLanguage(peopleDeps, personId, locale),
      channels: (personId: string) => deps.store.listIdentities(personId),
    },
    updates: {
      /** Remembers a channel's update id; false when it was handled before (a redelivery). */
      markProcessed: (channel: ChannelName, updateId: number) => deps.store.markUpdateProcessed(channel, updateId, deps.clock.now()),
    },
    dialogs: {
      get: (personId: string) => deps.store.getDialog(personId, deps.clock.now()),
      set: (personId: string, state: DialogState) => deps.store.setDialog(personId, state, deps.clock.now()),
      clear: deps.store.clearDialog,
    },
    housekeeping: {
      /** Forgets what no longer matters: old update ids (redeliveries stop after a day) and expired dialogs. */
      async run(): Promise<{ updates: number; dialogs: number }> {
        const now = deps.clock.now();
        const weekAgo = new Date(now.getTime() - 7 * 24 * 3600_000);
        const [updates, dialogs] = [await deps.store.pruneProcessedUpdates(weekAgo), await deps.store.deleteExpiredDialogs(now)];
        return { updates, dialogs };
      },
    },
  };
}

export type Core = ReturnType<typeof createCore>;
