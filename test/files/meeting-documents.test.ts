import mammoth from "mammoth";
import { beforeAll, describe, expect, it } from "vitest";
import { countMinutes, type RollCallEntry, type RosterAtMeeting } from "../../src/core/attendance/counts.ts";
import type { MeetingDocumentData } from "../../src/core/resolutions/types.ts";
import { writeMinutesDocx, writeResolutionDocx } from "../../src/files/meeting-documents.ts";
import { createI18n, type I18n } from "../../src/i18n.ts";

// Khu phố 10: 13 members. One elderly member is exempt; two are away with a reason and the
// probationary member stayed away without one; a comrade from the ward committee attends.
const members: Array<[name: string, type: "full" | "probationary", status: RosterAtMeeting["status"], roll: Omit<RollCallEntry, "membershipId">]> = [
  ["Nguyễn Văn Hùng", "full", "active", { present: true, absence: null, reason: null }],
  ["Trần Thị Mai", "full", "active", { present: true, absence: null, reason: null }],
  ["Lê Văn Tám", "full", "active", { present: true, absence: null, reason: null }],
  ["Phạm Thị Lan", "full", "active", { present: true, absence: null, reason: null }],
  ["Hoàng Văn Nam", "full", "active", { present: true, absence: null, reason: null }],
  ["Võ Thị Hoa", "full", "active", { present: true, absence: null, reason: null }],
  ["Đặng Quốc Bảo", "full", "active", { present: true, absence: null, reason: null }],
  ["Bùi Thị Thu", "full", "active", { present: true, absence: null, reason: null }],
  ["Ngô Minh Đức", "full", "attached", { present: true, absence: null, reason: null }],
  ["Đỗ Văn Sáu", "full", "exempt", { present: false, absence: null, reason: null }],
  ["Lý Thị Hạnh", "full", "active", { present: false, absence: "excused", reason: "Ốm, đang nằm viện" }],
  ["Trương Văn Lực", "full", "active", { present: false, absence: "excused", reason: "Đi công tác Hà Nội" }],
  ["La Văn Sơn", "probationary", "active", { present: false, absence: "unexcused", reason: null }],
];
const roster: RosterAtMeeting[] = members.map(([name, memberType, status], i) => ({
  membershipId: `m${i}`,
  name,
  memberType,
  status,
  expected: status !== "exempt",
}));
const rollCall: RollCallEntry[] = members.map(([, , , roll], i) => ({ membershipId: `m${i}`, ...roll }));
const guestNames = ["Đ/c Trần Văn Giám sát"];
const counts = countMinutes(roster, rollCall, guestNames.length);

const tasks = [
  { ownerMembershipId: "m2", ownerName: "Lê Văn Tám", description: "Vận động các hộ đóng góp Quỹ vì người nghèo", dueOn: "2026-12-20" },
  { ownerMembershipId: "m3", ownerName: "Phạm Thị Lan", description: "Tổ chức tổng vệ sinh khu phố đón Tết", dueOn: "2027-01-10" },
];

function meeting(overrides: Partial<MeetingDocumentData> = {}): MeetingDocumentData {
  return {
    orgUnitName: "Đảng ủy phường Bến Nghé",
    branchName: "Chi bộ Khu phố 10",
    meetingKind: "regular",
    // 19:30 in Hồ Chí Minh City; 07:30 in New York, where the tests run.
    startsAt: new Date("2026-12-03T12:30:00Z"),
    timezone: "Asia/Ho_Chi_Minh",
    place: "Nhà văn hóa khu phố 10, số 12 Ngõ 5",
    locality: "Bến Nghé",
    agenda: "Kiểm điểm nhiệm vụ tháng 11\nTriển khai nhiệm vụ tháng 12",
    thematicTopic: null,
    counts,
    presentNames: rollCall.filter((r) => r.present).map((r) => roster.find((m) => m.membershipId === r.membershipId)!.name),
    guestNames,
    chairName: "Nguyễn Văn Hùng",
    minuteTakerName: "Trần Thị Mai",
    resolution: {
      number: 1,
      content: {
        format: "form",
        body: "Chi bộ giao chi ủy theo dõi việc thực hiện.",
        results: "Hoàn thành 100% chỉ tiêu thu đảng phí.\nVận động 45 hộ đăng ký gia đình văn hóa.",
        tasks,
        votes: { for: 8, against: 1, abstain: 0 },
      },
      votingBase: counts.votingBase,
      valid: true,
    },
    ...overrides,
  };
}

