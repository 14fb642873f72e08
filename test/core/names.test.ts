import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanName } from "../../src/core/people/service.ts";
import { cleanFullName } from "../../src/core/roster/join.ts";
import { parseRosterTable } from "../../src/core/roster/import-rules.ts";
import { cleanNameText, shortNames } from "../../src/core/text.ts";
import { createHarness, type Harness } from "../helpers/harness.ts";

/**
 * Names are shown to others (a join request in the secretary's chat, the roster, the
 * minutes): a right-to-left override in one would reverse the rest of the secretary's line,
 * and zero-width characters make two equal names differ. They are dropped wherever a name
 * comes in.
 */
const RLO = "\u202e";
const tricky = `${RLO}Nguy\u200bễn\u00ad Văn\u2066 An\ufeff\u200d`;

describe("names", () => {
  it("lose direction controls and invisible characters, and keep their letters and diacritics", () => {
    expect(cleanNameText(tricky)).toBe("Nguyễn Văn An");
    expect(cleanNameText("Lê\tThị\nHoa")).toBe("Lê Thị Hoa");
    // Decomposed diacritics (as some phones send them) are composed.
    expect(cleanNameText("Nguye\u0302\u0303n")).toBe("Nguyễn");
    expect(cleanName(tricky)).toBe("Nguyễn Văn An");
    expect(cleanName(`${RLO}\u200b`)).toBe("?");
    expect(cleanFullName(tricky)).toBe("Nguyễn Văn An");
  });

  it("from a roster file are cleaned the same way", () => {
    const parsed = parseRosterTable([
      { line: 1, cells: ["Họ và tên", "Loại"] },
      { line: 2, cells: [tricky, "chính thức"] },
    ]);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.rows.map((r) => r.name)).toEqual(["Nguyễn Văn An"]);
  });
});

describe("a chat profile's name", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(async () => h.close());

  it("is stored without them", async () => {
    const actor = await h.actor("rtl", `${RLO}lanoitanretnI kcolb`);
    expect(actor.person.displayName).toBe("lanoitanretnI kcolb");
  });
});

describe("short names on buttons", () => {
  it("uses the given name, and more of the name where two share it", () => {
    expect(shortNames(["Nguyễn Văn Hùng", "Phạm Thị Hoa", "Lê Văn Hoa", "Trần Thị Hoa", "Bùi Thị Hoa"])).toEqual([
      "Hùng",
      "Phạm Thị Hoa",
      "Văn Hoa",
      "Trần Thị Hoa",
      "Bùi Thị Hoa",
    ]);
    expect(shortNames(["Phạm Thị Hoa", "Lê Văn Hoa"])).toEqual(["Thị Hoa", "Văn Hoa"]);
  });
});
