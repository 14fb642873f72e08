import type { Action } from "../../src/core/message.ts";
import { payloadCodec } from "../../src/core/payload.ts";

/** A button that does what typing the command would: the menu's building block. */
export const commandPayload = payloadCodec("cmd", ["name"]);

export const commandButton = (label: string, name: string): Action => ({ label, payload: commandPayload.encode({ name }) });
