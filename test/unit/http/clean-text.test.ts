import assert from 'node:assert/strict';
import { cleanText, cleanTexts, parseCleanQuery } from '../../../server/http/clean-text.js';

describe('text at the boundary', () => {
  it('normalises to NFC: «й» typed as и + combining breve is one letter', () => {
    assert.equal(cleanText('Серии\u0306ныи\u0306'), 'Серийный');
    assert.equal(cleanText('Серии\u0306ныи\u0306').length, 8);
  });

  it('strips control characters but keeps tab, line feed and carriage return', () => {
    assert.equal(cleanText('a\u0000b\u0002c\u001bd\u007fe\u0085f'), 'abcdef');
    assert.equal(cleanText('строка 1\r\nстрока 2\tи'), 'строка 1\r\nстрока 2\tи');
  });

  it('strips bidirectional overrides and isolates, zero-width characters and the BOM', () => {
    const hidden = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u2060', '\ufeff'];
    for (const h of hidden) assert.equal(cleanText(`ГОСТ${h} 1`), 'ГОСТ 1', `U+${h.codePointAt(0)!.toString(16).toUpperCase()}`);
  });

  it('keeps the characters committee texts use', () => {
    const text = 'β γ δ ± × ÷ ≤ ≥ ≈ ≠ ∞ ° ℃ µ Ω ′ ″ ‰ ∅ ⌀ √ ∑ ² ₂ ў і Ё — «»';
    assert.equal(cleanText(text), text.normalize('NFC'));
  });

  it('walks bodies: objects, arrays and keys, leaving numbers and booleans alone', () => {
    assert.deepEqual(cleanTexts({ a: 'x\u0002', list: ['\u202eб', 3, true, null], nested: { ['k\u200b']: 'v' } }), { a: 'x', list: ['б', 3, true, null], nested: { k: 'v' } });
  });

  it('cleans query strings as they are parsed', () => {
    assert.deepEqual({ ...parseCleanQuery('q=%D1%81%D1%82%D0%B0%D0%BD%D0%BA%D0%B8%02&x=1&x=2') }, { q: 'станки', x: ['1', '2'] });
  });
});
