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
}
