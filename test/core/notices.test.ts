import { describe, expect, it } from "vitest";
import { NOTICE_KINDS, type TypedNotice } from "../../src/core/notices.ts";
import { noticeRenderers } from "../../handlers/index.ts";

describe("the notice contract", () => {
  it("checks a notice's parameters against its kind when it is written", () => {
    const done: TypedNotice = { kind: "task.done", params: { owner: "Phạm Thị Hoa", description: "Thu đảng phí", by: "Nguyễn Văn Hùng" } };
    // @ts-expect-error a "task.done" notice says who marked the task done
    const missing: TypedNotice = { kind: "task.done", params: { owner: "Phạm Thị Hoa", description: "Thu đảng phí" } };
    // @ts-expect-error no such kind
    const unknown: TypedNotice = { kind: "task.lost", params: {} };
    expect([done, missing, unknown]).toHaveLength(3);
  });

  it("has a renderer for every kind", () => {
    expect(Object.keys(noticeRenderers).sort()).toEqual([...NOTICE_KINDS].sort());
  });
});
