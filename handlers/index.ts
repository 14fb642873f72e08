import type { Feature } from "./framework/context.ts";
import { fallbackFeature } from "./fallback.ts";
import { helpFeature } from "./help.ts";
import { languageFeature } from "./language.ts";
import { startFeature } from "./start.ts";

/**
 * The one place that decides the order features are installed in. Commands and buttons are
 * matched by name, so order matters for free text (earlier features see it first); the
 * fallback is always last.
 */
export const features: Feature[] = [startFeature, helpFeature, languageFeature, fallbackFeature];
