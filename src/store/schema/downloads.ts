import { customType, index, pgTable, text } from "drizzle-orm/pg-core";
import { createdAt, id, instant } from "./columns.ts";

// drizzle-orm has no bytea column; postgres.js reads it as a Buffer and PGlite as a
// Uint8Array, and a Buffer is a Uint8Array, so both drivers meet this one type.
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * Files (DOCX, XLSX, CSV, PNG charts) offered as a short-lived signed link, for channels
 * that cannot send a document (Zalo sends a picture only by URL). The bytes live in
 * Postgres rather than on disk so every instance can serve a link any of them made, and a
 * few MB for a day is cheap. The id is random, so links cannot be guessed.
 */
export const downloadLinks = pgTable(
  "download_links",
  {
    id: id(),
    // As the person will see it when saving the file, Vietnamese letters and spaces included.
    filename: text("filename").notNull(),
    mimeType: text("mime_type").notNull(),
    bytes: bytea("bytes").notNull(),
    createdAt: createdAt(),
    // The link's signed expiry, in whole seconds; past it the housekeeping tick deletes the row.
    expiresAt: instant("expires_at").notNull(),
  },
  // The housekeeping tick deletes by expiry every few minutes.
  (t) => [index("download_links_expires_at_idx").on(t.expiresAt)],
);
