/**
 * What the core says, before any channel decides how it looks. Blocks are plain text (no
 * markup: renderers escape and style them); actions are buttons on Telegram and the
 * sandbox, numbered choices on Zalo.
 */
export type TextBlock =
  | { kind: "title"; text: string }
  | { kind: "text"; text: string }
  | { kind: "list"; items: string[] }
  // A quieter line: a hint or a footnote.
  | { kind: "note"; text: string };

export interface Action {
  label: string;
  /** Built with a payload codec (see payload.ts): short, prefixed, ≤ 64 bytes. */
  payload: string;
  /**
   * What pressing it does, for a channel that words actions as text: a choice (the default)
   * answers or acts; navigation only moves (pages, back), so a text renderer lists it apart.
   */
  kind?: "choice" | "navigation";
}

export interface Attachment {
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
  /**
   * What the file is — which document, of which branch, for which meeting or day — shown
   * with the file itself, so it still says so when forwarded or found later among files.
   */
  caption: string;
}

export interface OutgoingMessage {
  blocks: TextBlock[];
  /** The language it is written in, for the words a channel adds (a text channel's "type a number"). */
  locale?: string;
  /** Rows of actions. */
  actions?: Action[][];
  attachment?: Attachment;
}

export const message = (blocks: TextBlock[], actions?: Action[][]): OutgoingMessage => (actions?.length ? { blocks, actions } : { blocks });
export const text = (value: string): TextBlock => ({ kind: "text", text: value });
export const title = (value: string): TextBlock => ({ kind: "title", text: value });
export const note = (value: string): TextBlock => ({ kind: "note", text: value });
export const list = (items: string[]): TextBlock => ({ kind: "list", items });
/** An action that only moves: to another page, back to a list. */
export const navigation = (action: Action): Action => ({ ...action, kind: "navigation" });

/** The plain text of a block, as a channel without styling would show it. */
export function blockPlainText(block: TextBlock): string {
  return block.kind === "list" ? block.items.map((item) => `• ${item}`).join("\n") : block.text;
}
