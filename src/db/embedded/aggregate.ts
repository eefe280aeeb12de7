import { Aggregator } from 'mingo';
import type { AnyObject, Options } from 'mingo/types';
import { commandError } from './errors.js';
import { cursorReply, optionalDocument, optionalNumber } from './handler.js';
import type { CommandContext, Handler } from './handler.js';
import { checkConcerns, checkFields, checkHint, collateFilter } from './options.js';
import type { Collation } from './options.js';
import { guard, project, scopeOf, select } from './query.js';
import { duplicateKeyError, validateNamespace } from './storage.js';
import { cloneDocument, isPlainObject, keyString, numberKind, originOf, toNumber, viewOf } from './values.js';
import type { Doc } from './values.js';
import { withIdFirst } from './writes.js';

/** The aggregate command: a pipeline over one collection, its results as a cursor or written by $out/$merge. */
export const aggregateCommands: Record<string, Handler> = {
  aggregate: (cmd, db, ctx) => {
    const target: unknown = cmd.aggregate;
    const pipeline: unknown = cmd.pipeline;
    if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) {
      throw commandError('TypeMismatch', "'pipeline' option must be specified as an array");
    }
    if (cmd.explain === true)
      throw commandError('IllegalOperation', 'explain is not supported by the embedded server');
    const cursorOptions = optionalDocument(cmd, 'cursor');
    if (!cursorOptions && cmd.explain !== true) {
      throw commandError(
        'FailedToParse',
        "The 'cursor' option is required, except for aggregate with the explain argument",
      );
    }
    checkFields(cmd, 'aggregate', [
      'aggregate',
      'pipeline',
      'cursor',
      'explain',
      'allowDiskUse',
      'bypassDocumentValidation',
      'collation',
      'hint',
      'let',
    ]);
    checkConcerns(cmd);
    const given = pipeline;
    given.forEach((stage, i) => {
      const stage0 = stageName(stage);
      if ((stage0 === '$out' || stage0 === '$merge') && i !== given.length - 1) {
        throw commandError('Location40601', `${stage0} can only be the final stage in the pipeline`);
      }
    });
    const last = given[given.length - 1];
    const writer = last && (stageName(last) === '$out' || stageName(last) === '$merge') ? last : undefined;
    const scope = scopeOf(cmd, ctx, db);
    const collated = collatePipeline(writer ? given.slice(0, -1) : given, scope.collation);
    const body = collated.flatMap(expandCount);
    const name = typeof target === 'string' ? target : undefined;
    if (name !== undefined) validateNamespace(db, name);
    const coll = name !== undefined ? ctx.storage.getCollection(db, name) : undefined;
    checkHint(cmd.hint, coll);
    const options: Partial<Options> = scope.collation
      ? { ...scope.options, collation: cmd.collation as Options['collation'] }
      : scope.options;
    let input: Doc[];
    let rest = body;
    const first = body[0];
    if (first && isPlainObject(first.$match) && Object.keys(first).length === 1) {
      input = select(coll, first.$match, undefined, scope);
      rest = body.slice(1);
    } else {
      input = coll ? Array.from(coll.docs.values()) : [];
    }
    const results = rest.length === 0 ? input : guard(() => runStages(rest, input, options));
    if (writer) {
      if ('$out' in writer) writeOut(ctx, db, writer.$out, results);
      else writeMerge(ctx, db, writer.$merge, results);
      return cursorReply(ctx, `${db}.${name ?? '$cmd.aggregate'}`, [], undefined);
    }
    return cursorReply(
      ctx,
      `${db}.${name ?? '$cmd.aggregate'}`,
      results,
      optionalNumber(cursorOptions ?? {}, 'batchSize'),
    );
  },
};

/** Stages that never write into the documents they are given, so stored documents need no copy. */
const PURE_STAGES = new Set([
  '$match',
  '$sort',
  '$skip',
  '$limit',
  '$count',
  '$group',
  '$sortByCount',
  '$project',
  '$unwind',
  '$lookup',
]);

/** Stages whose output documents are input documents (filtered or reordered), so held types carry through. */
const KEEPING_STAGES = new Set(['$match', '$sort', '$skip', '$limit']);

function stageName(stage: Doc | undefined): string {
  return stage ? (Object.keys(stage)[0] ?? '') : '';
}

