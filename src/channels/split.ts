import { blockPlainText, type OutgoingMessage, type TextBlock } from "../core/message.ts";

/**
 * Splits a message's blocks into chunks whose plain text fits a channel's limit (Telegram
 * counts UTF-16 units after markup is parsed, Zalo counts the raw text). Blocks stay whole
 * when they fit; a block longer than the limit is cut between words, never inside one
 * unless a single word is longer than the limit.
 */
export function splitBlocks(blocks: TextBlock[], limit: number, separator = "\n\n"): TextBlock[][] {
  const chunks: TextBlock[][] = [];
  let current: TextBlock[] = [];
  let size = 0;
  const flush = () => {
    if (current.length) chunks.push(current);
    current = [];
    size = 0;
  };
  for (const block of blocks.flatMap((b) => cutBlock(b, limit))) {
    const length = blockPlainText(block).length;
    const added = current.length ? length + separator.length : length;
    if (size + added > limit) flush();
    size += current.length ? length + separator.length : length;
    current.push(block);
  }
  flush();
  return chunks;
}

function cutBlock(block: TextBlock, limit: number): TextBlock[] {
  if (blockPlainText(block).length <= limit) return [block];
  if (block.kind === "list") {
    // Cut between items; an item too long on its own becomes its own text pieces.
    return block.items.flatMap((item) => cutText(`• ${item}`, limit).map((piece): TextBlock => ({ kind: "text", text: piece })));
  }
  return cutText(block.text, limit).map((piece) => ({ ...block, text: piece }));
}

export function cutText(value: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = value;
  while (rest.length > limit) {
    // Lengths are UTF-16 units, as Telegram counts them; never split a surrogate pair.
    const end = isHighSurrogate(rest.charCodeAt(limit - 1)) ? limit - 1 : limit;
    const window = rest.slice(0, end);
    // Prefer a line break, then a space, in the second half of the window.
    let cut = Math.max(window.lastIndexOf("\n"), window.lastIndexOf(" "));
    if (cut < window.length / 2) cut = window.length;
    pieces.push(window.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) pieces.push(rest);
  return pieces;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** Splits a whole message; actions and attachment stay with the last part, where the reader ends. */
export function splitMessage(message: OutgoingMessage, limit: number): OutgoingMessage[] {
  const chunks = splitBlocks(message.blocks, limit);
  if (chunks.length === 0) chunks.push([]);
  return chunks.map((blocks, index) => (index === chunks.length - 1 ? { ...message, blocks } : { blocks }));
}
