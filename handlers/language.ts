import { LOCALES, type Locale } from "../src/core/locale.ts";
import { message, text } from "../src/core/message.ts";
import { payloadCodec } from "../src/core/payload.ts";
import type { Feature, HandlerContext } from "./framework/context.ts";
import { foldText } from "../src/core/text.ts";

const choose = payloadCodec("lang", ["locale"]);

// What people type after /ngonngu; folded, so "Tiếng Việt" and "tieng viet" both match.
const WORDS: Record<string, Locale> = {
  vi: "vi",
  "tieng viet": "vi",
  vietnamese: "vi",
  viet: "vi",
  en: "en",
  english: "en",
  "tieng anh": "en",
  anh: "en",
};

const LANGUAGE_NAMES = new Set(["tieng viet", "vietnamese", "english", "tieng anh"]);

async function apply(ctx: HandlerContext, wanted: string): Promise<void> {
  const locale = WORDS[foldText(wanted)];
  const result = locale ? await ctx.core.people.setLanguage(ctx.actor.person.id, locale) : ({ ok: false } as const);
  if (!result.ok) {
    await ctx.reply(message([text(ctx.t("language:unknown", { value: wanted.slice(0, 40) }))], choices(ctx)));
    return;
  }
  // Confirm in the language just chosen: that is the proof it worked.
  const t = ctx.translator(result.locale);
  await ctx.reply(message([text(t("language:changed"))]));
}

const choices = (ctx: HandlerContext) => [LOCALES.map((locale) => ({ label: ctx.t(`language:names.${locale}`), payload: choose.encode({ locale }) }))];

export const languageFeature: Feature = {
  name: "language",
  commands: {
    async ngonngu(ctx) {
      if (ctx.input) return apply(ctx, ctx.input);
      await ctx.reply(message([text(ctx.t("language:current"))], choices(ctx)));
    },
  },
  aliases: { ngonngu: ["ngôn ngữ", "language", "đổi ngôn ngữ"] },
  // A language's own name typed alone switches to it: the simplest thing to ask of anyone.
  async text(ctx) {
    const folded = foldText(ctx.input);
    if (!LANGUAGE_NAMES.has(folded)) return false;
    await apply(ctx, folded);
    return true;
  },
  actions: {
    async [choose.prefix](ctx) {
      const choice = choose.decode(ctx.input);
      await apply(ctx, choice?.locale ?? ctx.input);
    },
  },
};