/**
 * Runs a pipeline so that numbers keep their BSON types as far as mongod would keep them: stages that only
 * filter or reorder run on the query engine's views and give back the held documents, and plain inclusion or
 * exclusion projections run on the held documents. From the first other stage ($group, $addFields, …) on,
 * the rest runs on views, where an int64 or a round double that passes through unchanged comes out as an
 * int32 (a documented limit of the embedded server; the app's pipelines do not depend on it).
 */
function runStages(stages: Doc[], input: Doc[], options: Partial<Options>): Doc[] {
  let docs = input;
  let i = 0;
  while (i < stages.length) {
    if (KEEPING_STAGES.has(stageName(stages[i]))) {
      let j = i;
      while (j < stages.length && KEEPING_STAGES.has(stageName(stages[j]))) j += 1;
      const views = docs.map((doc) => viewOf(doc));
      docs = new Aggregator(stages.slice(i, j) as AnyObject[], options)
        .run<Doc>(views as AnyObject[])
        .map(originOf);
      i = j;
      continue;
    }
    const projection = plainProjection(stages[i] as Doc);
    if (projection) {
      docs = project(docs, projection);
      i += 1;
      continue;
    }
    const rest = stages.slice(i);
    const views = docs.map((doc) => viewOf(doc));
    const inputs = rest.every(isPureStage) ? views : views.map((doc) => cloneDocument(doc));
    return new Aggregator(rest, options).run<Doc>(inputs as AnyObject[]);
  }
  return docs;
}

/** `$project` of plain 0/1/true/false fields, or `$unset`, as a find projection; undefined otherwise. */
function plainProjection(stage: Doc): Doc | undefined {
  if (Object.keys(stage).length !== 1) return undefined;
  const unset: unknown = stage.$unset;
  if (typeof unset === 'string') return { [unset]: 0 };
  if (Array.isArray(unset) && unset.length > 0 && unset.every((f) => typeof f === 'string')) {
    return Object.fromEntries(unset.map((f: string) => [f, 0]));
  }
  const spec: unknown = stage.$project;
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) return undefined;
  const plain = Object.entries(spec).every(
    ([field, v]) =>
      !field.startsWith('$') &&
      (typeof v === 'boolean' || (numberKind(v) !== undefined && [0, 1].includes(toNumber(v)))),
  );
  return plain ? spec : undefined;
}

function isPureStage(stage: Doc): boolean {
  const [name] = Object.keys(stage);
  return name !== undefined && PURE_STAGES.has(name);
}

/** `$count` as mongod runs it: a group that yields nothing for no input (mingo's yields a zero). */
function expandCount(stage: Doc): Doc[] {
  const field: unknown = stage.$count;
  if (Object.keys(stage).length !== 1 || typeof field !== 'string') return [stage];
  return [{ $group: { _id: null, [field]: { $sum: 1 } } }, { $project: { _id: 0 } }];
}

/** Stages that run as mongod would under a case-insensitive collation (their `$match` filters rewritten). */
const COLLATED_STAGES = new Set(['$match', '$sort', '$skip', '$limit', '$count']);

/**
 * The pipeline to run under a collation. Strength 3 changes only order ($sort, which the engine collates).
 * Strength 2 rewrites `$match` filters for case-insensitive equality and refuses every stage whose
 * comparisons it would not collate ($group keys, $lookup joins, expressions), with InvalidOptions (72).
 */
function collatePipeline(stages: Doc[], collation: Collation | undefined): Doc[] {
  if (!collation || collation.strength === 3) return stages;
  return stages.map((stage) => {
    const name = stageName(stage);
    if (!COLLATED_STAGES.has(name) && !plainProjection(stage) && !isConstantCount(stage)) {
      throw commandError(
        'InvalidOptions',
        `${name} under a case-insensitive collation is not supported by the embedded server`,
      );
    }
    return name === '$match' && isPlainObject(stage.$match)
      ? { $match: collateFilter(stage.$match, collation) }
      : stage;
  });
}

/** `{ $group: { _id: <constant>, n: { $sum: <number> } } }` (countDocuments): no string is compared. */
function isConstantCount(stage: Doc): boolean {
  const group: unknown = stage.$group;
  if (Object.keys(stage).length !== 1 || !isPlainObject(group)) return false;
  const id: unknown = group._id;
  if (typeof id === 'string' || isPlainObject(id) || Array.isArray(id)) return false;
  return Object.entries(group).every(
    ([field, acc]) =>
      field === '_id' ||
      (isPlainObject(acc) && Object.keys(acc).length === 1 && numberKind(acc.$sum) !== undefined),
  );
}

