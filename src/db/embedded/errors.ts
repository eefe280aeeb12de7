import type { Doc } from './values.js';

/**
 * An error a command answers with, in the real server's shape: `{ ok: 0, errmsg, code, codeName, ...extra }`.
 * Codes and names are MongoDB's own (src/mongo/base/error_codes.yml), so drivers map them the usual way.
 */
export class CommandError extends Error {
  constructor(
    readonly code: number,
    readonly codeName: string,
    message: string,
    readonly extra: Doc = {},
  ) {
    super(message);
    this.name = 'CommandError';
  }

  toReply(): Doc {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

export const codes = {
  InternalError: 1,
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  InvalidBSON: 22,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  BSONObjectTooLarge: 10334,
  DocumentTooLarge: 17419,
  DuplicateKey: 11000,
  UnknownReplWriteConcern: 79,
  CommandNotSupported: 115,
  MergeStageNoMatchingDocument: 13113,
  /** mongod's IDL parser: a required field is missing. */
  Location40414: 40414,
  /** mongod's IDL parser: "BSON field '<cmd>.<field>' is an unknown field." */
  Location40415: 40415,
  /** "$merge/$out can only be the final stage in the pipeline". */
  Location40601: 40601,
} as const;

export type CodeName = keyof typeof codes;

export function commandError(codeName: CodeName, message: string, extra: Doc = {}): CommandError {
  return new CommandError(codes[codeName], codeName, message, extra);
}
