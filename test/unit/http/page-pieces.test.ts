import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { BlockStore, crc32Combine, KeptBlock } from '../../../server/http/page-pieces.js';

describe('pages in pieces', () => {
  it('combines the CRC-32 of two parts into the CRC-32 of both, whatever their lengths', () => {
    const text = Buffer.from('Изделия должны соответствовать требованиям настоящего стандарта. '.repeat(5000));
    for (const [a, b] of [[0, 0], [0, 17], [17, 0], [1, 1], [1000, 3], [3, 250_001], [123_457, text.length - 123_457]] as const) {
      const left = text.subarray(0, a);
      const right = text.subarray(a, a + b);
      assert.equal(crc32Combine(zlib.crc32(left), zlib.crc32(right), right.length), zlib.crc32(Buffer.concat([left, right])), `${a} + ${b}`);
    }
  });

  it('keeps a block as bytes with where its marks are, and puts the person’s parts there', () => {
    const html = '<div id="a">Пункт «1»<!--mark:a--></div><div id="b">Пункт 2<!--mark:b--></div>\n';
    const block = new KeptBlock(html);
    assert.equal(block.bytes.toString(), html);
    assert.deepEqual(block.names, ['a', 'b']);
    assert.equal(block.bytes.subarray(block.starts[0], block.ends[0]).toString(), '<!--mark:a-->');
    assert.equal(block.bytes.subarray(block.starts[1], block.ends[1]).toString(), '<!--mark:b-->');
    assert.equal(block.text({ b: '<p>2 замечания</p>' }), '<div id="a">Пункт «1»</div><div id="b">Пункт 2<p>2 замечания</p></div>\n');
    assert.equal(block.text({}), '<div id="a">Пункт «1»</div><div id="b">Пункт 2</div>\n');
    // No parts given: the block as rendered.
    assert.equal(block.text(), html);
  });

  it('holds blocks up to its byte limit, dropping the least recently used first', () => {
    const store = new BlockStore(2500);
    let renders = 0;
    const get = (key: string) => store.get(key, () => (renders++, key.repeat(1000)));
    get('a');
    get('b');
    get('a'); // a is now the most recently used
    assert.equal(renders, 2);
    get('c'); // 3000 bytes: b goes
    assert.equal(store.count, 2);
    assert.ok(store.bytesHeld <= 2500);
    get('a');
    assert.equal(renders, 3);
    get('b');
    assert.equal(renders, 4);
    // Its compressed copy counts too.
    const big = new BlockStore(10_000);
    const block = big.get('x', () => 'Пункт. '.repeat(500));
    const before = big.bytesHeld;
    const deflated = big.deflated(block);
    assert.equal(big.bytesHeld, before + deflated.length);
    assert.equal(zlib.inflateRawSync(deflated, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString(), 'Пункт. '.repeat(500));
    assert.equal(big.deflated(block), deflated, 'made once');
  });
});
