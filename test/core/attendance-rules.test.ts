import { describe, expect, it } from "vitest";
import { boundReason, parseTypedReply } from "../../src/core/attendance/rules.ts";

describe("typed replies", () => {
  it("understands yes, with and without diacritics, and the numbered choice", () => {
    for (const input of ["có", "Có mặt", "co mat", "1", "Tham dự", "ok"]) expect(parseTypedReply(input), input).toEqual({ answer: "yes" });
  });

  it("understands absence, keeping the reason in the member's own words", () => {
    expect(parseTypedReply("vắng")).toEqual({ answer: "no" });
    expect(parseTypedReply("2")).toEqual({ answer: "no" });
    expect(parseTypedReply("Vắng vì ốm")).toEqual({ answer: "no", reason: "ốm" });
    expect(parseTypedReply("Vắng vì ốm.")).toEqual({ answer: "no", reason: "ốm" });
    expect(parseTypedReply("vang do di cong tac Ha Noi")).toEqual({ answer: "no", reason: "di cong tac Ha Noi" });
    expect(parseTypedReply("Xin vắng: con ốm nằm viện")).toEqual({ answer: "no", reason: "con ốm nằm viện" });
  });

  it("understands maybe", () => {
    for (const input of ["chưa chắc", "3", "có thể"]) expect(parseTypedReply(input), input).toEqual({ answer: "maybe" });
  });

  it("leaves ordinary sentences alone", () => {
    for (const input of ["có ai đi chợ không", "hôm nay trời đẹp", "4", "vắng người quá nhỉ các bác"]) expect(parseTypedReply(input), input).toBeUndefined();
  });

  it("bounds a long reason and says so", () => {
    const { reason, truncated } = boundReason("ốm ".repeat(3000));
    expect(truncated).toBe(true);
    expect(reason.length).toBeLessThanOrEqual(500);
    expect(boundReason("  ốm   nặng ")).toEqual({ reason: "ốm nặng", truncated: false });
  });
});
