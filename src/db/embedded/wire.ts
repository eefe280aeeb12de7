import { calculateObjectSize, deserialize, serializeWithBufferAndIndex } from 'bson';
import { decodeNumbers } from './values.js';
import type { Doc } from './values.js';

/** Wire protocol opcodes (MongoDB Wire Protocol reference). */
export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const HEADER_SIZE = 16;
/** What `hello` advertises as maxMessageSizeBytes; a frame declaring more is refused before it is buffered. */
export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;

const MSG_CHECKSUM_PRESENT = 1 << 0;
export const MSG_MORE_TO_COME = 1 << 1;
/** Flag bits a client may set (checksumPresent, moreToCome, exhaustAllowed); others are errors per the spec. */
const MSG_KNOWN_FLAGS = MSG_CHECKSUM_PRESENT | MSG_MORE_TO_COME | (1 << 16);

/**
 * Deserialisation used for everything a client sends and the journal holds: numbers come as their BSON
 * types and `decodeNumbers` (values.ts) turns them into the form the server holds, which keeps each type
 * (an int64 stays an int64 however small, a double stays a double however round). Buffers stay `Binary`.
 */
export const DESERIALIZE_OPTIONS = {
  promoteBuffers: false,
  promoteValues: false,
  validation: { utf8: true },
} as const;

/** One BSON document as the server holds it. */
export function decodeDocument(bytes: Uint8Array): Doc {
  return decodeNumbers(deserialize(bytes, DESERIALIZE_OPTIONS));
}

export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export type Request =
  | { kind: 'msg'; header: MessageHeader; moreToCome: boolean; command: Doc }
  | {
      kind: 'query';
      header: MessageHeader;
      fullCollectionName: string;
      numberToReturn: number;
      command: Doc;
    };

/** A frame that could be read but not understood; it is answered with an error, the connection stays open. */
export class MalformedMessageError extends Error {
  constructor(
    message: string,
    readonly header: MessageHeader,
  ) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}

/** A stream that cannot be resynchronised (bad length, unknown opcode): the connection must be closed. */
export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

export function readHeader(buf: Buffer): MessageHeader {
  return {
    messageLength: buf.readInt32LE(0),
    requestId: buf.readInt32LE(4),
    responseTo: buf.readInt32LE(8),
    opCode: buf.readInt32LE(12),
  };
}

/** Validates a header before its body is buffered, so a hostile length never makes us allocate. */
export function checkHeader(header: MessageHeader): void {
  if (header.messageLength < HEADER_SIZE + 4 || header.messageLength > MAX_MESSAGE_SIZE) {
    throw new ProtocolError(`invalid message length ${header.messageLength}`);
  }
  if (header.opCode !== OP_MSG && header.opCode !== OP_QUERY) {
    throw new ProtocolError(`unsupported opcode ${header.opCode}`);
  }
}

function readCString(buf: Buffer, offset: number, header: MessageHeader): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new MalformedMessageError('unterminated string in message', header);
  return [buf.toString('utf8', offset, end), end + 1];
}

function readDocument(buf: Buffer, offset: number, limit: number, header: MessageHeader): [Doc, number] {
  if (offset + 5 > limit) throw new MalformedMessageError('truncated BSON document', header);
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > limit)
    throw new MalformedMessageError('invalid BSON document size', header);
  try {
    return [decodeDocument(buf.subarray(offset, offset + size)), offset + size];
  } catch (err) {
    throw new MalformedMessageError(`invalid BSON: ${(err as Error).message}`, header);
  }
}

/** Parses one complete frame (header included). */
export function parseMessage(frame: Buffer): Request {
  const header = readHeader(frame);
  if (header.opCode === OP_MSG) return parseOpMsg(frame, header);
  return parseOpQuery(frame, header);
}

