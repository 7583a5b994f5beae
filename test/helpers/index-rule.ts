// Which registered index serves a query shape, by the rule MongoDB's planner follows for an index scan that
// needs no collection scan and no in-memory sort: the index's leading keys are fixed by the filter's
// equalities (or $in lists, whose points it merges in order), then come the sort keys, all in the index's
// direction or all reversed — a later key that the filter fixes to one value may stand between them, as it
// does not change the order. Without a sort, the equality prefix bounds the scan, or the first key alone
// for a range. A sort-only shape needs an index that starts with the sort.
import { mongoose } from '../../server/db/mongoose.js';
import type { Condition, QueryShape, SortKey } from './query-shapes.js';

export interface RegisteredIndex {
  collection: string;
  keys: SortKey[];
  unique: boolean;
  /** Declared on a Mongoose schema, or found in the database (created by GridFS, agenda, connect-mongo…). */
  source: 'schema' | 'database';
}

const ID_INDEX = (collection: string, source: RegisteredIndex['source']): RegisteredIndex => ({ collection, keys: [['_id', 1]], unique: true, source });

const keysOf = (spec: Record<string, unknown>): SortKey[] => Object.entries(spec).map(([f, d]) => [f, Number(d) < 0 ? -1 : 1]);

/** The indexes every model declares (Model.schema.indexes(), path-level ones included), plus _id, by collection. */
export function schemaIndexes(): Map<string, RegisteredIndex[]> {
  const out = new Map<string, RegisteredIndex[]>();
  for (const model of Object.values(mongoose.models)) {
    const collection = model.collection.collectionName;
    const list = [ID_INDEX(collection, 'schema')];
    for (const [spec, options] of model.schema.indexes()) {
      list.push({ collection, keys: keysOf(spec as Record<string, unknown>), unique: !!(options as { unique?: boolean }).unique, source: 'schema' });
    }
    out.set(collection, list);
  }
  return out;
}

/** The indexes the database holds for collections no model owns (their owners create them at run time). */
export async function databaseIndexes(collections: Iterable<string>): Promise<Map<string, RegisteredIndex[]>> {
  const db = mongoose.connection.db!;
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const out = new Map<string, RegisteredIndex[]>();
  for (const collection of collections) {
    const found = existing.has(collection) ? await db.collection(collection).indexes() : [];
    const list = found.map((ix) => ({ collection, keys: keysOf(ix.key), unique: ix.unique === true || ix.name === '_id_', source: 'database' as const }));
    out.set(collection, list.length ? list : [ID_INDEX(collection, 'database')]);
  }
  return out;
}

const bounded = (c: Condition | undefined) => c === 'eq' || c === 'in';

/** The index keys from `keys[0]` give the order `order` (all in the index's direction, or all reversed). */
function givesOrder(keys: SortKey[], order: SortKey[]): boolean {
  if (keys.length < order.length) return false;
  const flip = keys[0]![1] === order[0]![1] ? 1 : -1;
  return order.every(([f, d], j) => keys[j]![0] === f && keys[j]![1] * flip === d);
}

/** Whether one index serves a filter (its fields) and a sort without a collection scan or an in-memory sort. */
export function indexServes(index: Pick<RegisteredIndex, 'keys' | 'unique'>, fields: Record<string, Condition>, sort: SortKey[]): boolean {
  const keys = index.keys;
  let prefix = 0;
  while (prefix < keys.length && bounded(fields[keys[prefix]![0]])) prefix++;
  // A unique index with every key fixed to one value finds at most one document: nothing to sort.
  if (index.unique && prefix === keys.length && keys.every(([f]) => fields[f] === 'eq')) return true;
  const hasPoints = Object.values(fields).some(bounded);
  // Sorting on a field the filter fixes to one value costs nothing.
  const order = sort.filter(([f]) => fields[f] !== 'eq');
  if (order.length) return (prefix > 0 || !hasPoints) && givesOrder(keys.slice(prefix).filter(([f]) => fields[f] !== 'eq'), order);
  return prefix > 0 || fields[keys[0]![0]] === 'range';
}

/** How many leading keys of the index the filter binds: the better index binds more. */
function boundKeys(index: RegisteredIndex, fields: Record<string, Condition>): number {
  let n = 0;
  while (n < index.keys.length && fields[index.keys[n]![0]] !== undefined && fields[index.keys[n]![0]] !== 'other') n++;
  return n;
}

function bestFor(indexes: RegisteredIndex[], fields: Record<string, Condition>, sort: SortKey[]): RegisteredIndex | undefined {
  const serving = indexes.filter((ix) => indexServes(ix, fields, sort));
  return serving.sort((a, b) => boundKeys(b, fields) - boundKeys(a, fields) || a.keys.length - b.keys.length)[0];
}

/** `{document:1, round:1}` */
export const indexName = (ix: Pick<RegisteredIndex, 'keys' | 'unique'>): string => `{${ix.keys.map(([f, d]) => `${f}:${d}`).join(', ')}}${ix.unique ? ' unique' : ''}`;

/**
 * The index (or, for an $or, the indexes of its branches) that serves the shape, described in words;
 * undefined when none does. A filterless read of one document (findOne({}), exists) needs none.
 */
export function servedBy(shape: QueryShape, indexes: RegisteredIndex[]): string | undefined {
  const { fields, or, sort } = shape;
  if (!Object.keys(fields).length && !or && !sort.length && shape.single) return '(any one document)';
  const whole = bestFor(indexes, fields, sort);
  if (whole) return indexName(whole);
  if (!or || sort.length) return undefined;
  // Each branch of an $or is planned on its own, with the top-level conditions added to it.
  const branches = or.map((b) => bestFor(indexes, { ...fields, ...b }, []));
  return branches.every(Boolean) ? branches.map((b) => indexName(b!)).join(' | ') : undefined;
}
