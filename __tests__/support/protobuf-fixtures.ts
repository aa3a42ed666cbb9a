/**
 * Protobuf and gRPC framing written by hand from the wire format (https://protobuf.dev/programming-guides/encoding/),
 * not by the code under test: fixtures for the schema proxy's tests.
 */

/** A base-128 varint. */
export function varint(value: number): Buffer {
  const bytes: number[] = [];
  do {
    bytes.push((value % 128) + (value >= 128 ? 128 : 0));
    value = Math.floor(value / 128);
  } while (value > 0);
  return Buffer.from(bytes);
}

/** A length-delimited field (wire type 2). */
export function bytesField(number: number, payload: Buffer | string): Buffer {
  const body = Buffer.from(payload);
  return Buffer.concat([varint(number * 8 + 2), varint(body.length), body]);
}

/** A map<string, Schema> entry: key = 1, value = 2. */
export function entry(field: number, key: string, schema: Buffer): Buffer {
  return bytesField(field, Buffer.concat([bytesField(1, key), bytesField(2, schema)]));
}

/** A schema body of `size` bytes, unique to `name` (a long one needs a length of several varint bytes). */
export function schema(name: string, size = 16): Buffer {
  return Buffer.from(name.repeat(Math.ceil(size / name.length)).slice(0, size));
}

/** A gRPC message frame: uncompressed flag, big-endian length, message. */
export function frame(message: Buffer, compressed = 0): Buffer {
  const prefix = Buffer.alloc(5);
  prefix[0] = compressed;
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}
