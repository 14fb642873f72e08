import type { Clock, Later, Links, Notifications, Store } from "./ports.ts";

/** What every core service is given; passed explicitly, never imported. */
export interface CoreDeps {
  store: Store;
  clock: Clock;
  notifications: Notifications;
  links: Links;
  later: Later;
  /** The deployment's default timezone, for days not tied to a branch. */
  timezone: string;
  /**
   * Inside a transaction: the same dependencies outside it, for work that runs after the
   * transaction has ended (a deferred job must not use a finished transaction's store).
   */
  outside?: CoreDeps;
}
