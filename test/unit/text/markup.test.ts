import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  collectRefs, escapeHtml, inlineMarkupToHtml, listMarker, markupToHtml, markupToPlainText, parseInline, parseMarkup, type Block,
} from '../../../server/text/markup.js';

const numbers: Record<string, string> = { k1: '4.2', annex: 'А' };
const resolve = (key: string) => numbers[key];
const html = (src: string) => markupToHtml(parseMarkup(src), resolve);
const plain = (src: string) => markupToPlainText(parseMarkup(src), resolve);

describe('markup: parsing and HTML', () => {
  const cases: Array<[string, string, string]> = [
    ['paragraphs split on blank lines, lines joined', 'один\nдва\n\nтри', '<p>один два</p><p>три</p>'],
    ['emphasis and strong', 'a *курсив* и **жирный**', '<p>a <em>курсив</em> и <strong>жирный</strong></p>'],
    ['nesting', '**a *b* c**', '<p><strong>a <em>b</em> c</strong></p>'],
    ['units with superscript', 'площадь 10 мм^{2}, допуск 10^{-6}', '<p>площадь 10 мм<sup>2</sup>, допуск 10<sup>-6</sup></p>'],
    ['subscript', 'U_{пит}', '<p>U<sub>пит</sub></p>'],
    ['cross-references by key', 'по [[ref:k1]] и приложению [[ref:annex]]',
      '<p>по <a class="xref" href="#clause-k1">4.2</a> и приложению <a class="xref" href="#clause-annex">А</a></p>'],
    ['an unknown reference', 'см. [[ref:nope]]', '<p>см. <span class="xref-missing">[?]</span></p>'],
    ['a reference key with forbidden characters stays text', '[[ref:a b]]', '<p>[[ref:a b]]</p>'],
    ['unclosed delimiters stay literal', 'a * b ** c ^{ d _{', '<p>a * b ** c ^{ d _{</p>'],
    ['empty emphasis stays literal', 'a ** b', '<p>a ** b</p>'],
    ['a stray closing brace', 'a } b', '<p>a } b</p>'],
    ['escapes', '\\*не курсив\\* и \\^{2} и \\\\', '<p>*не курсив* и ^{2} и \\</p>'],
    ['snake_case and a lone caret', 'a_b x^2', '<p>a_b x^2</p>'],
    ['bullet list with dashes', 'Содержит:\n– знак;\n- номер;\n• год.',
      '<p>Содержит:</p><ul><li>знак;</li><li>номер;</li><li>год.</li></ul>'],
    ['numbered list with explicit markers', '1) раз\n2. два',
      '<ol class="list-number"><li><span class="list-marker">1)</span> раз</li><li><span class="list-marker">2)</span> два</li></ol>'],
    ['lettered list in the GOST sequence', 'а) раз\nб) два\nкороче',
      '<ol class="list-letter"><li><span class="list-marker">а)</span> раз</li><li><span class="list-marker">б)</span> два короче</li></ol>'],
    ['a list style change starts a new list', '- a\n1) b', '<ul><li>a</li></ul><ol class="list-number"><li><span class="list-marker">1)</span> b</li></ol>'],
    ['HTML in text is escaped', '<script>alert("x")</script> & \'q\'',
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</p>'],
    ['Windows line ends', 'a\r\n\r\nb', '<p>a</p><p>b</p>'],
    ['nothing', '  \n\n ', ''],
  ];
  for (const [what, src, out] of cases) it(`renders ${what}`, () => assert.equal(html(src), out));

  it('renders one line inline, for table cells', () => {
    assert.equal(inlineMarkupToHtml('мм^{2} <b> [[ref:k1]]', resolve), 'мм<sup>2</sup> &lt;b&gt; <a class="xref" href="#clause-k1">4.2</a>');
  });

  it('escapes what the resolver returns', () => {
    assert.equal(markupToHtml(parseMarkup('[[ref:k]]'), () => '<b>'), '<p><a class="xref" href="#clause-k">&lt;b&gt;</a></p>');
  });

  it('keeps the AST plain data', () => {
    const blocks = parseMarkup('**a** ^{2} [[ref:k1]]\n\n- x');
    assert.deepEqual(JSON.parse(JSON.stringify(blocks)), blocks);
    assert.deepEqual(blocks, [
      { type: 'paragraph', content: [
        { type: 'strong', children: [{ type: 'text', text: 'a' }] }, { type: 'text', text: ' ' },
        { type: 'sup', children: [{ type: 'text', text: '2' }] }, { type: 'text', text: ' ' }, { type: 'ref', key: 'k1' },
      ] },
      { type: 'list', style: 'bullet', items: [[{ type: 'text', text: 'x' }]] },
    ] satisfies Block[]);
  });

  it('collects cross-referenced keys', () => {
    assert.deepEqual(collectRefs(parseMarkup('[[ref:a]] *[[ref:b]]*\n- ^{[[ref:c]]}')), ['a', 'b', 'c']);
  });

  it('letters lists past the GOST sequence with numbers', () => {
    assert.equal(listMarker('letter', 7), 'и)');
    assert.equal(listMarker('letter', 25), '26)');
  });
});

describe('markup: plain text', () => {
  it('turns sub- and superscripts into Unicode where it can', () => {
    assert.equal(plain('мм^{2}, 10^{-6}, H_{2}O, x^{ab}'), 'мм², 10⁻⁶, H₂O, x^(ab)');
  });
  it('drops emphasis, resolves references and marks list items', () => {
    assert.equal(plain('**Важно** по [[ref:k1]]:\n- раз\n\nа) два'), 'Важно по 4.2:\n– раз\nа) два');
  });
});

describe('markup: properties', () => {
  const OWN_TAGS = /<\/?(p|ul|li|em|strong|sup|sub)>|<ol class="list-(number|letter)">|<\/ol>|<span class="(list-marker|xref-missing)">|<\/span>|<a class="xref" href="#clause-[A-Za-z0-9_-]+">|<\/a>/g;
  const pieces = fc.constantFrom('*', '**', '^{', '_{', '}', '{', '\\', '[[ref:', '[[ref:k1]]', ']]', '<', '>', '&', '"', "'",
    '<script>', '</p>', '<a href="javascript:x">', '\n', '\n\n', '- ', '1) ', 'а) ', 'текст', ' ', 'мм', '2');
  const markupish = fc.oneof(fc.array(pieces, { maxLength: 40 }).map((p) => p.join('')), fc.string({ unit: 'grapheme', maxLength: 80 }));

  it('never lets a < or > through that is not one of its own tags', () => {
    fc.assert(fc.property(markupish, fc.option(fc.string()), (src, label) => {
      const out = markupToHtml(parseMarkup(src), () => label ?? undefined);
      assert.doesNotMatch(out.replace(OWN_TAGS, ''), /[<>]/);
    }), { numRuns: 500 });
  });

  it('keeps every character of plain text', () => {
    const word = fc.stringMatching(/^[а-яА-Яa-z0-9,.;:!?()%°±]{1,12}$/);
    fc.assert(fc.property(fc.array(word, { minLength: 1, maxLength: 10 }), (words) => {
      fc.pre(!/^(\d{1,3}[.)]|[a-zа-яё]\))$/.test(words[0]!));
      const text = words.join(' ');
      assert.equal(markupToPlainText(parseMarkup(text)), text);
      assert.equal(html(text), `<p>${escapeHtml(text)}</p>`);
    }));
  });

  it('parses any inline text without throwing and without losing non-markup characters', () => {
    fc.assert(fc.property(markupish, (src) => {
      const flat = JSON.stringify(parseInline(src));
      for (const ch of src.replace(/[*^_{}[\]\\\n]|ref:/g, '')) assert.ok(flat.includes(JSON.stringify(ch).slice(1, -1)), ch);
    }));
  });
});