async function text(bytes: Uint8Array): Promise<string> {
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
  return value;
}
/** Table cells come back as separate paragraphs: compare with the whitespace squeezed. */
const flat = (s: string) => s.replace(/\s+/g, " ");

let i18n: I18n;
beforeAll(async () => {
  i18n = await createI18n();
});

describe("the demo meeting's counts", () => {
  it("are what the roll call gives", () => {
    expect(counts).toMatchObject({
      total: 13,
      full: 12,
      probationary: 1,
      attached: 1,
      exempt: 1,
      transferredOut: 0,
      expected: 12,
      present: 9,
      guests: 1,
      rate: 0.75,
      votingBase: 9,
    });
    expect(counts.absentUnexcused).toEqual(["La Văn Sơn"]);
  });
});

describe("writeMinutesDocx", () => {
  it("writes the minutes in the template's layout and words", async () => {
    const minutes = await text(await writeMinutesDocx(meeting(), i18n.t("vi"), "vi"));
    const squeezed = flat(minutes);

    expect(minutes).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
    expect(minutes).toContain("ĐẢNG ỦY PHƯỜNG BẾN NGHÉ");
    expect(minutes).toContain("CHI BỘ KHU PHỐ 10");
    expect(minutes).not.toContain("CHI BỘ CHI BỘ");
    // The branch's locality and day, not the venue's address nor New York's day.
    expect(minutes).toContain("Bến Nghé, ngày 03 tháng 12 năm 2026");
    expect(minutes).not.toContain("Ngõ 5, ngày");
    expect(minutes).toContain("BIÊN BẢN");
    expect(minutes).toContain("Họp chi bộ thường kỳ tháng 12/2026");
    expect(minutes).toContain("bắt đầu lúc 19 giờ 30, ngày 03/12/2026");
    expect(minutes).toContain("Địa điểm: Nhà văn hóa khu phố 10, số 12 Ngõ 5.");

    for (const line of [
      `Tổng số đảng viên của chi bộ: ${counts.total} đồng chí`,
      `Đảng viên chính thức: ${counts.full}`,
      `Đảng viên dự bị: ${counts.probationary}`,
      `Đảng viên sinh hoạt tạm thời đến: ${counts.attached}`,
      `Đảng viên được miễn sinh hoạt: ${counts.exempt}`,
      `Đảng viên chuyển sinh hoạt tạm thời đi: ${counts.transferredOut}`,
      `Số đảng viên phải có mặt: ${counts.expected} đồng chí`,
      `Có mặt: ${counts.present} đồng chí`,
      "Vắng có lý do: 2 đồng chí",
      "Đồng chí Lý Thị Hạnh: Ốm, đang nằm viện",
      "Đồng chí Trương Văn Lực: Đi công tác Hà Nội",
      "Vắng không có lý do: 1 đồng chí",
      "Gồm các đồng chí: La Văn Sơn.",
      "Khách mời: 1",
      "Gồm: Đ/c Trần Văn Giám sát.",
      "Tỉ lệ dự họp: 75,0%",
    ]) {
      expect(minutes, line).toContain(line);
    }
    expect(minutes).toContain("Nguyễn Văn Hùng, Trần Thị Mai, Lê Văn Tám");
    expect(minutes).toContain("Chủ trì: đồng chí Nguyễn Văn Hùng");
    expect(minutes).toContain("Thư ký: đồng chí Trần Thị Mai");
    expect(minutes).toContain("Kiểm điểm nhiệm vụ tháng 11\n\nTriển khai nhiệm vụ tháng 12");

    expect(minutes).toContain("Kết quả tháng trước:");
    expect(minutes).toContain("Hoàn thành 100% chỉ tiêu thu đảng phí.\n\nVận động 45 hộ");
    expect(minutes).toContain("Nhiệm vụ tháng tới:");
    expect(squeezed).toContain("TT Nội dung nhiệm vụ Người thực hiện Thời hạn");
    expect(squeezed).toContain("1 Vận động các hộ đóng góp Quỹ vì người nghèo Lê Văn Tám 20/12/2026");
    expect(squeezed).toContain("2 Tổ chức tổng vệ sinh khu phố đón Tết Phạm Thị Lan 10/01/2027");
    expect(minutes).toContain("Nội dung khác:\n\nChi bộ giao chi ủy theo dõi việc thực hiện.");

    expect(minutes).toContain("Số đảng viên có quyền biểu quyết: 9");
    expect(minutes).toContain("Tán thành: 8 (88,9%), Không tán thành: 1 (11,1%), Không biểu quyết/Ý kiến khác: 0 (0,0%)");
    expect(minutes).toContain("Nghị quyết được thông qua (số phiếu tán thành quá một nửa số đảng viên có quyền biểu quyết).");
    expect(minutes).toContain("Cuộc họp kết thúc lúc ….. giờ ….. cùng ngày.");

    expect(squeezed).toMatch(/THƯ KÝ \(Ký, ghi rõ họ tên\) Trần Thị Mai CHỦ TRÌ \(Ký, ghi rõ họ tên\) Nguyễn Văn Hùng/);
    expect(minutes).not.toContain("documents:");
  });

  it("lists an exempt member who came all the same apart, outside the count and the rate", async () => {
    const came = rollCall.map((r) => (r.membershipId === "m9" ? { ...r, present: true } : r));
    const apart = countMinutes(roster, came, guestNames.length);
    const doc = flat(await text(await writeMinutesDocx(meeting({ counts: apart }), i18n.t("vi"), "vi")));
    expect(doc).toContain("Dự họp nhưng không tính vào số phải có mặt: 1 đồng chí");
    expect(doc).toContain("+ Đồng chí Đỗ Văn Sáu (miễn sinh hoạt)");
    // The same present count and rate as without him.
    expect(apart.present).toBe(counts.present);
    expect(apart.rate).toBe(counts.rate);
  });

  it("says when the resolution failed or the vote was not recorded", async () => {
    const base = meeting().resolution!;
    const failed = await text(
      await writeMinutesDocx(
        meeting({ resolution: { ...base, content: { ...base.content, votes: { for: 4, against: 3, abstain: 2 } }, valid: false } }),
        i18n.t("vi"),
        "vi",
      ),
    );
    expect(failed).toContain("Tán thành: 4 (44,4%), Không tán thành: 3 (33,3%), Không biểu quyết/Ý kiến khác: 2 (22,2%)");
    expect(failed).toContain("Nghị quyết chưa đủ số phiếu để thông qua");
    expect(failed).not.toContain("Nghị quyết được thông qua");

    const unrecorded = await text(
      await writeMinutesDocx(meeting({ resolution: { ...base, content: { ...base.content, votes: null }, valid: null } }), i18n.t("vi"), "vi"),
    );
    expect(unrecorded).toContain("Kết quả biểu quyết chưa được ghi lại.");
    expect(unrecorded).not.toContain("Tán thành:");
    expect(unrecorded).not.toContain("thông qua");
    expect(unrecorded).not.toContain("documents:");
  });

  it("writes a free-text resolution one paragraph a line", async () => {
    const body =
      "Chi bộ thống nhất đánh giá tháng 11 hoàn thành tốt nhiệm vụ.\n\nTháng 12 tập trung chăm lo Tết cho hộ nghèo.\r\nGiao chi ủy phân công cụ thể.\n";
    const data = meeting({
      resolution: {
        number: 12,
        content: { format: "text", body, results: null, tasks: [], votes: { for: 8, against: 1, abstain: 0 } },
        votingBase: 9,
        valid: true,
      },
    });
    const minutes = await text(await writeMinutesDocx(data, i18n.t("vi"), "vi"));
    expect(minutes).toContain(
      "Chi bộ thống nhất đánh giá tháng 11 hoàn thành tốt nhiệm vụ.\n\nTháng 12 tập trung chăm lo Tết cho hộ nghèo.\n\nGiao chi ủy phân công cụ thể.\n\n",
    );
    expect(minutes).not.toContain("Nhiệm vụ tháng tới:");
    expect(minutes).not.toContain("Kết quả tháng trước:");

    const resolution = await text(await writeResolutionDocx(data, i18n.t("vi"), "vi"));
    expect(resolution).toContain("I. NỘI DUNG NGHỊ QUYẾT\n\nChi bộ thống nhất đánh giá tháng 11 hoàn thành tốt nhiệm vụ.\n\nTháng 12 tập trung");
    expect(resolution).toContain("II. TỔ CHỨC THỰC HIỆN");
    expect(resolution).not.toContain("NHIỆM VỤ THÁNG TỚI");
    expect(resolution).toContain("Số: 12-NQ/CB");
  });

  it("leaves lines to fill in by hand for a missing locality, place, rate, chair and minute-taker", async () => {
    const data = meeting({
      place: null,
      locality: null,
      chairName: null,
      minuteTakerName: null,
      agenda: null,
      counts: { ...counts, rate: null },
      resolution: null,
    });
    const minutes = await text(await writeMinutesDocx(data, i18n.t("vi"), "vi"));
    expect(minutes).toContain("……………………………, ngày 03 tháng 12 năm 2026");
    expect(minutes).toContain("Địa điểm: ……");
    expect(minutes).toContain("Tỉ lệ dự họp: –");
    expect(minutes).toContain("Chủ trì: đồng chí ……");
    expect(minutes).toContain("Thư ký: đồng chí ……");
    expect(minutes).not.toContain("Biểu quyết:");
    expect(minutes).not.toContain("null");
    expect(minutes).not.toContain("documents:");
  });

  it("never dates the documents from the venue, even when no locality is set", async () => {
    const data = meeting({ locality: null });
    for (const write of [writeMinutesDocx, writeResolutionDocx]) {
      const written = await text(await write(data, i18n.t("vi"), "vi"));
      expect(written).toContain("……………………………, ngày 03 tháng 12 năm 2026");
      expect(written).not.toContain("Ngõ 5, ngày");
    }
  });

  it("dates a meeting by the branch's calendar across the New Year", async () => {
    // 01:30 on 1 January in Hồ Chí Minh City is still 31 December in New York and in UTC.
    const minutes = await text(
      await writeMinutesDocx(
        meeting({ startsAt: new Date("2026-12-31T18:30:00Z"), meetingKind: "thematic", thematicTopic: "Học tập Nghị quyết Đại hội" }),
        i18n.t("vi"),
        "vi",
      ),
    );
    expect(minutes).toContain("ngày 01 tháng 01 năm 2027");
    expect(minutes).toContain("Họp chi bộ chuyên đề tháng 01/2027");
    expect(minutes).toContain("Chuyên đề: Học tập Nghị quyết Đại hội");
    expect(minutes).toContain("01 giờ 30, ngày 01/01/2027");
  });

  it("writes English for an English-speaking reader", async () => {
    const minutes = await text(await writeMinutesDocx(meeting(), i18n.t("en"), "en"));
    expect(minutes).toContain("COMMUNIST PARTY OF VIET NAM");
    expect(minutes).toContain("PARTY BRANCH KHU PHỐ 10");
    expect(minutes).toContain("Bến Nghé, 03/12/2026");
    expect(minutes).toContain("MINUTES");
    expect(minutes).toContain("Regular meeting of the Party branch, 12/2026");
    expect(minutes).toContain("started at 19:30, 03/12/2026");
    expect(minutes).toContain("Party members of the branch: 13 comrades");
    expect(minutes).toContain("Absent without a reason: 1 comrade");
    expect(minutes).toContain("Attendance rate: 75.0%");
    expect(minutes).toContain("For: 8 (88.9%), Against: 1 (11.1%), Abstained/Other opinions: 0 (0.0%)");
    expect(minutes).toContain("The resolution is adopted");
    expect(minutes).not.toContain("Tán thành");
    expect(minutes).not.toContain("documents:");

    const resolution = await text(await writeResolutionDocx(meeting(), i18n.t("en"), "en"));
    expect(resolution).toContain("COMMUNIST PARTY OF VIET NAM");
    expect(resolution).toContain("RESOLUTION");
    expect(resolution).toContain("No. 01-NQ/CB");
    expect(resolution).toContain("ON BEHALF OF THE BRANCH");
    expect(resolution).not.toContain("documents:");
  });

  it("gives a DOCX (zip) file", async () => {
    const bytes = await writeMinutesDocx(meeting(), i18n.t("vi"), "vi");
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(bytes.subarray(0, 2))).toBe("PK");
  });
});

