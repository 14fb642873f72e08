import { createHmac, randomUUID } from "node:crypto";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDownloads, type Downloads } from "../../src/channels/downloads.ts";
import type { Store } from "../../src/core/ports.ts";
import type { DatabaseHandle } from "../../src/store/client.ts";
import { createStore } from "../../src/store/index.ts";
import { FakeClock } from "../helpers/fake-clock.ts";
import { createTestDatabase } from "../helpers/test-db.ts";

const SECRET = "a-test-secret-of-some-length";
const PUBLIC_URL = "https://chibo.example.vn";
const HOUR = 3600_000;

let handle: DatabaseHandle;
let store: Store;
beforeAll(async () => {
  handle = await createTestDatabase();
  store = createStore(handle.db);
});
afterAll(async () => handle.close());

function setup(start = "2026-12-01T03:00:00Z"): { clock: FakeClock; downloads: Downloads; app: Hono } {
  const clock = new FakeClock(start);
  const downloads = createDownloads({ store, clock, publicUrl: `${PUBLIC_URL}/`, secret: SECRET, ttlMs: 2 * HOUR });
  const app = new Hono();
  downloads.mount(app);
  return { clock, downloads, app };
}

const docx = {
  filename: "report.docx",
  mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  bytes: new Uint8Array([0x50, 0x4b, 3, 4, 0, 255, 128, 7]),
};

describe("download links", () => {
  it("serve the very bytes stored, with the file's type, name and a private cache for the link's life", async () => {
    const { downloads, app } = setup();
    expect(downloads.enabled).toBe(true);
    const link = await downloads.link(docx);
    expect(link).toMatch(/^https:\/\/chibo\.example\.vn\/files\/[0-9a-f-]{36}\/report\.docx\?exp=\d+&sig=[0-9a-f]{32}$/);
    expect(new URL(link!).searchParams.get("exp")).toBe(String(Date.parse("2026-12-01T05:00:00Z") / 1000));

    const response = await app.request(link!);
    expect(response.status).toBe(200);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(docx.bytes);
    expect(response.headers.get("content-type")).toBe(docx.mimeType);
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="report.docx"; filename*=UTF-8''report.docx`);
    expect(response.headers.get("cache-control")).toBe(`private, max-age=${2 * 3600}`);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("show a picture in the browser rather than save it", async () => {
    const { downloads, app } = setup();
    const response = await app.request((await downloads.link({ filename: "chart.png", mimeType: "image/png", bytes: new Uint8Array([137, 80, 78, 71]) }))!);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("content-disposition")).toMatch(/^inline; /);
  });

  it("keep a Vietnamese file name with spaces through the link and the download", async () => {
    const { downloads, app } = setup();
    const filename = "Biên bản họp chi bộ tháng 12 (Đợt 1).docx";
    const link = (await downloads.link({ ...docx, filename }))!;
    expect(decodeURIComponent(new URL(link).pathname.split("/").at(-1)!)).toBe(filename);
    const response = await app.request(link);
    expect(response.status).toBe(200);
    const disposition = response.headers.get("content-disposition")!;
    expect(disposition).toContain(`filename="Bien ban hop chi bo thang 12 (Dot 1).docx"`);
    expect(decodeURIComponent(/filename\*=UTF-8''(\S+)$/.exec(disposition)![1]!)).toBe(filename);
  });

  it("refuse a tampered signature with 403", async () => {
    const { downloads, app } = setup();
    const url = new URL((await downloads.link(docx))!);
    const sig = url.searchParams.get("sig")!;
    url.searchParams.set("sig", `${sig[0] === "0" ? "1" : "0"}${sig.slice(1)}`);
    expect((await app.request(url.toString())).status).toBe(403);
    url.searchParams.set("sig", sig.slice(0, 16));
    expect((await app.request(url.toString())).status).toBe(403);
    url.searchParams.delete("sig");
    expect((await app.request(url.toString())).status).toBe(403);
  });

  it("refuse a link whose expiry was pushed back by hand with 403", async () => {
    const { clock, downloads, app } = setup();
    const url = new URL((await downloads.link(docx))!);
    clock.advance(3 * HOUR);
    url.searchParams.set("exp", String(Number(url.searchParams.get("exp")) + 24 * 3600));
    const response = await app.request(url.toString());
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("Liên kết không hợp lệ. / This link is not valid.");
  });

  it("answer 410 Gone in both languages once the link has expired, even after housekeeping deleted the file", async () => {
    const { clock, downloads, app } = setup();
    const link = (await downloads.link(docx))!;
    clock.advance(2 * HOUR - 1000);
    expect((await app.request(link)).status).toBe(200);
    clock.advance(1000);
    const gone = await app.request(link);
    expect(gone.status).toBe(410);
    expect(await gone.text()).toBe("Liên kết đã hết hạn. / This link has expired.");
    await store.downloads.prune(new Date(clock.now().getTime() + 1));
    expect((await app.request(link)).status).toBe(410);
  });

  it("answer 404 for a correctly signed id that was never stored", async () => {
    const { app } = setup();
    const exp = String(Date.parse("2026-12-02T00:00:00Z") / 1000);
    const sign = (id: string) => createHmac("sha256", SECRET).update(`${id}.${exp}`).digest("hex").slice(0, 32);
    const unknown = randomUUID();
    expect((await app.request(`${PUBLIC_URL}/files/${unknown}/x.docx?exp=${exp}&sig=${sign(unknown)}`)).status).toBe(404);
    expect((await app.request(`${PUBLIC_URL}/files/not-a-uuid/x.docx?exp=${exp}&sig=${sign("not-a-uuid")}`)).status).toBe(404);
  });

  it("are off without a public address: nothing is stored and no link is made", async () => {
    const clock = new FakeClock("2026-12-01T03:00:00Z");
    const downloads = createDownloads({ store, clock, publicUrl: undefined, secret: "" });
    expect(downloads.enabled).toBe(false);
    expect(await downloads.link(docx)).toBeUndefined();
  });
});