const MERGE_FIELDS = ['into', 'on', 'whenMatched', 'whenNotMatched', 'let'];

/**
 * `$merge` into a collection, as mongod does it with `on: '_id'` (the default): each result is matched
 * by `_id` in the target (created when missing); `whenMatched` is `merge` (default: the result's fields
 * over the existing document), `replace`, `keepExisting` or `fail` (E11000); `whenNotMatched` is `insert`
 * (default), `discard` or `fail` (MergeStageNoMatchingDocument, 13113). Other `on` fields, pipeline
 * `whenMatched` and `let` are refused with InvalidOptions (72).
 */
function writeMerge(ctx: CommandContext, db: string, spec: unknown, results: Doc[]): void {
  const merge: Doc = typeof spec === 'string' ? { into: spec } : isPlainObject(spec) ? spec : {};
  if (!isPlainObject(spec) && typeof spec !== 'string') {
    throw commandError('TypeMismatch', '$merge requires a string or object argument');
  }
  checkFields(merge, '$merge', MERGE_FIELDS, [], false);
  const into: unknown = merge.into;
  const [targetDb, targetName] =
    typeof into === 'string'
      ? [db, into]
      : isPlainObject(into) && typeof into.coll === 'string'
        ? [typeof into.db === 'string' ? into.db : db, into.coll]
        : (() => {
            throw commandError('FailedToParse', "$merge 'into' must be a collection name or { db, coll }");
          })();
  const on: unknown = merge.on ?? '_id';
  if (!(on === '_id' || (Array.isArray(on) && on.length === 1 && on[0] === '_id'))) {
    throw commandError(
      'InvalidOptions',
      "$merge 'on' fields other than _id are not supported by the embedded server",
    );
  }
  if (merge.let !== undefined) {
    throw commandError('InvalidOptions', "$merge 'let' is not supported by the embedded server");
  }
  const whenMatched: unknown = merge.whenMatched ?? 'merge';
  const whenNotMatched: unknown = merge.whenNotMatched ?? 'insert';
  if (
    typeof whenMatched !== 'string' ||
    !['merge', 'replace', 'keepExisting', 'fail'].includes(whenMatched)
  ) {
    throw commandError(
      'InvalidOptions',
      "$merge 'whenMatched' pipelines are not supported by the embedded server",
    );
  }
  if (typeof whenNotMatched !== 'string' || !['insert', 'discard', 'fail'].includes(whenNotMatched)) {
    throw commandError(
      'BadValue',
      `Enumeration value '${String(whenNotMatched)}' for field '$merge.whenNotMatched' is not a valid value.`,
    );
  }
  const { coll } = ctx.storage.ensureCollection(targetDb, targetName);
  for (const raw of results) {
    const doc = withIdFirst(raw);
    const existing = coll.docs.get(keyString(doc._id));
    if (existing) {
      if (whenMatched === 'fail') throw duplicateKeyError(coll.ns, '_id_', { _id: 1 }, { _id: doc._id });
      if (whenMatched === 'keepExisting') continue;
      const next = whenMatched === 'replace' ? doc : { ...existing, ...doc };
      if (keyString(next) !== keyString(existing)) ctx.storage.replace(coll, next);
    } else if (whenNotMatched === 'insert') {
      ctx.storage.insert(coll, doc);
    } else if (whenNotMatched === 'fail') {
      throw commandError(
        'MergeStageNoMatchingDocument',
        '$merge could not find a matching document in the target collection for at least one document in the source collection',
      );
    }
  }
}

function writeOut(ctx: CommandContext, db: string, out: unknown, results: Doc[]): void {
  const [targetDb, targetName] =
    typeof out === 'string'
      ? [db, out]
      : isPlainObject(out) && typeof out.coll === 'string'
        ? [typeof out.db === 'string' ? out.db : db, out.coll]
        : (() => {
            throw commandError('TypeMismatch', '$out must be a collection name or { db, coll }');
          })();
  const existing = ctx.storage.getCollection(targetDb, targetName);
  const specs = existing ? Array.from(existing.indexes.values(), (i) => i.spec) : [];
  if (existing) ctx.storage.dropCollection(targetDb, targetName);
  const { coll } = ctx.storage.ensureCollection(targetDb, targetName);
  for (const spec of specs) ctx.storage.createIndex(coll, spec);
  for (const doc of results) ctx.storage.insert(coll, withIdFirst(doc));
}
