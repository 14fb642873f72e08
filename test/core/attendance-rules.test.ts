import { describe, expect, it } from "vitest";
import { boundReason } from "../../src/core/attendance/rules.ts";

describe("reasons", () => {
  it("bounds a long reason and says so", () => {
    const { reason, truncated } = boundReason("ốm ".repeat(3000));
    expect(truncated).toBe(true);
    expect(reason.length).toBeLessThanOrEqual(500);
    expect(boundReason("  ốm   nặng ")).toEqual({ reason: "ốm nặng", truncated: false });
  });
});
