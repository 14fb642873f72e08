import { describe, expect, it } from "vitest";
import { payloadCodec, payloadPrefix } from "../../src/core/payload.ts";

describe("payload codec", () => {
  const rsvp = payloadCodec("rsvp", ["meeting", "answer"]);

  it("round-trips its fields", () => {
    const data = rsvp.encode({ meeting: "9f0c2a", answer: "yes" });
    expect(data).toBe("rsvp:9f0c2a:yes");
    expect(payloadPrefix(data)).toBe("rsvp");
    expect(rsvp.decode(data)).toEqual({ meeting: "9f0c2a", answer: "yes" });
  });

  it("refuses to build a payload over 64 bytes, counting UTF-8 bytes", () => {
    expect(() => rsvp.encode({ meeting: "x".repeat(60), answer: "yes" })).toThrow(/longer than 64 bytes/);
    expect(() => rsvp.encode({ meeting: "đ".repeat(28), answer: "yes" })).toThrow(/longer than 64 bytes/);
  });

  it("refuses a field with the separator", () => {
    expect(() => rsvp.encode({ meeting: "a:b", answer: "yes" })).toThrow(/contains/);
  });

  it("decodes nothing from another prefix or a wrong shape", () => {
    expect(rsvp.decode("lang:vi")).toBeUndefined();
    expect(rsvp.decode("rsvp:only-one")).toBeUndefined();
    expect(rsvp.decode("rsvp:a:b:c")).toBeUndefined();
  });

  it("refuses a long or odd prefix", () => {
    expect(() => payloadCodec("Attendance", ["x"])).toThrow();
  });
});
