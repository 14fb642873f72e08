import { describe, expect, it } from "vitest";
import { formatPercent } from "../../src/core/numbers.ts";

describe("a share, as people read it", () => {
  it("is rounded once, to one decimal, in the reader's language", () => {
    expect(formatPercent(6 / 11, "vi")).toBe("54,5%");
    expect(formatPercent(8 / 11, "vi")).toBe("72,7%");
    expect(formatPercent(8 / 11, "en")).toBe("72.7%");
    expect(formatPercent(1, "vi")).toBe("100,0%");
  });

  it("is a dash when there is nothing to divide by", () => {
    expect(formatPercent(null, "vi")).toBe("–");
  });
});
