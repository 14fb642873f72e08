import { createHmac, timingSafeEqual } from "node:crypto";
import type { Hono } from "hono";
import type { Attachment } from "../core/message.ts";
import type { Clock, Store } from "../core/ports.ts";

export interface DownloadsOptions {
  store: Pick<Store, "downloads">;
  clock: Clock;
  /** Chibo's public https address; without one nobody outside can reach a link, so none is made. */
  publicUrl: string | undefined;
  /** Signs the links' expiry. */
  secret: string;
  /** How long a link works; a day by default. */
  ttlMs?: number;
}

export interface Downloads {
  enabled: boolean;
  /** A link to the file that works until it expires; undefined when the feature is off. */
  link(attachment: Pick<Attachment, "bytes" | "filename" | "mimeType">): Promise<string | undefined>;
  /** Adds GET /files/:id/:name, which serves what link() stored. */
  mount(app: Hono): void;
}

const DAY_MS = 24 * 3600_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// 128 bits of the HMAC keep the link short enough to read in a chat and still unforgeable.
const SIGNATURE_HEX = 32;

// The person who opens the link may read either language, and nothing says which.
const FORBIDDEN = "Liên kết không hợp lệ. / This link is not valid.";
const GONE = "Liên kết đã hết hạn. / This link has expired.";
const NOT_FOUND = "Không tìm thấy tệp. / File not found.";

/**
 * Files offered as short-lived links, for channels that cannot send a document (Zalo sends
 * a picture only by URL, and no document at all). The id is a random UUID, so a link
 * cannot be guessed; the signature covers the expiry, so it cannot be extended by hand.
 */
export function createDownloads(options: DownloadsOptions): Downloads {
  const { store, clock, secret } = options;
  const ttlMs = options.ttlMs ?? DAY_MS;
  const base = options.publicUrl?.replace(/\/+$/, "") || undefined;
  // An empty or short secret would let anyone sign their own expiry.
  if (base && secret.length < 16) throw new Error("downloads: the signing secret must be at least 16 characters");

  const sign = (id: string, exp: string) => createHmac("sha256", secret).update(`${id}.${exp}`).digest("hex").slice(0, SIGNATURE_HEX);

  // Compared in constant time, so the response time does not reveal how much of a forged signature was right.
  const signatureValid = (id: string, exp: string, sig: string): boolean =>
    /^\d{1,12}$/.test(exp) &&
    new RegExp(`^[0-9a-f]{${SIGNATURE_HEX}}$`).test(sig) &&
    timingSafeEqual(Buffer.from(sig, "hex"), Buffer.from(sign(id, exp), "hex"));

  return {
    enabled: base !== undefined,

    async link(attachment) {
      if (!base) return undefined;
      const now = clock.now();
      // Whole seconds, so the expiry stored is exactly the one signed into the link.
      const exp = Math.floor((now.getTime() + ttlMs) / 1000);
      const id = await store.downloads.create({
        filename: attachment.filename,
        mimeType: attachment.mimeType,
        bytes: attachment.bytes,
        expiresAt: new Date(exp * 1000),
        at: now,
      });
      return `${base}/files/${id}/${encodeURIComponent(attachment.filename)}?exp=${exp}&sig=${sign(id, String(exp))}`;
    },

    mount(app) {
      // The name in the path only makes the link read well and the browser's default save name right.
      app.get("/files/:id/:name", async (c) => {
        c.header("x-content-type-options", "nosniff");
        const id = c.req.param("id");
        const exp = c.req.query("exp") ?? "";
        if (!signatureValid(id, exp, c.req.query("sig") ?? "")) return c.text(FORBIDDEN, 403);
        // The expiry is checked before the database: a link whose row housekeeping has deleted still says it expired.
        const now = clock.now().getTime();
        const expiresAt = Number(exp) * 1000;
        if (expiresAt <= now) return c.text(GONE, 410);
        const file = UUID.test(id) ? await store.downloads.get(id, new Date(now)) : undefined;
        if (!file) return c.text(NOT_FOUND, 404);
        // Hono's types take only ArrayBuffer-backed bytes; copying a few MB once per download is cheap.
        return c.body(new Uint8Array(file.bytes), 200, {
          "content-type": file.mimeType,
          "content-disposition": contentDisposition(file.filename, file.mimeType),
          // Private: the link is personal; no cache should keep the file past the link's life.
          "cache-control": `private, max-age=${Math.floor((expiresAt - now) / 1000)}`,
        });
      });
    },
  };
}

/**
 * RFC 6266 with the RFC 8187 UTF-8 name, plus a plain ASCII name for clients that ignore
 * it. Hono has no helper for this, and it is a few lines. An SVG shown inline could run
 * script on Chibo's address, so only raster pictures open in the browser.
 */
function contentDisposition(filename: string, mimeType: string): string {
  const inline = mimeType.startsWith("image/") && !mimeType.startsWith("image/svg");
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? "inline" : "attachment"}; filename="${asciiName(filename)}"; filename*=UTF-8''${encoded}`;
}

/** "Biên bản họp.docx" → "Bien ban hop.docx": Vietnamese without its marks still reads. */
function asciiName(filename: string): string {
  return filename
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^\x20-\x7e]|["\\%]/g, "_");
}
