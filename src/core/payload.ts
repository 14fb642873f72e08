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

export interface PayloadCodec<F extends string> {
  readonly prefix: string;
  encode(values: Record<F, string>): string;
  /** undefined when the data is not a payload of this codec or is malformed. */
  decode(data: string): Record<F, string> | undefined;
}

export function payloadCodec<const F extends string>(prefix: string, fields: readonly F[]): PayloadCodec<F> {
  if (!/^[a-z][a-z0-9]{0,7}$/.test(prefix)) throw new PayloadError(`Bad payload prefix "${prefix}"`);
  return {
    prefix,
    encode(values) {
      const parts = fields.map((field) => {
        const value = values[field];
        if (value.includes(SEPARATOR)) throw new PayloadError(`Payload field ${field} contains "${SEPARATOR}"`);
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
      fields.forEach((field, index) => {
        values[field] = parts[index + 1] ?? "";
      });
      return values;
    },
  };
}

/** The prefix of any payload, used by the router to find the owning feature. */
export function payloadPrefix(data: string): string {
  const index = data.indexOf(SEPARATOR);
  return index === -1 ? data : data.slice(0, index);
}
