import assert from 'node:assert/strict';
import { mongo } from 'mongoose';
import { indexServes, servedBy, type RegisteredIndex } from '../../helpers/index-rule.js';
import { shapeKey, shapesOfCommand, type QueryShape } from '../../helpers/query-shapes.js';

const index = (keys: Record<string, 1 | -1>, unique = false): RegisteredIndex => ({ collection: 'c', keys: Object.entries(keys), unique, source: 'schema' });
const find = (filter: Record<string, unknown>, sort?: Record<string, 1 | -1>): QueryShape => shapesOfCommand('find', { find: 'c', filter, ...(sort ? { sort: new Map(Object.entries(sort)) } : {}) })[0]!;

describe('query shapes', () => {
  it('names each filter field with the kind of condition on it, and the sort the driver sends as a Map', () => {
    const s = find({ document: new mongo.ObjectId(), round: 1, status: { $in: ['internal', 'dropped'] }, at: { $lt: new Date() }, passwordHash: { $ne: null }, anchor: { kind: 'table', ref: '1' } }, { seq: -1 });
    assert.equal(shapeKey(s), 'c find {anchor:eq, at:range, document:eq, passwordHash:other, round:eq, status:in} sort {seq:-1}');
  });

  it('reads $and into the fields, $or into branches, and the filters of updates, deletes and pipelines', () => {
    assert.equal(shapeKey(find({ $and: [{ a: 1 }, { b: { $gte: 2 } }], $or: [{ c: 1 }, { d: { $exists: true } }] })), 'c find {a:eq, b:range} $or [{c:eq} | {d:other}]');
    const update = shapesOfCommand('update', { update: 'c', updates: [{ q: { _id: 1 }, u: {} }, { q: { user: 2 }, u: {}, multi: true }] });
    assert.deepEqual(update.map((s) => [shapeKey(s), s.single]), [['c update {_id:eq}', true], ['c update {user:eq}', false]]);
    assert.equal(shapeKey(shapesOfCommand('aggregate', { aggregate: 'c', pipeline: [{ $match: { a: 1 } }, { $sort: { b: 1 } }, { $group: {} }] })[0]!), 'c aggregate {a:eq} sort {b:1}');
    assert.deepEqual(shapesOfCommand('insert', { insert: 'c', documents: [] }), []);
    assert.throws(() => shapesOfCommand('mapReduce', { mapReduce: 'c' }), /does not know the command "mapReduce"/);
  });
});

describe('which index serves a query shape', () => {
  it('an equality prefix, then the sort in the index direction or all reversed', () => {
    const ix = index({ document: 1, round: 1, delegation: 1, status: 1, seq: 1 });
    assert.equal(indexServes(ix, find({ document: 1, round: 1, delegation: 'BY', status: 'released' }, { seq: -1 }).fields, [['seq', -1]]), true);
    assert.equal(indexServes(ix, find({ document: 1, round: 1 }).fields, []), true, 'a prefix bounds the scan');
    assert.equal(indexServes(ix, find({ round: 1, status: 'released' }).fields, []), false, 'without the first key it scans the index whole');
    assert.equal(indexServes(ix, find({ document: 1, round: 1, delegation: 'BY' }).fields, [['seq', 1]]), false, 'status, not fixed, stands between');
  });

  it('a key fixed to one value may stand between the sort keys; a list of values only in the prefix', () => {
    const ix = index({ document: 1, round: 1, delegation: 1, status: 1, seq: 1 });
    assert.equal(indexServes(ix, find({ document: 1, round: 1, status: 'released' }).fields, [['delegation', 1], ['seq', 1]]), true);
    assert.equal(indexServes(ix, find({ document: 1, round: 1, status: { $in: ['a', 'b'] } }).fields, [['delegation', 1], ['seq', 1]]), false);
    assert.equal(indexServes(index({ state: 1, updatedAt: -1 }), find({ state: { $in: ['a', 'b'] } }).fields, [['updatedAt', -1]]), true, '$in points are merged in order');
  });

  it('a sort-only shape needs an index that starts with the sort; mixed directions must match or all flip', () => {
    assert.equal(indexServes(index({ updatedAt: -1 }), {}, [['updatedAt', 1]]), true);
    assert.equal(indexServes(index({ state: 1, updatedAt: -1 }), {}, [['updatedAt', -1]]), false);
    assert.equal(indexServes(index({ a: 1, b: -1 }), {}, [['a', -1], ['b', 1]]), true);
    assert.equal(indexServes(index({ a: 1, b: -1 }), {}, [['a', 1], ['b', 1]]), false);
    assert.equal(indexServes(index({ updatedAt: -1 }), { state: 'eq' }, [['updatedAt', -1]]), false, 'a filter with equalities needs them in the prefix');
  });

  it('a range alone is served by an index that starts with it, but a sort after a range is sorted in memory', () => {
    assert.equal(indexServes(index({ at: 1 }), { at: 'range' }, []), true);
    assert.equal(indexServes(index({ attempts: 1, at: 1 }), { attempts: 'range' }, [['at', 1]]), false);
    assert.equal(indexServes(index({ at: 1, attempts: 1 }), { attempts: 'range' }, [['at', 1]]), true);
    assert.equal(indexServes(index({ a: 1 }), { a: 'other' }, []), false, '$ne or $exists does not bound it');
  });

  it('names the best index, branch indexes for an $or, and none for a whole collection read', () => {
    const indexes = [index({ _id: 1 }, true), index({ user: 1 }), index({ user: 1, kind: 1 }), index({ tokenHash: 1 }, true)];
    assert.equal(servedBy(find({ user: 1, kind: 'reset' }), indexes), '{user:1, kind:1}');
    assert.equal(servedBy(find({ tokenHash: 'x', kind: 'reset' }, { createdAt: -1 }), indexes), '{tokenHash:1} unique', 'one document: nothing to sort');
    assert.equal(servedBy(find({ $or: [{ user: 1 }, { tokenHash: 'x' }] }), indexes), '{user:1} | {tokenHash:1} unique');
    assert.equal(servedBy(find({ $or: [{ user: 1 }, { name: 'x' }] }), indexes), undefined);
    assert.equal(servedBy(find({}), indexes), undefined);
    assert.equal(servedBy({ ...find({}), single: true }, indexes), '(any one document)');
  });
});