function parseOpMsg(frame: Buffer, header: MessageHeader): Request {
  const flags = frame.readUInt32LE(HEADER_SIZE);
  if ((flags & ~MSG_KNOWN_FLAGS & 0xffff) !== 0) {
    throw new MalformedMessageError(`unsupported OP_MSG flag bits ${flags}`, header);
  }
  const end = flags & MSG_CHECKSUM_PRESENT ? frame.length - 4 : frame.length;
  let offset = HEADER_SIZE + 4;
  let body: Doc | undefined;
  const sequences: Array<[string, Doc[]]> = [];
  while (offset < end) {
    const kind = frame[offset];
    offset += 1;
    if (kind === 0) {
      if (body) throw new MalformedMessageError('OP_MSG has more than one body section', header);
      [body, offset] = readDocument(frame, offset, end, header);
    } else if (kind === 1) {
      if (offset + 4 > end) throw new MalformedMessageError('truncated document sequence', header);
      const size = frame.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new MalformedMessageError('invalid document sequence size', header);
      let identifier: string;
      [identifier, offset] = readCString(frame, offset + 4, header);
      const docs: Doc[] = [];
      while (offset < seqEnd) {
        let doc: Doc;
        [doc, offset] = readDocument(frame, offset, seqEnd, header);
        docs.push(doc);
      }
      sequences.push([identifier, docs]);
    } else {
      throw new MalformedMessageError(`unknown OP_MSG section kind ${String(kind)}`, header);
    }
  }
  if (!body) throw new MalformedMessageError('OP_MSG has no body section', header);
  for (const [identifier, docs] of sequences) body[identifier] = docs;
  return { kind: 'msg', header, moreToCome: (flags & MSG_MORE_TO_COME) !== 0, command: body };
}

function parseOpQuery(frame: Buffer, header: MessageHeader): Request {
  const [fullCollectionName, afterName] = readCString(frame, HEADER_SIZE + 4, header); // after the flags
  let offset = afterName;
  if (offset + 8 > frame.length) throw new MalformedMessageError('truncated OP_QUERY', header);
  const numberToReturn = frame.readInt32LE(offset + 4);
  offset += 8;
  const [query] = readDocument(frame, offset, frame.length, header);
  // Legacy commands may be wrapped as { $query: {...}, $readPreference: ... }.
  const wrapped: unknown = query.$query ?? query.query;
  const command = isPlainDocument(wrapped) && ('$query' in query || 'query' in query) ? wrapped : query;
  return { kind: 'query', header, fullCollectionName, numberToReturn, command };
}

function isPlainDocument(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && value.constructor === Object;
}

let nextRequestId = 1;

function frameHeader(bodyLength: number, responseTo: number, opCode: number): Buffer {
  const header = Buffer.allocUnsafe(HEADER_SIZE);
  header.writeInt32LE(HEADER_SIZE + bodyLength, 0);
  header.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return header;
}

const SERIALIZE_OPTIONS = { ignoreUndefined: true } as const;
/** A reply may exceed 16 MiB by its envelope around a full batch, as mongod's may. */
const MAX_REPLY_DOCUMENT = MAX_BSON_OBJECT_SIZE + 16 * 1024;

/** Thrown when a reply would be larger than a client accepts; the caller answers with an error instead. */
export class ReplyTooLargeError extends Error {
  override name = 'ReplyTooLargeError';
}

/**
 * Serialises into a buffer of the exact size: bson's own `serialize` uses a fixed 17 MiB scratch buffer,
 * which cannot hold a full 16 MiB batch plus its envelope.
 */
function serializeReply(doc: Doc): Buffer {
  const size = calculateObjectSize(doc, SERIALIZE_OPTIONS);
  if (size > MAX_REPLY_DOCUMENT)
    throw new ReplyTooLargeError(`reply of ${size} bytes is over the BSON size limit`);
  const buffer = Buffer.alloc(size);
  serializeWithBufferAndIndex(doc, buffer, SERIALIZE_OPTIONS);
  return buffer;
}

export function encodeOpMsg(responseTo: number, doc: Doc): Buffer {
  const body = serializeReply(doc);
  const prefix = Buffer.alloc(5); // flagBits 0, section kind 0
  return Buffer.concat([frameHeader(prefix.length + body.length, responseTo, OP_MSG), prefix, body]);
}

export function encodeOpReply(responseTo: number, doc: Doc): Buffer {
  const body = serializeReply(doc);
  const fields = Buffer.alloc(20);
  fields.writeInt32LE(0, 0); // responseFlags
  fields.writeBigInt64LE(0n, 4); // cursorID
  fields.writeInt32LE(0, 12); // startingFrom
  fields.writeInt32LE(1, 16); // numberReturned
  return Buffer.concat([frameHeader(fields.length + body.length, responseTo, OP_REPLY), fields, body]);
}
