import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { createDownload, getDownload, pruneDownloads } from "../../src/store/queries/downloads.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { createTestDatabase } from "../helpers/test-db.ts";

const HOUR = 3600_000;
let handle: DatabaseHandle;
beforeAll(async () => {
  handle = await createTestDatabase();
});
afterAll(async () => handle.close());

const later = (clock: FakeClock, ms: number) => new Date(clock.now().getTime() + ms);

describe("download links in the store", () => {
  it("keep a few MB of bytes exactly as given", async () => {
    const clock = new FakeClock("2026-12-01T03:00:00Z");
    const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024));
    const id = await createDownload(handle.db, { filename: "Báo cáo.xlsx", mimeType: "application/x", bytes, expiresAt: later(clock, HOUR), at: clock.now() });
    const row = await getDownload(handle.db, { id, now: clock.now() });
    expect(row).toMatchObject({ filename: "Báo cáo.xlsx", mimeType: "application/x", expiresAt: later(clock, HOUR) });
    expect(Buffer.from(row!.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it("are not found once expired, nor when the id is unknown", async () => {
    const clock = new FakeClock("2026-12-01T03:00:00Z");
    const id = await createDownload(handle.db, {
      filename: "a.csv",
      mimeType: "text/csv",
      bytes: new Uint8Array([1]),
      expiresAt: later(clock, HOUR),
      at: clock.now(),
    });
    clock.advance(HOUR);
    expect(await getDownload(handle.db, { id, now: clock.now() })).toBeUndefined();
    expect(await getDownload(handle.db, { id: randomUUID(), now: clock.now() })).toBeUndefined();
  });

  it("pruning deletes expired rows only", async () => {
    const clock = new FakeClock("2027-01-10T03:00:00Z");
    // Rows left by the tests above expired in 2026 and are pruned here too.
    await pruneDownloads(handle.db, { before: clock.now() });
    const make = (ttl: number) =>
      createDownload(handle.db, { filename: "c.png", mimeType: "image/png", bytes: new Uint8Array([2]), expiresAt: later(clock, ttl), at: clock.now() });
    const short = await make(HOUR);
    const long = await make(3 * HOUR);
    clock.advance(2 * HOUR);
    expect(await pruneDownloads(handle.db, { before: clock.now() })).toBe(1);
    clock.set("2027-01-10T03:00:00Z");
    expect(await getDownload(handle.db, { id: short, now: clock.now() })).toBeUndefined();
    expect(await getDownload(handle.db, { id: long, now: clock.now() })).toBeDefined();
  });
});
