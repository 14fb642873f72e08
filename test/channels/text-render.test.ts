import { describe, expect, it } from "vitest";
import { renderAsText } from "../../src/channels/text-render.ts";
import { typedNumber, typedNumbers } from "../../src/core/conversation/choices.ts";
import { list, message, navigation, text } from "../../src/core/message.ts";
import { createI18n } from "../../src/i18n.ts";

const t = (await createI18n()).t("vi");
const a = (label: string, payload: string) => ({ label, payload });

describe("a message for a channel without buttons", () => {
  it("numbers the choices, then navigation apart, and says how to pick", () => {
    const shown = renderAsText(
      message(
        [text("Chọn:")],
        [
          [a("Có", "rs:y"), a("Vắng", "rs:n")],
          [navigation(a("◀ Trước", "p:0")), navigation(a("Sau ▶", "p:2"))],
        ],
      ),
      t,
    );
    expect(shown.text).toBe("Chọn:\n\n1. Có\n2. Vắng\n\n3. ◀ Trước\n4. Sau ▶\n\nGõ một số từ 1 đến 4 để chọn.");
    expect(shown.choices).toEqual(["rs:y", "rs:n", "p:0", "p:2"]);
  });

  it("keeps the numbers of a numbered list's own buttons, with gaps on a later page", () => {
    const shown = renderAsText(message([list(["16. An", "17. Bình"])], [[a("16", "m:a"), a("17", "m:b")], [a("➕ Thêm", "add")]]), t);
    expect(shown.text).toBe("• 16. An\n• 17. Bình\n\nGõ số thứ tự trong danh sách (16–17) để chọn dòng đó.\n\n18. ➕ Thêm\n\nGõ một số từ 16 đến 18 để chọn.");
    expect(shown.choices.slice(15)).toEqual(["m:a", "m:b", "add"]);
    expect(shown.choices[0]).toBe("");
  });

  it("does not number twice a label that begins with its own number", () => {
    const shown = renderAsText(message([text("Xếp hạng:")], [[a("1. Chi bộ Khu phố 10", "r:1")], [a("2. Chi bộ Khu phố 3", "r:2")], [a("9. Khác", "x")]]), t);
    expect(shown.text).toBe("Xếp hạng:\n\n1. Chi bộ Khu phố 10\n2. Chi bộ Khu phố 3\n3. 9. Khác\n\nGõ một số từ 1 đến 3 để chọn.");
  });

  it("numbers a message's choices after a list the chat is still reading, unless it has its own list", () => {
    const shown = renderAsText(message([text("Cảnh báo mới")], [[a("Xem", "cb:1")], [a("Để sau", "cb:2")]]), t, 3);
    expect(shown.text).toBe("Cảnh báo mới\n\n4. Xem\n5. Để sau\n\nGõ một số từ 4 đến 5 để chọn.");
    expect(shown.choices).toEqual(["", "", "", "cb:1", "cb:2"]);
    expect(shown.continues).toBe(true);
    const own = renderAsText(message([list(["1. An", "2. Bình"])], [[a("1", "m:a"), a("2", "m:b")]]), t, 3);
    expect(own.choices).toEqual(["m:a", "m:b"]);
    expect(own.continues).toBe(false);
  });

  it("says nothing of numbers when there is nothing to choose", () => {
    expect(renderAsText(message([text("Xong.")]), t)).toEqual({ text: "Xong.", choices: [], continues: false });
    expect(renderAsText(message([text("?")], [[a("Không nêu lý do", "ans:-")]]), t).text).toBe("?\n\n1. Không nêu lý do\n\nGõ 1 để chọn.");
  });
});

describe("a typed number", () => {
  it.each([
    ["2", 2],
    ["2.", 2],
    ["số 2", 2],
    ["So 12", 12],
    ["2 ạ", 2],
    [" 3 ", 3],
  ])("%j is %d", (input, n) => expect(typedNumber(input)).toBe(n));
  it.each(["2 vì ốm", "7 0 0", "123", "hai", "15/12", "0"])("%j is not a pick", (input) => expect(typedNumber(input)).toBeUndefined());
});

describe("several typed numbers", () => {
  it.each([
    ["1 3 5", [1, 3, 5]],
    ["1,3,5", [1, 3, 5]],
    ["số 1, 3 và 5", [1, 3, 5]],
    ["1 & 2", [1, 2]],
    ["2 4 ạ", [2, 4]],
    ["7", [7]],
  ])("%j is %j", (input, numbers) => expect(typedNumbers(input)).toEqual(numbers));
  it.each(["vắng 2 4", "2 vì ốm", "15/12", "hai ba"])("%j is not a list of numbers", (input) => expect(typedNumbers(input)).toBeUndefined());
});
