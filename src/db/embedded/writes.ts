import { ObjectId } from 'bson';
import { CommandError, commandError } from './errors.js';
import { collectionName, optionalDocument, optionalNumber } from './handler.js';
import type { Handler } from './handler.js';
import { checkConcerns, checkFields, checkHint } from './options.js';
import { project, scopeOf, select } from './query.js';
import { validateNamespace } from './storage.js';
import { checkUpdate, updatedDocument, upsertDocument } from './update.js';
import { isPlainObject, keyString } from './values.js';
import type { Doc } from './values.js';

/** The embedded server is a standalone: transactions are refused the way a standalone mongod refuses them. */
function checkNoTransaction(cmd: Doc): void {
  if (cmd.txnNumber !== undefined || cmd.startTransaction !== undefined || cmd.autocommit !== undefined) {
    throw commandError(
      'IllegalOperation',
      'Transaction numbers are only allowed on a replica set member or mongos',
    );
  }
}

/** Commands that change documents: insert, update, delete and findAndModify. */
export const writeCommands: Record<string, Handler> = {
  insert: (cmd, db, ctx) => {
    checkNoTransaction(cmd);
    const name = collectionName(cmd, 'insert');
    checkFields(cmd, 'insert', ['insert', 'documents', 'ordered', 'bypassDocumentValidation']);
    checkConcerns(cmd);
    const documents: unknown = cmd.documents;
    if (!Array.isArray(documents)) throw commandError('TypeMismatch', "Field 'documents' must be an array");
    const ordered = cmd.ordered !== false;
    const { coll } = ctx.storage.ensureCollection(db, name);
    let n = 0;
    const writeErrors: Doc[] = [];
    for (const [index, raw] of (documents as unknown[]).entries()) {
      try {
        if (!isPlainObject(raw)) throw commandError('TypeMismatch', 'document to insert must be an object');
        const doc = withIdFirst(raw);
        if (Array.isArray(doc._id)) throw commandError('BadValue', "can't use an array for _id");
        ctx.storage.insert(coll, doc);
        n += 1;
      } catch (err) {
        writeErrors.push(writeError(index, err));
        if (ordered) break;
      }
    }
    return { n, ...(writeErrors.length > 0 ? { writeErrors } : {}), ok: 1 };
  },

  update: (cmd, db, ctx) => {
    checkNoTransaction(cmd);
    const name = collectionName(cmd, 'update');
    validateNamespace(db, name);
    checkFields(cmd, 'update', ['update', 'updates', 'ordered', 'bypassDocumentValidation', 'let']);
    checkConcerns(cmd);
    const updates: unknown = cmd.updates;
    if (!Array.isArray(updates)) throw commandError('TypeMismatch', "Field 'updates' must be an array");
    // mongod parses every statement before running any: an unknown field fails the whole command.
    for (const statement of updates as unknown[]) {
      if (!isPlainObject(statement)) continue;
      checkFields(
        statement,
        'update.updates',
        ['q', 'u', 'multi', 'upsert', 'arrayFilters', 'collation', 'hint', 'sort', 'upsertSupplied', 'c'],
        [],
        false,
      );
    }
    const ordered = cmd.ordered !== false;
    let n = 0;
    let nModified = 0;
    const upserted: Doc[] = [];
    const writeErrors: Doc[] = [];
    for (const [index, statement] of (updates as unknown[]).entries()) {
      try {
        if (!isPlainObject(statement))
          throw commandError('TypeMismatch', 'update statement must be an object');
        const q = optionalDocument(statement, 'q') ?? {};
        const u = checkUpdate(statement.u);
        const multi = statement.multi === true;
        if (multi && !Array.isArray(u) && !Object.keys(u).some((k) => k.startsWith('$'))) {
          throw commandError('FailedToParse', 'multi update is not supported for replacement-style update');
        }
        const arrayFilters = statement.arrayFilters as Doc[] | undefined;
        const coll = ctx.storage.getCollection(db, name);
        checkHint(statement.hint, coll);
        const scope = scopeOf(statement, ctx, db, cmd);
        let matches = select(coll, q, optionalDocument(statement, 'sort'), scope);
        if (!multi) matches = matches.slice(0, 1);
        if (coll && matches.length > 0) {
          for (const doc of matches) {
            const next = updatedDocument(doc, u, q, arrayFilters, scope.options.variables);
            n += 1;
            if (keyString(next) === keyString(doc)) continue;
            ctx.storage.replace(coll, next);
            nModified += 1;
          }
        } else if (statement.upsert === true) {
          const doc = upsertDocument(q, u, arrayFilters, scope.options.variables);
          ctx.storage.insert(ctx.storage.ensureCollection(db, name).coll, doc);
          n += 1;
          upserted.push({ index, _id: doc._id });
        }
      } catch (err) {
        writeErrors.push(writeError(index, err));
        if (ordered) break;
      }
    }
    return {
      n,
      nModified,
      ...(upserted.length > 0 ? { upserted } : {}),
      ...(writeErrors.length > 0 ? { writeErrors } : {}),
      ok: 1,
    };
  },

  delete: (cmd, db, ctx) => {
    checkNoTransaction(cmd);
    const name = collectionName(cmd, 'delete');
    validateNamespace(db, name);
    checkFields(cmd, 'delete', ['delete', 'deletes', 'ordered', 'let']);
    checkConcerns(cmd);
    const deletes: unknown = cmd.deletes;
    if (!Array.isArray(deletes)) throw commandError('TypeMismatch', "Field 'deletes' must be an array");
    for (const statement of deletes as unknown[]) {
      if (isPlainObject(statement))
        checkFields(statement, 'delete.deletes', ['q', 'limit', 'collation', 'hint'], [], false);
    }
    const ordered = cmd.ordered !== false;
    let n = 0;
    const writeErrors: Doc[] = [];
    for (const [index, statement] of (deletes as unknown[]).entries()) {
      try {
        if (!isPlainObject(statement))
          throw commandError('TypeMismatch', 'delete statement must be an object');
        const limit = optionalNumber(statement, 'limit') ?? 0;
        if (limit !== 0 && limit !== 1)
          throw commandError('BadValue', 'The limit field in delete objects must be 0 or 1');
        const coll = ctx.storage.getCollection(db, name);
        checkHint(statement.hint, coll);
        let matches = select(
          coll,
          optionalDocument(statement, 'q'),
          undefined,
          scopeOf(statement, ctx, db, cmd),
        );
        if (limit === 1) matches = matches.slice(0, 1);
        for (const doc of matches) if (coll && ctx.storage.delete(coll, doc._id)) n += 1;
      } catch (err) {
        writeErrors.push(writeError(index, err));
        if (ordered) break;
      }
    }
    return { n, ...(writeErrors.length > 0 ? { writeErrors } : {}), ok: 1 };
  },

  findAndModify: (cmd, db, ctx) => {
    checkNoTransaction(cmd);
    const name = collectionName(cmd, 'findAndModify');
    validateNamespace(db, name);
    checkFields(cmd, 'findAndModify', [
      'findAndModify',
      'findandmodify',
      'query',
      'sort',
      'remove',
      'update',
      'new',
      'fields',
      'upsert',
      'bypassDocumentValidation',
      'collation',
      'arrayFilters',
      'hint',
      'let',
    ]);
    checkConcerns(cmd);
    const remove = cmd.remove === true;
    const hasUpdate = cmd.update !== undefined && cmd.update !== null;
    if (remove && hasUpdate)
      throw commandError('FailedToParse', 'Cannot specify both an update and remove=true');
    if (!remove && !hasUpdate)
      throw commandError('FailedToParse', 'Either an update or remove=true must be specified');
    if (remove && cmd.upsert === true)
      throw commandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
    if (remove && cmd.new === true)
      throw commandError('FailedToParse', 'Cannot specify both new=true and remove=true');
    const query = optionalDocument(cmd, 'query') ?? {};
    const fields = optionalDocument(cmd, 'fields');
    const coll = ctx.storage.getCollection(db, name);
    checkHint(cmd.hint, coll);
    const scope = scopeOf(cmd, ctx, db);
    const [match] = select(coll, query, optionalDocument(cmd, 'sort'), scope);
    const shown = (doc: Doc | undefined): Doc | null => (doc ? (project([doc], fields)[0] ?? null) : null);
    if (remove) {
      if (match && coll) ctx.storage.delete(coll, match._id);
      return { lastErrorObject: { n: match ? 1 : 0 }, value: shown(match), ok: 1 };
    }
    const u = checkUpdate(cmd.update);
    const arrayFilters = cmd.arrayFilters as Doc[] | undefined;
    if (match && coll) {
      const next = updatedDocument(match, u, query, arrayFilters, scope.options.variables);
      if (keyString(next) !== keyString(match)) ctx.storage.replace(coll, next);
      return {
        lastErrorObject: { n: 1, updatedExisting: true },
        value: shown(cmd.new === true ? next : match),
        ok: 1,
      };
    }
    if (cmd.upsert === true) {
      const doc = upsertDocument(query, u, arrayFilters, scope.options.variables);
      ctx.storage.insert(ctx.storage.ensureCollection(db, name).coll, doc);
      return {
        lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
        value: cmd.new === true ? shown(doc) : null,
        ok: 1,
      };
    }
    return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  },
};

/** mongod stores `_id` as the first field and generates one when the client did not. */
export function withIdFirst(doc: Doc): Doc {
  const keys = Object.keys(doc);
  if (keys[0] === '_id') return doc;
  const out: Doc = { _id: '_id' in doc ? doc._id : new ObjectId() };
  for (const key of keys) if (key !== '_id') out[key] = doc[key];
  return out;
}

/** One failed statement of a write batch as the `writeErrors` entry mongod reports. */
function writeError(index: number, err: unknown): Doc {
  if (err instanceof CommandError) return { index, code: err.code, errmsg: err.message, ...err.extra };
  return { index, code: 1, errmsg: (err as Error).message };
}
