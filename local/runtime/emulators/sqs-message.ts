/**
 * What an SQS message is on the wire: attribute shapes, the checks SQS applies on send, and the MD5 digests the
 * SDK compares (MD5OfMessageBody / MD5OfBody are verified by @aws-sdk/client-sqs; a wrong one makes it throw).
 */
import { createHash } from 'node:crypto';
import { AwsServiceError } from './aws-protocol';

/** A message attribute in SQS JSON wire form; BinaryValue is base64. */
export interface SqsMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export type SqsMessageAttributes = Record<string, SqsMessageAttribute>;

/** SQS's current maximum message size (body plus attributes). */
export const MAX_MESSAGE_BYTES = 1_048_576;
const MAX_ATTRIBUTES = 10;
const ATTRIBUTE_NAME = /^(?!\.)(?!.*\.\.)(?!.*\.$)[A-Za-z0-9_.-]{1,256}$/;
const RESERVED_ATTRIBUTE_PREFIX = /^(aws\.|amazon\.)/i;
// The characters SQS accepts in bodies and string values: #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000+.
const INVALID_CHARACTER = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Hex MD5 of the UTF-8 body, as in MD5OfMessageBody / MD5OfBody. */
export function md5OfBody(body: string): string {
  return createHash('md5').update(body, 'utf8').digest('hex');
}

/**
 * MD5OfMessageAttributes as SQS computes it: attributes sorted by name, each encoded as length-prefixed
 * (4-byte big-endian) name, length-prefixed data type, one transport byte (1 = string/number, 2 = binary) and
 * the length-prefixed value bytes. Undefined when there are no attributes.
 */
export function md5OfMessageAttributes(attributes: SqsMessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const attribute = attributes[name];
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(attribute.DataType, 'utf8'));
    if (isBinaryType(attribute.DataType)) {
      hash.update(Buffer.from([2]));
      lengthPrefixed(Buffer.from(attribute.BinaryValue ?? '', 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      lengthPrefixed(Buffer.from(attribute.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}

/** Throws the error SQS answers for an unacceptable body or attribute set; returns the message's size in bytes. */
export function validateMessage(body: string, attributes: SqsMessageAttributes): number {
  if (body.length === 0) {
    throw invalidParameter('The request must contain the parameter MessageBody.', 'MissingParameter');
  }
  if (INVALID_CHARACTER.test(body)) {
    throw new AwsServiceError(
      'InvalidMessageContents',
      'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
    );
  }
  const names = Object.keys(attributes);
  if (names.length > MAX_ATTRIBUTES) {
    throw invalidParameter(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  }
  let size = Buffer.byteLength(body, 'utf8');
  for (const name of names) {
    size += validateAttribute(name, attributes[name]);
  }
  if (size > MAX_MESSAGE_BYTES) {
    throw invalidParameter(
      `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
    );
  }
  return size;
}

/**
 * The attributes a receiver asked for with MessageAttributeNames: `All` or `.*`, exact names, or `prefix.*`.
 */
export function selectMessageAttributes(attributes: SqsMessageAttributes, requested: string[]): SqsMessageAttributes {
  if (requested.length === 0) return {};
  if (requested.includes('All') || requested.includes('.*')) return attributes;
  const selected: SqsMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = requested.some((pattern) =>
      pattern.endsWith('.*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern,
    );
    if (wanted) selected[name] = value;
  }
  return selected;
}

function validateAttribute(name: string, attribute: SqsMessageAttribute): number {
  if (!ATTRIBUTE_NAME.test(name) || RESERVED_ATTRIBUTE_PREFIX.test(name)) {
    throw invalidParameter(`Message (user) attribute name '${name}' is invalid.`);
  }
  const dataType = attribute.DataType;
  if (typeof dataType !== 'string' || !/^(String|Number|Binary)(\.[A-Za-z0-9_.-]+)?$/.test(dataType)) {
    throw invalidParameter(`The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`);
  }
  if (isBinaryType(dataType)) {
    if (attribute.BinaryValue === undefined || attribute.BinaryValue === '') {
      throw invalidParameter(`Message (user) attribute '${name}' must contain a non-empty value of type 'Binary'.`);
    }
    return Buffer.byteLength(name) + Buffer.byteLength(dataType) + Buffer.from(attribute.BinaryValue, 'base64').length;
  }
  const value = attribute.StringValue;
  if (value === undefined || value === '') {
    throw invalidParameter(`Message (user) attribute '${name}' must contain a non-empty value of type '${dataType.split('.')[0]}'.`);
  }
  if (dataType.startsWith('Number') && !Number.isFinite(Number(value))) {
    throw invalidParameter(`Could not cast message attribute '${name}' value to number.`);
  }
  if (INVALID_CHARACTER.test(value)) {
    throw new AwsServiceError('InvalidMessageContents', `Message (user) attribute '${name}' contains invalid characters.`);
  }
  return Buffer.byteLength(name) + Buffer.byteLength(dataType) + Buffer.byteLength(value);
}

function isBinaryType(dataType: string): boolean {
  return dataType === 'Binary' || dataType.startsWith('Binary.');
}

/** SQS's generic parameter error (no modelled shape: the SDK names it by its query code). */
export function invalidParameter(message: string, code = 'InvalidParameterValue'): AwsServiceError {
  return new AwsServiceError(code, message);
}
