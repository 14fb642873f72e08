import { describe, expect, it } from "vitest";
import { cutText, splitMessage } from "../../src/channels/split.ts";
import { message, text, title } from "../../src/core/message.ts";

describe("splitting long messages", () => {
  it("keeps a short message whole", () => {
    const m = message([title("Tóm tắt"), text("Nội dung")], [[{ label: "Đã đọc", payload: "read:1" }]]);
    expect(splitMessage(m, 4096)).toEqual([m]);
  });

  it("cuts between words, never inside one, and every part fits", () => {
    const words = Array.from({ length: 3000 }, (_, i) => `nghịquyết${i}`).join(" ");
    const parts = cutText(words, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    expect(parts.join(" ")).toBe(words);
  });

  it("never splits an emoji's surrogate pair", () => {
    const value = `${"a".repeat(9)}😀${"b".repeat(5)}`;
    for (const part of cutText(value, 10)) expect(part).not.toMatch(/[\ud800-\udbff]$/);
  });

  it("puts the buttons on the last part, where the reader ends", () => {
    const blocks = Array.from({ length: 10 }, (_, i) => text(`${i} ${"chữ ".repeat(300)}`));
    const parts = splitMessage(message(blocks, [[{ label: "Đã đọc", payload: "read:1" }]]), 2000);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.slice(0, -1).every((p) => !p.actions)).toBe(true);
    expect(parts.at(-1)!.actions).toHaveLength(1);
  });
});
