import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesField, entry, frame, schema, varint } from '../support/protobuf-fixtures';
import { fields, trimSchemaBody, trimSchemaMessage, typesNamedIn } from '../support/schema-trim';
import { schemaTypes } from '../support/terraform';

/**
 * How the schema proxy cuts the provider's GetSchema answer (support/schema-trim.ts), on protobuf written
 * here by hand from the wire format (https://protobuf.dev/programming-guides/encoding/), not by the code
 * under test.
 */

const provider = bytesField(1, schema('provider-block'));
const vpc = entry(2, 'aws_vpc', schema('vpc', 300));
const instance = entry(2, 'aws_instance', schema('instance'));
const policyDocument = entry(3, 'aws_iam_policy_document', schema('policy', 20_000));
const ami = entry(3, 'aws_ami', schema('ami'));
const serverCapabilities = bytesField(6, Buffer.from([0x08, 0x01]));
const functionEntry = entry(7, 'arn_parse', schema('function'));
const ephemeral = entry(8, 'aws_secretsmanager_secret_version', schema('ephemeral'));
const varintField = Buffer.concat([varint(9 * 8), varint(300)]);
const fixed32 = Buffer.concat([varint(10 * 8 + 5), Buffer.from([1, 2, 3, 4])]);
const fixed64 = Buffer.concat([varint(11 * 8 + 1), Buffer.from([1, 2, 3, 4, 5, 6, 7, 8])]);

/** A response with every kind of field, map entries of both trimmed fields interleaved with the rest. */
const response = Buffer.concat([provider, vpc, policyDocument, serverCapabilities, instance, functionEntry, ami, ephemeral, varintField, fixed32, fixed64]);

describe('the schema proxy: the provider schema cut to the types a folder names', () => {
  it('splits a message into its fields, whatever their wire type and however long their length', () => {
    const split = fields(response);
    expect(split.map((field) => field.number)).toEqual([1, 2, 3, 6, 2, 7, 3, 8, 9, 10, 11]);
    expect(Buffer.concat(split.map((field) => field.bytes)).equals(response)).toBe(true);
    expect(split[2]!.payload!.length).toBeGreaterThan(20_000);
  });

  it('keeps the resource and data source schemas of the types named, and every other field, byte for byte and in order', () => {
    const trimmed = trimSchemaMessage(response, new Set(['aws_vpc', 'aws_iam_policy_document', 'aws_secretsmanager_secret_version']));
    expect(trimmed.equals(Buffer.concat([provider, vpc, policyDocument, serverCapabilities, functionEntry, ephemeral, varintField, fixed32, fixed64]))).toBe(true);
  });

  it('drops a type from both maps alike, and keeps functions and ephemeral resources whatever is named', () => {
    const trimmed = trimSchemaMessage(response, new Set());
    expect(trimmed.equals(Buffer.concat([provider, serverCapabilities, functionEntry, ephemeral, varintField, fixed32, fixed64]))).toBe(true);
    // A name is a resource or a data source by the field it is in, not by its spelling.
    const swapped = Buffer.concat([entry(3, 'aws_vpc', schema('vpc-data')), entry(2, 'aws_ami', schema('ami-resource'))]);
    expect(trimSchemaMessage(swapped, new Set(['aws_vpc'])).equals(entry(3, 'aws_vpc', schema('vpc-data')))).toBe(true);
  });

  it('reframes a trimmed gRPC body with its new length, and passes on a body it cannot read', () => {
    const keep = new Set(['aws_instance']);
    const trimmed = trimSchemaBody(frame(response), keep)!;
    const message = Buffer.concat([provider, serverCapabilities, instance, functionEntry, ephemeral, varintField, fixed32, fixed64]);
    expect(trimmed.equals(frame(message))).toBe(true);
    expect(trimSchemaBody(frame(response, 1), keep)).toBeUndefined(); // compressed
    expect(trimSchemaBody(frame(response).subarray(0, 100), keep)).toBeUndefined(); // cut short
    expect(trimSchemaBody(Buffer.concat([frame(response), frame(response)]), keep)).toBeUndefined(); // two messages
    expect(trimSchemaBody(Buffer.from([0, 0]), keep)).toBeUndefined();
  });

  it('refuses a message cut inside a field, rather than passing a part of it', () => {
    expect(() => fields(response.subarray(0, provider.length + 10))).toThrow(/field 2 runs past the end/);
    expect(() => fields(Buffer.from([0x0a, 0x80]))).toThrow(/varint runs past the end/);
    expect(() => fields(Buffer.from([0x0b]))).toThrow(/wire type 3/);
  });

  describe('the types a working folder names', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'schema-types-'));
      mkdirSync(join(dir, 'tests', 'mocks'), { recursive: true });
      mkdirSync(join(dir, '.terraform', 'modules'), { recursive: true });
      writeFileSync(join(dir, 'main.tf'), 'resource "aws_vpc" "this" {}\ndata "aws_partition" "current" {}\n# "aws_in_a_comment" is harmless\n');
      writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ resource: { aws_subnet: { a: {} } }, data: { aws_iam_policy_document: { p: {} } } }));
      writeFileSync(join(dir, 'tests', 'parking.tftest.hcl'), 'run "parked" {\n  command = plan\n}\n');
      writeFileSync(join(dir, 'tests', 'mocks', 'aws.tfmock.hcl'), 'mock_data "aws_region" {\n  defaults = {}\n}\n');
      writeFileSync(join(dir, '.terraform', 'modules', 'other.tf'), 'resource "aws_not_ours" "x" {}\n');
      writeFileSync(join(dir, 'README.md'), '`aws_not_configuration`\n"aws_not_configuration"\n');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('are every quoted aws_ name in its configuration, test and mock files, wherever they are in the folder but .terraform', () => {
      expect([...typesNamedIn(dir)].sort()).toEqual(['aws_iam_policy_document', 'aws_in_a_comment', 'aws_partition', 'aws_region', 'aws_subnet', 'aws_vpc']);
    });

    it('cut the schema of every command but `terraform providers schema`, which prints it whole', () => {
      expect([...schemaTypes(dir, ['plan', '-out=x.plan'])!].sort()).toEqual([...typesNamedIn(dir)].sort());
      expect([...schemaTypes(dir, ['test'])!]).toContain('aws_region');
      expect(schemaTypes(dir, ['providers', 'schema', '-json'])).toBeUndefined();
    });
  });
});
