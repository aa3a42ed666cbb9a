import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The AWS provider's schema, cut down to the types a command's configuration names.
 *
 * Every Terraform command starts by asking the provider for its whole schema (GetSchema: about 1,500 resource
 * types and 600 data sources) and decoding all of it; measured here, that was 2.1 s of a 2.5 s `validate` and
 * most of every plan and show. Terraform only ever reads the schemas of the types the configuration uses, so
 * the schema proxy (schema-proxy.ts) answers GetSchema with the real provider's answer less the resource and
 * data source entries no file of the working folder names. Every byte it keeps is the provider's own.
 */

/** The gRPC method that returns the provider's schema, in plugin protocol 5 (the AWS provider 5.x speaks 5). */
export const GET_SCHEMA_PATH = '/tfplugin5.Provider/GetSchema';

/**
 * Fields of GetProviderSchema.Response that map type names to schemas and are cut to the types named:
 * resource_schemas = 2, data_source_schemas = 3
 * (https://github.com/hashicorp/terraform/blob/v1.11.4/docs/plugin-protocol/tfplugin5.8.proto).
 * Everything else (the provider's own block, provider_meta, functions, server capabilities, ephemeral
 * resources, diagnostics) passes as it is.
 */
const TRIMMED_FIELDS = new Set([2, 3]);

interface Field {
  readonly number: number;
  /** The whole field as encoded: tag, length and payload. */
  readonly bytes: Buffer;
  /** The payload of a length-delimited field. */
  readonly payload?: Buffer;
}

/** Reads a base-128 varint at `offset`: its value and the offset after it. */
function varint(buffer: Buffer, offset: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (let at = offset; at < buffer.length; at++) {
    const byte = buffer[at]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, at + 1];
    scale *= 128;
  }
  throw new Error(`a protobuf varint runs past the end of the message (at byte ${offset})`);
}

/** Splits a protobuf message into its top-level fields, in order. */
export function fields(message: Buffer): Field[] {
  const out: Field[] = [];
  let offset = 0;
  while (offset < message.length) {
    const start = offset;
    const [tag, afterTag] = varint(message, offset);
    const wireType = tag % 8;
    let payload: Buffer | undefined;
    switch (wireType) {
      case 0:
        offset = varint(message, afterTag)[1];
        break;
      case 1:
        offset = afterTag + 8;
        break;
      case 2: {
        const [length, afterLength] = varint(message, afterTag);
        offset = afterLength + length;
        payload = message.subarray(afterLength, offset);
        break;
      }
      case 5:
        offset = afterTag + 4;
        break;
      default:
        throw new Error(`protobuf wire type ${wireType} (field ${Math.floor(tag / 8)}) is not one a schema response uses`);
    }
    if (offset > message.length) throw new Error(`protobuf field ${Math.floor(tag / 8)} runs past the end of the message`);
    out.push({ number: Math.floor(tag / 8), bytes: message.subarray(start, offset), payload });
  }
  return out;
}

/** The key of a map entry (field 1 of the entry, a string). */
function mapKey(entry: Buffer): string | undefined {
  const key = fields(entry).find((field) => field.number === 1);
  return key?.payload?.toString('utf8');
}

/** A GetProviderSchema.Response less the resource and data source schemas whose type is not in `keep`. */
export function trimSchemaMessage(message: Buffer, keep: ReadonlySet<string>): Buffer {
  const kept = fields(message).filter((field) => !TRIMMED_FIELDS.has(field.number) || keep.has(mapKey(field.payload ?? Buffer.alloc(0)) ?? ''));
  return Buffer.concat(kept.map((field) => field.bytes));
}

/**
 * The body of a gRPC GetSchema response (one length-prefixed message, uncompressed) with its message trimmed;
 * undefined when the body is not that shape, and the caller passes it on unchanged.
 */
export function trimSchemaBody(body: Buffer, keep: ReadonlySet<string>): Buffer | undefined {
  if (body.length < 5 || body[0] !== 0 || body.readUInt32BE(1) !== body.length - 5) return undefined;
  const message = trimSchemaMessage(body.subarray(5), keep);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** Files Terraform reads configuration, tests and mocks from. */
const CONFIGURATION_FILE = /\.(tf|tf\.json|tftest\.hcl|tftest\.json|tfmock\.hcl|tfmock\.json)$/;

/**
 * Every AWS type name a working folder's files mention in quotes (recursively, but not in `.terraform`): the
 * `resource "aws_…"` and `data "aws_…"` blocks of HCL, the type keys of JSON, the mocked types of tests.
 * A superset is harmless (a name that is no type matches no schema entry); a type missed would make Terraform
 * say the provider does not support it, so this reads generously.
 */
export function typesNamedIn(dir: string): Set<string> {
  const types = new Set<string>();
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (entry.name !== '.terraform') visit(join(folder, entry.name));
      } else if (CONFIGURATION_FILE.test(entry.name)) {
        for (const match of readFileSync(join(folder, entry.name), 'utf8').matchAll(/"(aws_[a-z0-9_]+)"/g)) types.add(match[1]!);
      }
    }
  };
  visit(dir);
  return types;
}
