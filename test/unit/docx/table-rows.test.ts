import assert from 'node:assert/strict';
import { tableRowsXml } from '../../../server/docx/table-rows.js';

describe('table rows written as XML', () => {
  it('escapes the text, keeps its line breaks and drops what XML cannot hold', () => {
    const xml = tableRowsXml([['a < b & c > d', 'первая\r\nвторая\nтретья', 'x\u0001y']], [1000, 2000, 3000], 18);
    assert.equal((xml.match(/<w:tr>/g) ?? []).length, 1);
    assert.equal((xml.match(/<w:tc>/g) ?? []).length, 3);
    assert.match(xml, /<w:tcW w:type="dxa" w:w="2000"\/>/);
    assert.match(xml, /<w:t xml:space="preserve">a &lt; b &amp; c &gt; d<\/w:t>/);
    assert.equal((xml.match(/<w:br\/>/g) ?? []).length, 2);
    assert.match(xml, /<w:t xml:space="preserve">xy<\/w:t>/);
  });

  it('gives a missing cell an empty paragraph, so every row has every column', () => {
    const xml = tableRowsXml([['only']], [1000, 1000], 18);
    assert.equal((xml.match(/<w:tc>/g) ?? []).length, 2);
    assert.match(xml, /<w:t xml:space="preserve"><\/w:t>/);
  });
});
