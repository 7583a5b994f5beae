// The queries the application sends, as shapes: which collection, which fields the filter names with what
// kind of condition, and the sort. Read from the driver's command monitoring, so that every query counts —
// the models', connect-mongo's sessions, agenda's jobs, GridFS, the rate limiter — as the server receives it.
import type { mongo } from 'mongoose';
import { mongoose } from '../../server/db/mongoose.js';
import { testEnv } from './env.js';

/** How a filter names a field: `eq` and `in` bound an index key to points, `range` to an interval; `other` ($ne, $nin, $exists…) to neither. */
export type Condition = 'eq' | 'in' | 'range' | 'other';
export type SortKey = [field: string, direction: 1 | -1];

export interface QueryShape {
  collection: string;
  /** find, findAndModify, update, delete, count, distinct, aggregate */
  op: string;
  fields: Record<string, Condition>;
  /** An $or: each branch's own fields (the top-level ones apply to every branch too). */
  or?: Record<string, Condition>[];
  sort: SortKey[];
  /** The command stops after one document (findOne, exists, updateOne…). */
  single: boolean;
}

/** Commands that read no documents by a filter: the recorder passes them by. */
const NOT_QUERIES = new Set([
  'insert', 'getMore', 'killCursors', 'createIndexes', 'listIndexes', 'listCollections', 'dropIndexes', 'drop', 'dropDatabase', 'create',
  'hello', 'isMaster', 'ismaster', 'ping', 'buildInfo', 'endSessions', 'saslStart', 'saslContinue', 'serverStatus', 'collStats',
]);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** The kind of condition one filter value puts on its field. */
function conditionOf(value: unknown): Condition {
  if (value instanceof RegExp || (value as { _bsontype?: string } | null)?._bsontype === 'BSONRegExp') {
    const source = value instanceof RegExp ? value.source : (value as { pattern: string }).pattern;
    return source.startsWith('^') ? 'range' : 'other';
  }
  if (!isPlainObject(value)) return 'eq';
  const ops = Object.keys(value);
  if (!ops.some((k) => k.startsWith('$'))) return 'eq'; // a whole sub-document
  if (ops.includes('$eq') || ops.includes('$all') || ops.includes('$elemMatch')) return 'eq';
  if (ops.includes('$in')) return 'in';
  if (ops.some((k) => ['$gt', '$gte', '$lt', '$lte'].includes(k))) return 'range';
  return 'other';
}

/** The fields a filter names and how; an $or's branches on their own. */
export function fieldsOf(filter: Record<string, unknown> | undefined): Pick<QueryShape, 'fields' | 'or'> {
  const fields: Record<string, Condition> = {};
  let or: Record<string, Condition>[] | undefined;
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (key === '$and') {
      for (const part of value as Record<string, unknown>[]) Object.assign(fields, fieldsOf(part).fields);
    } else if (key === '$or') {
      or = (value as Record<string, unknown>[]).map((branch) => fieldsOf(branch).fields);
    } else if (key.startsWith('$')) {
      fields[key] = 'other'; // $expr, $where, $nor: nothing an index bounds
    } else {
      fields[key] = conditionOf(value);
    }
  }
  return or ? { fields, or } : { fields };
}

/** The driver sends a sort as a Map (its key order is the sort's); a pipeline's $sort is a plain object. */
function sortOf(sort: unknown): SortKey[] {
  const entries = sort instanceof Map ? [...sort.entries()] : isPlainObject(sort) ? Object.entries(sort) : [];
  return entries.map(([field, dir]) => [String(field), Number(dir) < 0 ? -1 : 1]);
}

const shape = (collection: string, op: string, filter: unknown, sort: unknown, single: boolean): QueryShape => ({
  collection, op, ...fieldsOf(filter as Record<string, unknown>), sort: sortOf(sort), single,
});

/** The query shapes of one command as the driver sends it; throws on a command it does not know. */
export function shapesOfCommand(name: string, command: Record<string, unknown>): QueryShape[] {
  if (NOT_QUERIES.has(name)) return [];
  const collection = String(command[name]);
  switch (name) {
    case 'find':
      return [shape(collection, 'find', command.filter, command.sort, command.limit === 1)];
    case 'findAndModify':
      return [shape(collection, 'findAndModify', command.query, command.sort, true)];
    case 'update':
      return (command.updates as { q: unknown; multi?: boolean; sort?: unknown }[]).map((u) => shape(collection, 'update', u.q, u.sort, !u.multi));
    case 'delete':
      return (command.deletes as { q: unknown; limit: number }[]).map((d) => shape(collection, 'delete', d.q, undefined, d.limit === 1));
    case 'count':
      return [shape(collection, 'count', command.query, undefined, false)];
    case 'distinct':
      return [shape(collection, 'distinct', command.query, undefined, false)];
    case 'aggregate': {
      const stages = command.pipeline as Record<string, unknown>[];
      const match = stages[0]?.$match;
      const sort = (match ? stages[1] : stages[0])?.$sort;
      return [shape(collection, 'aggregate', match, sort, false)];
    }
    default:
      throw new Error(`the query recorder does not know the command "${name}" (${JSON.stringify(command).slice(0, 200)})`);
  }
}

/** A shape as one line: `comments find {document:eq, round:eq} sort {seq:-1}`. Conditions are listed in field order. */
export function shapeKey(s: Pick<QueryShape, 'collection' | 'op' | 'fields' | 'or' | 'sort'>): string {
  const fields = (f: Record<string, Condition>) => `{${Object.keys(f).sort().map((k) => `${k}:${f[k]}`).join(', ')}}`;
  const or = s.or ? ` $or [${s.or.map(fields).join(' | ')}]` : '';
  const sort = s.sort.length ? ` sort {${s.sort.map(([f, d]) => `${f}:${d}`).join(', ')}}` : '';
  return `${s.collection} ${s.op} ${fields(s.fields)}${or}${sort}`;
}

export interface QueryRecorder {
  /** Every distinct shape seen so far, by its key. */
  shapes(): Map<string, QueryShape>;
  stop(): Promise<void>;
}

/**
 * Records every query shape sent on the shared connection (the tests' connection has command monitoring
 * on: test/helpers/env.ts) until `stop()`.
 */
export async function recordQueries(): Promise<QueryRecorder> {
  const seen = new Map<string, QueryShape>();
  const failures: Error[] = [];
  const client = mongoose.connection.getClient();
  const onCommand = (e: mongo.CommandStartedEvent) => {
    try {
      for (const s of shapesOfCommand(e.commandName, e.command as Record<string, unknown>)) seen.set(shapeKey(s), s);
    } catch (err) {
      failures.push(err as Error);
    }
  };
  client.on('commandStarted', onCommand);
  return {
    shapes() {
      if (failures.length) throw failures[0];
      return seen;
    },
    async stop() {
      client.off('commandStarted', onCommand);
    },
  };
}
