import type { Action } from "../../src/core/message.ts";
import { payloadCodec } from "../../src/core/payload.ts";

/** A button that does what typing the command would: the menu's building block. */
export const commandPayload = payloadCodec("cmd", ["name"]);

export const commandButton = (label: string, name: string): Action => ({ label, payload: commandPayload.encode({ name }) });

/** A command run for one chosen branch (people in several branches pick one). */
export const inBranchPayload = payloadCodec("in", ["command", "branch"]);

/**
 * A choice under a question: pressing it answers the open dialog as if the value had been
 * typed, so every question works the same with buttons (Telegram, sandbox) and typing (Zalo).
 */
export const answerPayload = payloadCodec("ans", ["value"]);

export const answerButton = (label: string, value: string): Action => ({ label, payload: answerPayload.encode({ value }) });