describe("writeResolutionDocx", () => {
  it("writes the resolution in the template's layout and words", async () => {
    const bytes = await writeResolutionDocx(meeting(), i18n.t("vi"), "vi");
    expect(new TextDecoder().decode(bytes.subarray(0, 2))).toBe("PK");
    const resolution = await text(bytes);
    const squeezed = flat(resolution);

    expect(resolution).toContain("ĐẢNG CỘNG SẢN VIỆT NAM");
    expect(resolution).toContain("ĐẢNG ỦY PHƯỜNG BẾN NGHÉ");
    expect(resolution).toContain("CHI BỘ KHU PHỐ 10");
    expect(resolution).toContain("Bến Nghé, ngày 03 tháng 12 năm 2026");
    // The number stands under the issuing branch, as on the paper templates.
    expect(squeezed).toContain("ĐẢNG ỦY PHƯỜNG BẾN NGHÉ CHI BỘ KHU PHỐ 10 * Số: 01-NQ/CB");
    expect(resolution).toContain("NGHỊ QUYẾT\n\nChi bộ Khu phố 10 tháng 12/2026");
    expect(resolution).toContain("Căn cứ kết quả cuộc họp chi bộ ngày 03/12/2026;");
    expect(resolution).toContain("Số đảng viên có quyền biểu quyết: 9");
    expect(resolution).toContain("Tán thành: 8 (88,9%), Không tán thành: 1 (11,1%), Không biểu quyết/Ý kiến khác: 0 (0,0%)");
    expect(resolution).toContain("Nghị quyết được thông qua");
    expect(resolution).toContain("CHI BỘ QUYẾT NGHỊ:");
    expect(resolution).toContain("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ THÁNG TRƯỚC\n\nHoàn thành 100% chỉ tiêu thu đảng phí.");
    expect(resolution).toContain("II. NHIỆM VỤ THÁNG TỚI");
    expect(squeezed).toContain("1 Vận động các hộ đóng góp Quỹ vì người nghèo Lê Văn Tám 20/12/2026");
    expect(squeezed).toContain("2 Tổ chức tổng vệ sinh khu phố đón Tết Phạm Thị Lan 10/01/2027");
    expect(resolution).toContain("III. CÁC NỘI DUNG KHÁC\n\nChi bộ giao chi ủy theo dõi việc thực hiện.");
    expect(resolution).toContain("IV. TỔ CHỨC THỰC HIỆN\n\nCác đồng chí đảng viên trong chi bộ có trách nhiệm thực hiện nghị quyết này.");
    expect(squeezed).toContain("Nơi nhận: - Đảng ủy phường Bến Nghé (để báo cáo), - Đảng viên trong chi bộ, - Lưu chi bộ. T/M CHI BỘ BÍ THƯ Nguyễn Văn Hùng");
    expect(resolution).not.toContain("documents:");
  });

  it("says so when the vote was not recorded", async () => {
    const base = meeting().resolution!;
    const resolution = await text(
      await writeResolutionDocx(meeting({ resolution: { ...base, content: { ...base.content, votes: null }, valid: null } }), i18n.t("vi"), "vi"),
    );
    expect(resolution).toContain("Kết quả biểu quyết chưa được ghi lại.");
    expect(resolution).not.toContain("Tán thành:");
  });

  it("refuses a meeting without a resolution", async () => {
    await expect(writeResolutionDocx(meeting({ resolution: null }), i18n.t("vi"), "vi")).rejects.toThrow(/no resolution/);
  });
});
