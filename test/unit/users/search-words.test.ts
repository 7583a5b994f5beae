import assert from 'node:assert/strict';
import { prefixPattern, searchTerms, searchWordsOf } from '../../../server/users/search-words.js';

describe('the people list’s search words', () => {
  it('keeps the words of the name (a hyphenated one also by its parts) and of the address, lower case, «ё» as «е»', () => {
    const words = searchWordsOf('Алёна  Ковалёва-Петрова (BY)', 'A.Kovaleva+acc@Gosstandart.gov.by');
    for (const w of ['алена', 'ковалева-петрова', 'ковалева', 'петрова', 'by', 'a.kovaleva+acc@gosstandart.gov.by', 'a.kovaleva+acc', 'gosstandart.gov.by', 'kovaleva', 'acc', 'gosstandart']) {
      assert.ok(words.includes(w), `${w} in ${words.join(' ')}`);
    }
    assert.equal(new Set(words).size, words.length, 'each once');
  });

  it('reads a search as its words, each the start of a stored word', () => {
    assert.deepEqual(searchTerms('  Ковалёв,  ИРИНА  ковалёв '), ['ковалев', 'ирина']);
    assert.deepEqual(searchTerms('a b c d e f g'), ['a', 'b', 'c', 'd', 'e']);
    const p = prefixPattern('a.kov+');
    assert.ok(p.test('a.kov+x@b.by'));
    assert.ok(!p.test('abkov+'), 'a dot is a dot');
    assert.ok(!p.test('xa.kov+'), 'only from the start');
  });
});
