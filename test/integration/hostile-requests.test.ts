import assert from 'node:assert/strict';
import net from 'node:net';
import { testEnv } from '../helpers/env.js';
import { makePublishedDocument } from '../helpers/publishing.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

/** Writes raw bytes to the server and returns what came back before the connection closed (or `waitMs` passed). */
function raw(url: string, bytes: string | Buffer, opts: { end?: boolean; destroyAfterMs?: number; waitMs?: number } = {}): Promise<string> {
  const { port, hostname } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(done, opts.waitMs ?? 5000);
    socket.on('data', (d) => {
      chunks.push(d);
      if (opts.destroyAfterMs === 0) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes, () => {
      if (opts.end) socket.end();
      if (opts.destroyAfterMs !== undefined && opts.destroyAfterMs > 0) setTimeout(done, opts.destroyAfterMs);
    });
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? NaN);

/**
 * Requests crafted to break the server, sent to a real server process (so that an uncaught error would
 * end it): after each the server must still answer /healthz.
 */
describe('hostile requests against a running server', function () {
  this.timeout(120_000);
  let server: ServerProcess;
  let cookie: string;
  let action: string;
  let token: string;
  let publishedId: string;

  before(async () => {
    ({ id: publishedId } = await makePublishedDocument());
    server = await startServerProcess({ MONGODB_URI: testEnv().mongoUri });
    const page = await fetch(`${server.url}/verify`);
    cookie = (page.headers.getSetCookie() ?? []).map((c) => c.split(';')[0]).join('; ');
    const html = await page.text();
    action = /<form[^>]+action="(\/verify)"[^>]*data-test="upload-form"/.exec(html)![1]!;
    token = /data-test="upload-form">\s*<input type="hidden" name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  });
  after(async () => {
    await server?.stop();
  });

  afterEach(async () => {
    const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(5000) });
    assert.equal(res.status, 200, `the server is down after the request; its log:\n${server.output()}`);
  });

  const multipartHead = (boundary: string, length?: number) =>
    `POST ${action} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
    (length === undefined ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${length}\r\n`) +
    'Connection: close\r\n\r\n';
  // The form's token first, as the page's form sends it.
  const tokenPart = (boundary: string) => `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`;
  const filePart = (boundary: string) =>
    tokenPart(boundary) + `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="standard.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n` + 'x'.repeat(3000);
  const chunk = (s: string) => `${Buffer.byteLength(s).toString(16)}\r\n${s}\r\n`;

  it('answers 400 to an upload whose body ends before its closing boundary', async () => {
    const answer = await raw(server.url, multipartHead('cut') + chunk(filePart('cut')) + '0\r\n\r\n');
    assert.equal(statusOf(answer), 400, answer.slice(0, 300));
    assert.match(answer, /Форма загрузки повреждена или прервана/);
  });

  it('survives a client that goes away in the middle of an upload', async () => {
    const body = filePart('gone');
    await raw(server.url, multipartHead('gone', body.length + 100_000) + body, { destroyAfterMs: 300 });
  });

  it('survives a client that half-closes in the middle of an upload', async () => {
    const body = filePart('half');
    await raw(server.url, multipartHead('half', body.length + 100_000) + body, { end: true, waitMs: 3000 });
  });

  it('answers 400 to a multipart body with a broken part header', async () => {
    const body = tokenPart('b') + '--b\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n' + 'X'.repeat(20_000);
    const answer = await raw(server.url, multipartHead('b') + chunk(body) + '0\r\n\r\n');
    assert.ok([400, 413].includes(statusOf(answer)), answer.slice(0, 300));
  });

  it('survives a reader who goes away in the middle of a download', async () => {
    const request = `GET /catalogue/${publishedId}/pdf HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
    const answer = await raw(server.url, request, { destroyAfterMs: 0 });
    assert.equal(statusOf(answer), 200);
  });

  it('survives readers who go away while a draft PDF or a page is on its way', async () => {
    for (const path of [`/documents/${publishedId}/pdf`, `/catalogue/${publishedId}`]) {
      await raw(server.url, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, { destroyAfterMs: 0, waitMs: 2000 });
    }
  });

  it('answers a Referer that is no URL without an error', async () => {
    const res = await fetch(`${server.url}/locale/en`, { headers: { Referer: 'http://a:b/' }, redirect: 'manual' });
    assert.ok(res.status < 500, `status ${res.status}`);
  });

  it('answers a Host header that is no host name without an error', async () => {
    for (const path of ['/catalogue/feed.atom', '/catalogue/requirements.json', '/catalogue', '/verify']) {
      const answer = await raw(server.url, `GET ${path} HTTP/1.1\r\nHost: [\r\nConnection: close\r\n\r\n`);
      const status = statusOf(answer);
      assert.ok(status < 500, `${path}: ${answer.slice(0, 200)}`);
    }
  });
});
