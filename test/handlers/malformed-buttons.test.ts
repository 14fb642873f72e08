import type { NoticeRenderer } from "../../handlers/framework/context.ts";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { joinRequestNotice } from "../../handlers/codes.ts";
import { answerPayload, commandPayload, inBranchPayload } from "../../handlers/framework/command-button.ts";
import { features } from "../../handlers/index.ts";
import { minutesButton } from "../../handlers/resolutions.ts";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { isUuid, payloadPrefix } from "../../src/core/payload.ts";
import { buttons, createHarness, plain, type Harness, type Speaker } from "../helpers/harness.ts";

/**
 * Anyone who can see a button can send back any callback data. Every button the features
 * build is collected from a real session (and from every notice renderer), then each id in
 * it is damaged: whatever the prefix, the answer must be the old-button text, never the
 * apology for an internal error, and nothing may be logged as a failure.
 */
const errors: string[] = [];
const logger = pino(
  { level: "error" },
  new Writable({
    write(chunk, _encoding, done) {
      errors.push(String(chunk));
      done();
    },
  }),
);

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ seedDemo: true, logger });
  h.clock.set("2026-11-25T00:00:00Z");
  await h.core.planner.ensureOccurrences();
  // An hour before the demo meeting of 3 December (19:30 in Vietnam): the roll call is open.
  h.clock.set("2026-12-03T11:40:00Z");
});
afterAll(async () => h.close());

const secretary: Speaker = { id: "secretary" };
const admin: Speaker = { id: "admin" };
const hoa: Speaker = { id: "hoa" };
const committee: Speaker = { id: "committee" };
const supervisor: Speaker = { id: "supervisor" };

const SOME_ID = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const MALFORMED = ["99999999999999999999", "x", "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4", "6f1b2c3d4e5f4a6b8c7d9e0f1a2b3c4dzz", "'--", "%00"];

/** Every payload a person can be shown: what the commands answer, one level of presses, and every notice. */
async function collectPayloads(): Promise<Map<string, Speaker>> {
  const found = new Map<string, Speaker>();
  const keep = (who: Speaker, replies: OutgoingMessage[]) => {
    for (const b of buttons(replies)) if (!found.has(b.payload)) found.set(b.payload, who);
  };
  const sessions: Array<[Speaker, string[]]> = [
    [secretary, ["/start", "/help", "/lichhop", "/thanhvien", "/chibo", "/diemdanh", "/nghiquyet", "/toi", "/ngonngu", "/baocao", "/canhbao"]],
    [committee, ["/lichhop", "/diemdanh"]],
    [hoa, ["/lichhop", "/toi", "/nghiquyet"]],
    [admin, ["/quantri"]],
    [supervisor, ["/canhbao", "/baocao"]],
  ];
  for (const [who, commands] of sessions) {
    for (const command of commands) {
      const replies = await h.command(who, command);
      keep(who, replies);
      // One level down, for the buttons that only appear on a second screen (a member's card, an org unit).
      for (const b of buttons(replies).slice(0, 12)) {
        if (/^(ro:(m|p|inv)|qt:u|mt:(ics|mg)|dc:p|br:|cfg:show)/.test(b.payload)) keep(who, await h.press(who, b.payload));
      }
      await h.command(who, "/start");
    }
  }
  keep(secretary, await h.pressNumberOf(secretary, "/thanhvien", "Phạm Thị Hoa"));
  // The group link is offered only in a Telegram group.
  keep(secretary, [{ blocks: [], actions: [[{ label: "", payload: `gl:${SOME_ID}` }]] }]);
  keep(secretary, [joinRequestNotice(h.i18n.t("vi"), { requestId: SOME_ID, name: "Người lạ", claimName: null, branchName: "Chi bộ" })]);
  keep(secretary, [{ blocks: [], actions: [[minutesButton(h.i18n.t("vi"), SOME_ID)]] }]);
  const params = {
    meetingId: SOME_ID,
    taskId: SOME_ID,
    alertId: SOME_ID,
    visitId: SOME_ID,
    requestId: SOME_ID,
    meetingKind: "regular",
    branchName: "Chi bộ",
    startsAt: "2026-12-03T12:30:00Z",
    previousStartsAt: "2026-12-02T12:30:00Z",
    timezone: "Asia/Ho_Chi_Minh",
    dueOn: "2026-12-20",
    description: "Việc",
    tasks: "[]",
    format: "text",
    body: "Nội dung",
  };
  for (const feature of features) {
    // Every renderer with one bag of every kind's parameters: only their buttons matter here.
    for (const render of Object.values(feature.notices ?? {}) as NoticeRenderer[]) keep(hoa, [render(params, h.i18n.t("vi"), "vi")]);
  }
  keep(secretary, [{ blocks: [], actions: [[{ label: "", payload: inBranchPayload.encode({ command: "lichhop", branch: SOME_ID }) }]] }]);
  return found;
}

