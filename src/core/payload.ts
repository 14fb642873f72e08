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
 * What a field holds: free text (a page, a short code), the UUID of a row, a UUID that may
 * be left empty ("uuid?"), or one of a list of values (an operation: the decoded field is
 * typed as their union, so a handler's switch over it is checked, and a value outside the
 * list reads as an old button). A forged or damaged field must read as an old button, not
 * reach the database, which would refuse a malformed uuid.
 */
export type FieldKind = "text" | "uuid" | "uuid?" | readonly string[];

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
  if (typeof kind !== "string") return kind.includes(value);
  if (kind === "uuid") return isUuid(value);
  if (kind === "uuid?") return value === "" || isUuid(value);
  return true;
}

/** A field's decoded type: the union of its listed values, else string. */
type FieldValue<K> = K extends readonly (infer V extends string)[] ? V : string;
export type PayloadValues<F extends string, K> = { [P in F]: P extends keyof K ? FieldValue<K[P]> : string };

export interface PayloadCodec<V> {
  readonly prefix: string;
  encode(values: V): string;
  /** undefined when the data is not a payload of this codec or is malformed (an id that is not a UUID, an unknown operation). */
  decode(data: string): V | undefined;
}

export function payloadCodec<const F extends string, const K extends Partial<Record<F, FieldKind>> = Record<never, never>>(
  prefix: string,
  fields: readonly F[],
  kinds: K = {} as K,
): PayloadCodec<PayloadValues<F, K>> {
  if (!/^[a-z][a-z0-9]{0,7}$/.test(prefix)) throw new PayloadError(`Bad payload prefix "${prefix}"`);
  const kindOf = (field: F): FieldKind => (kinds as Partial<Record<F, FieldKind>>)[field] ?? (ID_FIELDS.has(field) ? "uuid" : "text");
  type V = PayloadValues<F, K>;
  return {
    prefix,
    encode(values: V) {
      const parts = fields.map((field) => {
        const value = values[field] as string;
        if (value.includes(SEPARATOR)) throw new PayloadError(`Payload field ${field} contains "${SEPARATOR}"`);
        if (!fits(kindOf(field), value)) throw new PayloadError(`Payload field ${field} is not a ${String(kindOf(field))}: "${value}"`);
        return value;
      });
      const data = [prefix, ...parts].join(SEPARATOR);
      // Checked when built, so an over-long payload is a bug found in tests, not a Telegram 400.
      if (Buffer.byteLength(data, "utf8") > MAX_PAYLOAD_BYTES) throw new PayloadError(`Payload "${data}" is longer than ${MAX_PAYLOAD_BYTES} bytes`);
      return data;
    },
    decode(data: string): V | undefined {
      const parts = data.split(SEPARATOR);
      if (parts[0] !== prefix || parts.length !== fields.length + 1) return undefined;
      const values: Record<string, string> = {};
      for (const [index, field] of fields.entries()) {
        const value = parts[index + 1] ?? "";
        if (!fits(kindOf(field), value)) return undefined;
        values[field] = value;
      }
      return values as V;
    },
  };
}

/** The prefix of any payload, used by the router to find the owning feature. */
export function payloadPrefix(data: string): string {
  const index = data.indexOf(SEPARATOR);
  return index === -1 ? data : data.slice(0, index);
}
