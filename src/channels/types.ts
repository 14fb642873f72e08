import type { ChannelLimits } from "../core/delivery/budget.ts";
import type { ChannelCapabilities, ChannelName } from "../core/inbound.ts";
import type { Notifier } from "../core/ports.ts";

/** What the composition root needs from every channel. */
export interface Channel extends Notifier {
  name: ChannelName;
  /** The platform's send limits, which the delivery budget keeps within. */
  limits: ChannelLimits;
  isGroup(address: string): boolean;
  capabilities(address: string): ChannelCapabilities;
  start(): Promise<void>;
  stop(): Promise<void>;
}
