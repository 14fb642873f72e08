import type { OutgoingMessage } from "../../src/core/message.ts";
import type { Notice } from "../../src/core/ports.ts";
import type { Locale } from "../../src/core/locale.ts";
import type { Translate } from "../../src/i18n.ts";
import type { Feature, NoticeRenderer } from "./context.ts";

/** One renderer for every feature's notices, checked at start: two owners of a kind is a bug. */
export function createNoticeRenderer(features: Feature[]): (notice: Notice, t: Translate, locale: Locale) => OutgoingMessage {
  const renderers = new Map<string, NoticeRenderer>();
  for (const feature of features) {
    for (const [kind, render] of Object.entries(feature.notices ?? {}) as Array<[string, NoticeRenderer]>) {
      if (renderers.has(kind)) throw new Error(`Notice "${kind}" is rendered by two features (second: ${feature.name})`);
      renderers.set(kind, render);
    }
  }
  return (notice, t, locale) => {
    const render = renderers.get(notice.kind);
    if (!render) throw new Error(`No renderer for notice "${notice.kind}"`);
    return render(notice.params, t, locale);
  };
}
