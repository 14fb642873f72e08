import type { Logger } from "pino";
import { toLocale, type Locale } from "./core/locale.ts";
import type { OutgoingMessage } from "./core/message.ts";
import type { Notice, Notifications, Notifier, Store } from "./core/ports.ts";
import type { I18n, Translate } from "./i18n.ts";

export type NoticeRenderer = (notice: Notice, t: Translate, locale: Locale) => OutgoingMessage;

/**
 * Tells people things now, each in their own language on their preferred channel. Used for
 * what must reach someone right away (a join request for the secretary); scheduled,
 * rate-limited sends go through the outbox instead.
 */
export function createNotifications(deps: { store: Store; i18n: I18n; notifier: Notifier; render: NoticeRenderer; logger: Logger }): Notifications {
  return {
    async notify(personIds, notice) {
      let reached = 0;
      for (const personId of new Set(personIds)) {
        try {
          const target = await deps.store.people.deliveryAddress(personId);
          if (!target) continue;
          const locale = toLocale(target.locale);
          const result = await deps.notifier.send(target.address, deps.render(notice, deps.i18n.t(locale), locale));
          if (result.ok) reached++;
          else deps.logger.warn({ personId, kind: notice.kind, reason: result.reason, detail: result.detail }, "notice not delivered");
        } catch (error) {
          // One recipient's failure never stops the others.
          deps.logger.error({ err: error, personId, kind: notice.kind }, "notice failed");
        }
      }
      return reached;
    },
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
