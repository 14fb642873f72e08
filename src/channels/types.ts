import type { ChannelName } from "../core/inbound.ts";
import type { Notifier } from "../core/ports.ts";

/** What the composition root needs from every channel. */
export interface Channel extends Notifier {
  name: ChannelName;
  start(): Promise<void>;
  stop(): Promise<void>;
}
