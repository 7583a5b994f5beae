import assert from 'node:assert/strict';
import { listHref, pageParam, pageSizeParam, pagerOf, sliceOf } from '../../../server/http/paging.js';
import { InvalidInput } from '../../../server/errors.js';

describe('paging', () => {
  it('reads a page number from 1, and refuses anything else naming the field', () => {
    assert.equal(pageParam(undefined), 1);
    assert.equal(pageParam('7'), 7);
    for (const bad of ['', '0', '-1', '1.5', 'abc', '01', '1234567', ['1', '2']]) {
      assert.throws(() => pageParam(bad), (e: unknown) => e instanceof InvalidInput && e.details?.page === 'paging.badPage', String(bad));
    }
    assert.equal(pageSizeParam(undefined, 100, 500), 100);
    assert.equal(pageSizeParam('500', 100, 500), 500);
    for (const bad of ['', '0', '501', 'x']) assert.throws(() => pageSizeParam(bad, 100, 500), InvalidInput, bad);
  });

  it('shows a page past the last as the last, and an empty list as one empty page', () => {
    assert.deepEqual(sliceOf(120, 9, 50), { total: 120, page: 3, pages: 3, pageSize: 50, skip: 100 });
    assert.deepEqual(sliceOf(0, 4, 50), { total: 0, page: 1, pages: 1, pageSize: 50, skip: 0 });
    const empty = pagerOf(sliceOf(0, 1, 50), (n) => `/x?page=${n}`);
    assert.deepEqual([empty.from, empty.to, empty.several], [0, 0, false]);
  });

  it('links the first and last pages and those near this one, with a gap where some are skipped', () => {
    const p = pagerOf(sliceOf(1000, 10, 50), (n) => listHref('/admin/users', { q: 'ков', role: undefined }, n));
    assert.deepEqual([p.from, p.to, p.pages], [451, 500, 20]);
    assert.deepEqual(p.links.map((l) => `${l.gap ? '… ' : ''}${l.n}${l.current ? '*' : ''}`), ['1', '… 8', '9', '10*', '11', '12', '… 20']);
    assert.equal(p.previous, `/admin/users?q=${encodeURIComponent('ков')}&page=9`);
    assert.equal(p.links[0]!.href, `/admin/users?q=${encodeURIComponent('ков')}`, 'the first page needs no number');
  });
});
