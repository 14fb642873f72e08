/**
 * Button payloads travel through Telegram's callback_data (max 64 bytes) and come back
 * from anyone who can see the button, so they are short, prefixed and decoded by one
 * checked helper. A payload is "<prefix>:<field>:<field>…"; fields must not contain ":".
 */
export const MAX_PAYLOAD_BYTES = 64;
const SEPARATOR = ":";

export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PayloadError";
  }
}

/**
 * What a field holds: free text (an operation, a page, a short code), the UUID of a row,
 * or a UUID that may be left empty ("uuid?"). A forged or damaged id must read as an old
 * button, not reach the database, which would refuse it as a malformed uuid.
 */
export type FieldKind = "text" | "uuid" | "uuid?";

/**
 * Fields named after an entity hold its row id, whichever feature builds the payload, so
 * every codec checks them without saying so. A field with a general name ("id", "arg")
 * declares its kind when the codec is made.
 */
const ID_FIELDS: ReadonlySet<string> = new Set(["meeting", "branch", "request", "task", "membership", "person", "resolution"]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether text is a UUID as Postgres reads one (the canonical hyphenated form). */
export const isUuid = (value: string): boolean => UUID.test(value);

function fits(kind: FieldKind, value: string): boolean {
  if (kind === "uuid") return isUuid(value);
  if (kind === "uuid?") return value === "" || isUuid(value);
  return true;
}

export interface PayloadCodec<F extends string> {
  readonly prefix: string;
  encode(values: Record<F, string>): string;
  /** undefined when the data is not a payload of this codec or is malformed (an id that is not a UUID, say). */
  decode(data: string): Record<F, string> | undefined;
}

export function payloadCodec<const F extends string>(prefix: string, fields: readonly F[], kinds: Partial<Record<F, FieldKind>> = {}): PayloadCodec<F> {
  if (!/^[a-z][a-z0-9]{0,7}$/.test(prefix)) throw new PayloadError(`Bad payload prefix "${prefix}"`);
  const kindOf = (field: F): FieldKind => kinds[field] ?? (ID_FIELDS.has(field) ? "uuid" : "text");
  return {
    prefix,
    encode(values) {
      const parts = fields.map((field) => {
        const value = values[field];
        if (value.includes(SEPARATOR)) throw new PayloadError(`Payload field ${field} contains "${SEPARATOR}"`);
        if (!fits(kindOf(field), value)) throw new PayloadError(`Payload field ${field} is not a ${kindOf(field)}: "${value}"`);
        return value;
      });
      const data = [prefix, ...parts].join(SEPARATOR);
      // Checked when built, so an over-long payload is a bug found in tests, not a Telegram 400.
      if (Buffer.byteLength(data, "utf8") > MAX_PAYLOAD_BYTES) throw new PayloadError(`Payload "${data}" is longer than ${MAX_PAYLOAD_BYTES} bytes`);
      return data;
    },
    decode(data) {
      const parts = data.split(SEPARATOR);
      if (parts[0] !== prefix || parts.length !== fields.length + 1) return undefined;
      const values = {} as Record<F, string>;
      for (const [index, field] of fields.entries()) {
        const value = parts[index + 1] ?? "";
        if (!fits(kindOf(field), value)) return undefined;
        values[field] = value;
      }
      return values;
    },
  };
}

/** The prefix of any payload, used by the router to find the owning feature. */
export function payloadPrefix(data: string): string {
  const index = data.indexOf(SEPARATOR);
  return index === -1 ? data : data.slice(0, index);
}
