import type { Logger } from "pino";
import { toLocale, type Locale } from "./core/locale.ts";
import type { OutgoingMessage } from "./core/message.ts";
import type { Notice, Notifications, Notifier } from "./core/ports.ts";
import type { I18n, Translate } from "./i18n.ts";

export type NoticeRenderer = (notice: Notice, t: Translate, locale: Locale) => OutgoingMessage;

/**
 * Edits a message sent earlier in place (a group notice's live tally), rendered again in the
 * given language. Sending anything new goes through the outbox (core/delivery/notify.ts).
 */
export function createNotifications(deps: { i18n: I18n; notifier: Notifier; render: NoticeRenderer; logger: Logger }): Notifications {
  return {
    async edit(address, externalMessageId, notice, locale) {
      if (!deps.notifier.edit) return false;
      try {
        const result = await deps.notifier.edit(address, externalMessageId, deps.render(notice, deps.i18n.t(toLocale(locale)), toLocale(locale)));
        if (!result.ok) deps.logger.warn({ address, kind: notice.kind, reason: result.reason, detail: result.detail }, "edit not applied");
        return result.ok;
      } catch (error) {
        deps.logger.error({ err: error, address, kind: notice.kind }, "edit failed");
        return false;
      }
    },
  };
}
