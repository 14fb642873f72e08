import { message, text } from "../../src/core/message.ts";
import type { OutgoingMessage } from "../../src/core/message.ts";
import type { Translate } from "../../src/i18n.ts";

/** What the person sees when something broke on our side: an apology, not a stack trace. */
export function errorMessage(t: Translate): OutgoingMessage {
  return message([text(t("common:unexpectedError"))]);
}
