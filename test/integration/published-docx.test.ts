// The Word copy of a published standard as a cacheable file: the same bytes whenever and by whichever
// server it is rendered (every part dated with the publication, the contents' bookmarks numbered from 1),
// so a strong ETag, the SHA-256 of the bytes, and a 304 for a copy already held (docs/word.md).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { testApp } from '../helpers/app.js';
import { signIn } from '../helpers/agent.js';
import { makeDocument } from '../helpers/factories.js';
import { binary, makePublishedDocument } from '../helpers/publishing.js';
import { zipEntry } from '../helpers/office.js';

/** Each part's date and time as the zip stores them, read by Python's zipfile. */
function zipDates(bytes: Buffer): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accord-zip-'));
  try {
    const file = path.join(dir, 'file.zip');
    writeFileSync(file, bytes);
    const out = execFileSync('python3', ['-c', 'import sys, zipfile\nfor i in zipfile.ZipFile(sys.argv[1]).infolist(): print("%04d-%02d-%02dT%02d:%02d:%02d" % i.date_time)', file], { encoding: 'utf8' });
    return out.trim().split('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the Word copy of a published standard, as a file', () => {
  it('is the same bytes from another server and after other Word files were made, with every part dated with the publication', async () => {
    const { id, doc } = await makePublishedDocument();
    const first = await request(testApp()).get(`/catalogue/${id}/docx`).buffer(true).parse(binary).expect(200);
    const bytes = first.body as Buffer;
    // Other Word files in between move the `docx` package's counters on.
    const draft = await makeDocument();
    const sec = await signIn(testApp(), draft.by);
    await sec.agent.get(`/documents/${draft.id}/revisions/1/docx`).expect(200);
    const other = await request(testApp()).get(`/catalogue/${id}/docx`).buffer(true).parse(binary).expect(200);
    assert.ok((other.body as Buffer).equals(bytes), 'a second server renders the same bytes');
    assert.equal(other.headers.etag, first.headers.etag);

    const published = doc.publication!.publishedAt;
    const dos = new Date(Math.floor(published.getTime() / 2000) * 2000).toISOString().slice(0, 19);
    assert.deepEqual([...new Set(zipDates(bytes))], [dos], 'every part of the zip dated with the publication (DOS time, 2 s steps)');
    const core = zipEntry(bytes, 'docProps/core.xml');
    const instant = published.toISOString().replace(/\.\d{3}Z$/, 'Z');
    assert.match(core, new RegExp(`<dcterms:created[^>]*>${instant}</dcterms:created>`));
    assert.match(core, new RegExp(`<dcterms:modified[^>]*>${instant}</dcterms:modified>`));
    const body = zipEntry(bytes, 'word/document.xml');
    const anchors = [...body.matchAll(/w:anchor="_Toc(\d+)"/g)].map((m) => Number(m[1]));
    assert.ok(anchors.length > 5);
    assert.deepEqual(anchors, anchors.map((_, i) => i + 1), 'the contents point at bookmarks 1, 2, …');
    for (const n of anchors) assert.match(body, new RegExp(`<w:bookmarkStart w:name="_Toc${n}" w:id="${n}"/>`));
  });

  it('carries a strong ETag, the SHA-256 of its bytes, and answers a copy already held with 304', async () => {
    const app = testApp();
    const { id, doc } = await makePublishedDocument();
    const res = await request(app).get(`/catalogue/${id}/docx`).buffer(true).parse(binary).expect(200);
    const bytes = res.body as Buffer;
    assert.equal(res.headers.etag, `"${createHash('sha256').update(bytes).digest('hex')}"`);
    assert.equal(res.headers['last-modified'], doc.publication!.publishedAt.toUTCString());
    assert.equal(res.headers['cache-control'], 'public, no-cache');
    const held = await request(app).get(`/catalogue/${id}/docx`).set('If-None-Match', res.headers.etag!).expect(304);
    assert.equal(held.headers.etag, res.headers.etag);
    assert.equal(held.text ?? '', '');
    await request(app).get(`/catalogue/${id}/docx`).set('If-None-Match', '"0000"').expect(200);
    await request(app).get(`/catalogue/${id}/docx`).set('If-Modified-Since', new Date(doc.publication!.publishedAt.getTime() + 1000).toUTCString()).expect(304);
    await request(app).head(`/catalogue/${id}/docx`).expect(200).expect('ETag', res.headers.etag!);
  });
});
