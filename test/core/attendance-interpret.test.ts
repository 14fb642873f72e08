import { describe, expect, it } from "vitest";
import { interpretReply, type Interpretation } from "../../src/core/attendance/interpret.ts";

const yes: Interpretation = { kind: "answer", answer: "yes" };
const maybe: Interpretation = { kind: "answer", answer: "maybe" };
const no = (reason?: string): Interpretation => (reason ? { kind: "answer", answer: "no", reason } : { kind: "answer", answer: "no" });
const ask: Interpretation = { kind: "ambiguous", answers: ["yes", "no"] };
const when: Interpretation = { kind: "question", about: "when" };
const where: Interpretation = { kind: "question", about: "where" };
const unknown: Interpretation = { kind: "unknown" };

/** How members of a residential branch answer a notice, and what Chibo must read from it. */
const TABLE: Array<[string, Interpretation]> = [
  // Present, with and without diacritics, courtesy words and short forms.
  ["có", yes], ["Có", yes], ["co", yes], ["CÓ", yes], ["có ạ", yes], ["co a", yes], ["dạ có", yes], ["da co", yes],
  ["Dạ có ạ", yes], ["vâng", yes], ["Vâng", yes], ["Vâng ạ", yes], ["dạ vâng", yes], ["dạ", yes], ["có mặt", yes],
  ["co mat", yes], ["Em có mặt ạ", yes], ["bác sẽ có mặt", yes], ["sẽ có mặt đúng giờ", yes], ["có mặt đúng giờ", yes],
  ["1", yes], ["1.", yes], ["số 1", yes], ["1 ạ", yes], ["👍", yes], ["👍🏻", yes], ["👌", yes], ["✅", yes],
  ["ok", yes], ["Oke", yes], ["okie", yes], ["được", yes], ["dc", yes], ["đc ạ", yes], ["đi được", yes], ["di dc", yes],
  ["sẽ đi", yes], ["em đi", yes], ["tôi sẽ đến", yes], ["se den", yes], ["tham dự", yes], ["sẽ tham dự ạ", yes],
  ["đồng ý", yes], ["nhất trí", yes], ["ừ", yes], ["uh", yes], ["không vắng đâu", yes], ["Thưa bí thư, em có mặt ạ", yes],
  ["có nhé", yes], ["có!", yes], ["Có.", yes],
  // Absent, the reason in the member's own words.
  ["2", no()], ["vắng", no()], ["Vắng ạ", no()], ["xin vắng", no()], ["báo vắng", no()], ["không", no()], ["ko", no()],
  ["k", no()], ["không ạ", no()], ["nghỉ", no()], ["👎", no()], ["❌", no()], ["không đi được", no()], ["ko di dc", no()],
  ["khong di duoc", no()], ["không đến được ạ", no()], ["không tham dự được", no()], ["em không dự được", no()],
  ["vắng vì ốm", no("ốm")], ["vang vi om", no("om")], ["vắng: ốm", no("ốm")], ["vắng:ốm", no("ốm")],
  ["vắng, lý do là đi viện", no("đi viện")], ["2 vì ốm", no("ốm")], ["2 - con ốm", no("con ốm")],
  ["không đi được vì con ốm", no("con ốm")], ["Dạ em không đi được do đi công tác ạ", no("đi công tác")],
  ["ko dc vi ban", no("ban")], ["không, vì đi xa", no("đi xa")], ["xin phép vắng vì bận việc nhà", no("bận việc nhà")],
  ["bận", no("bận")], ["bận ạ", no("bận")], ["ban", no("ban")], ["em bận việc nhà", no("bận việc nhà")],
  ["ốm", no("ốm")], ["bị ốm", no("bị ốm")], ["om", no("om")], ["đang nằm viện", no("đang nằm viện")],
  ["có việc bận", no("có việc bận")], ["co viec rieng", no("co viec rieng")], ["hôm đó em đi công tác", no("đi công tác")],
  ["về quê", no("về quê")], ["con ốm", no("con ốm")], ["Bác mệt, xin nghỉ", no("mệt, xin nghỉ")], ["không được", no()],
  ["không được vì trực", no("trực")], ["xin vắng mặt ạ", no()], ["vắng mặt vì có khách", no("có khách")],
  // Unsure.
  ["3", maybe], ["chưa chắc", maybe], ["chua chac", maybe], ["chưa chắc ạ", maybe], ["chưa biết", maybe], ["có thể", maybe],
  ["có lẽ", maybe], ["để em xem", maybe], ["sẽ cố gắng", maybe], ["không biết có đi được không", maybe], ["không chắc", maybe],
  ["co the khong di duoc", maybe],
  // Meaning hangs on the diacritics the member did not type: ask, never guess.
  ["vang", ask], ["Vang", ask], ["vang a", ask], ["da vang", ask], ["vang.", ask],
  // Questions about the meeting.
  ["họp khi nào", when], ["hop khi nao", when], ["Mấy giờ họp?", when], ["may gio hop", when], ["bao giờ họp ạ", when],
  ["họp ngày nào vậy", when], ["họp ở đâu", where], ["hop o dau", where], ["Họp ở đâu ạ?", where], ["địa điểm họp", where],
  ["có mặt lúc mấy giờ", when],
  // Not an answer: a question back to the member, never a recording.
  ["", unknown], ["   ", unknown], ["cảm ơn", unknown], ["không sao", unknown], ["chào bác", unknown], ["cô", unknown],
  ["có, nhưng đến muộn", unknown], ["có ai đi chợ không", unknown], ["hôm nay trời đẹp", unknown], ["4", unknown],
  ["vắng người quá nhỉ các bác", unknown], ["vang do di cong tac Ha Noi", no("di cong tac Ha Noi")],
  ["Xin vắng: con ốm nằm viện", no("con ốm nằm viện")], ["Vắng vì ốm.", no("ốm")], ["Tham dự", yes], ["12", unknown], ["vàng", unknown], ["hello", unknown], ["😀", unknown],
];

describe("reading a typed answer to a meeting notice", () => {
  it("has a table of at least 100 phrases", () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(100);
  });
  it.each(TABLE)("%j", (input, expected) => {
    expect(interpretReply(input)).toEqual(expected);
  });
  it("never records a guess where the diacritics decide", () => {
    for (const text of ["vang", "Vang ạ", "dạ vang"]) expect(interpretReply(text).kind).toBe("ambiguous");
    expect(interpretReply("vâng")).toEqual(yes);
    expect(interpretReply("vắng")).toEqual(no());
  });
});