/** The payload with its id fields (and every other field, one at a time) damaged. */
function damaged(payload: string): Array<{ data: string; idDamaged: boolean }> {
  const [prefix, ...fields] = payload.split(":");
  const out: Array<{ data: string; idDamaged: boolean }> = [];
  fields.forEach((field, index) => {
    // Every kind of damage to an id; a plain field (an operation, a page) gets two.
    for (const bad of isUuid(field) ? MALFORMED : MALFORMED.slice(0, 2)) {
      const copy = [...fields];
      copy[index] = bad;
      out.push({ data: [prefix, ...copy].join(":"), idDamaged: isUuid(field) });
    }
  });
  out.push({ data: [prefix, ...fields.map((f) => (isUuid(f) ? MALFORMED[0]! : f))].join(":"), idDamaged: fields.some(isUuid) });
  return out;
}

describe("buttons with a malformed id", () => {
  it("read as an old button for every action prefix, and never as an internal error", { timeout: 120_000 }, async () => {
    const registered = new Set(features.flatMap((f) => Object.keys(f.actions ?? {})));
    const collected = await collectPayloads();
    const covered = new Set([...collected.keys()].map(payloadPrefix));
    // The session reached a real button of every feature that has buttons.
    for (const prefix of registered) expect(covered, `no ${prefix}: button was collected`).toContain(prefix);

    // A forged language button may have switched someone to English: both languages count.
    const stale = ["vi", "en"].map((l) => h.i18n.t(l as "vi")("fallback:staleButton"));
    const apology = ["vi", "en"].map((l) => h.i18n.t(l as "vi")("common:unexpectedError"));
    const forged = new Map<string, { who: Speaker; idDamaged: boolean }>();
    // One button of each shape: the fifteen member numbers of a roster page are one shape.
    const shapes = new Map<string, [string, Speaker]>();
    for (const [payload, who] of collected)
      shapes.set(
        payload
          .split(":")
          .map((f) => (isUuid(f) ? "#" : f))
          .join(":"),
        [payload, who],
      );
    for (const [payload, who] of shapes.values()) {
      for (const { data, idDamaged } of damaged(payload)) if (!forged.has(data)) forged.set(data, { who, idDamaged });
    }
    // And the bare shapes, for prefixes whose real buttons the session may not show this month.
    for (const prefix of [...registered, commandPayload.prefix, inBranchPayload.prefix, answerPayload.prefix]) {
      for (const tail of ["99999999999999999999", "x:99999999999999999999", "x:99999999999999999999:x", "x:99999999999999999999:x:0", ""]) {
        forged.set(`${prefix}:${tail}`, { who: secretary, idDamaged: false });
      }
    }
    expect(forged.size).toBeGreaterThan(300);

    const wrong: string[] = [];
    for (const [data, { who, idDamaged }] of forged) {
      const before = errors.length;
      const replies = await h.press(who, data);
      // A forged answer may have opened a question; the next forgery starts clean.
      await h.core.dialogs.clear((await h.actor(who.id)).person.id);
      const text = plain(replies);
      if (errors.length > before || apology.some((a) => text.includes(a))) wrong.push(`${data}: error`);
      else if (idDamaged && !stale.some((s) => text.includes(s))) wrong.push(`${data}: ${text.slice(0, 80)}`);
    }
    expect(wrong).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("the reported one: a calendar button with a 20-digit id", async () => {
    const text = plain(await h.press(hoa, "mt:ics:99999999999999999999"));
    expect(text).toContain("Nút này đã cũ hoặc không còn dùng được");
  });
});
