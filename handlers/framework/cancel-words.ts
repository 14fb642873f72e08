import { foldText } from "../../src/core/text.ts";

const CANCEL_WORDS = new Set(["huy", "thoi", "cancel", "stop", "/cancel", "/huy"]);

/** Whether a message is a word that stops a dialog (“hủy”, “thôi”, “cancel”), with or without diacritics. */
export const isCancelWord = (text: string) => CANCEL_WORDS.has(foldText(text));
