// Two Accord servers on one database behind nginx (round robin, no stickiness): what "stateless" promises,
// shown through the proxy — docs/operations.md, "Several instances".
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Comment } from '../../server/comments/model.js';
import { DocumentModel } from '../../server/documents/model.js';
import { Journey, see } from '../helpers/browser.js';
import { csrfOf } from '../helpers/agent.js';
import { drainNotices } from '../helpers/app.js';
import { testEnv } from '../helpers/env.js';
import { clearRateLimits, makeCirculatedDocument, makeUser, password, type MadeUser } from '../helpers/factories.js';
import { makePublishedDocument, storedFileOf } from '../helpers/publishing.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { stopOnExit } from '../../server/db/engine.js';

/** How often each instance's scheduler looks for work in this test (JOB_INTERVAL, seconds). */
const JOB_INTERVAL_S = 1;

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** which instance answered (nginx's $upstream_addr) */
  upstream: string;
}

const METRICS_TOKEN = 'two-instances-metrics-0123456789';

/** How many rounds of the scheduled work an instance has finished (its /metrics, asked directly). */
/** The rounds of the comment-period sweep an instance has finished, whatever their outcome (done or failed). */
async function jobsDone(instance: ServerProcess): Promise<number> {
  const r = await call(`${instance.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = r.body.toString();
  const count = (outcome: string) => Number(new RegExp(`accord_jobs_total\\{job="comment-periods",outcome="${outcome}"\\} (\\d+)`).exec(text)?.[1] ?? 0);
  const failed = count('failed');
  if (failed) console.log(`    (${instance.url}: ${failed} comment-period rounds failed so far)`);
  return count('done') + failed;
}

/** One HTTP request through the proxy; `from` picks the client's own loopback address. */
function call(url: string, opts: { method?: string; cookie?: string; form?: Record<string, string>; headers?: Record<string, string>; from?: string } = {}): Promise<Answer> {
  const body = opts.form ? new URLSearchParams(opts.form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: opts.method ?? (body ? 'POST' : 'GET'),
      localAddress: opts.from,
      agent: false,
      headers: { ...(opts.cookie ? { cookie: opts.cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } : {}), ...opts.headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), upstream: String(res.headers['x-upstream'] ?? '') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The cookies a response sets, as a Cookie header value merged into what was sent before. */
function withCookies(before: string, res: Answer): string {
  const jar = new Map(before.split('; ').filter(Boolean).map((c) => [c.split('=')[0]!, c]));
  for (const c of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
    const pair = c.split(';')[0]!;
    jar.set(pair.split('=')[0]!, pair);
  }
  return [...jar.values()].join('; ');
}

async function signInThrough(base: string, user: Pick<MadeUser, 'email' | 'password'>): Promise<{ cookie: string; upstreams: string[] }> {
  const page = await call(`${base}/sign-in`);
  let cookie = withCookies('', page);
  const res = await call(`${base}/sign-in`, { cookie, form: { _csrf: csrfOf(page.body.toString()), email: user.email, password: user.password, next: '/' } });
  assert.equal(res.status, 303, res.body.toString().slice(0, 300));
  cookie = withCookies(cookie, res);
  return { cookie, upstreams: [page.upstream, res.upstream] };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, seconds: number): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() > deadline) assert.fail(`${what}: not within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function nginxConfig(dir: string, port: number, upstreams: number[]): string {
  return `worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream accord {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${port};
    client_max_body_size 25m;
    location / {
      proxy_pass http://accord;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_max_temp_file_size 0;
      proxy_next_upstream error timeout;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

describe('two instances behind nginx, one database', function () {
  this.timeout(300_000);
  let dir: string;
  let nginx: ChildProcess | undefined;
  let base: string;
  const instances: ServerProcess[] = [];

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'accord-proxy-'));
    const proxyPort = await freePort();
    base = `http://127.0.0.1:${proxyPort}`;
    // No daily digest: when it goes out depends on the time of day (its once-only sending is tested with an injected clock).
    const env = { MONGODB_URI: testEnv().mongoUri, SMTP_URL: testEnv().smtp.url, PUBLIC_URL: base, TRUST_PROXY: 'true', JOB_INTERVAL: String(JOB_INTERVAL_S), DIGEST_TIME: 'off', METRICS_TOKEN, LOG_LEVEL: 'info' };
    instances.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])));
    const conf = path.join(dir, 'nginx.conf');
    await writeFile(conf, nginxConfig(dir, proxyPort, instances.map((i) => Number(new URL(i.url).port))));
    nginx = spawn('nginx', ['-p', dir, '-c', conf, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
    stopOnExit(nginx);
    let nginxErr = '';
    nginx.stderr!.on('data', (d) => (nginxErr += d));
    await until(`nginx at ${base} (${nginxErr})`, async () => ((await call(`${base}/healthz`).catch(() => undefined))?.status === 200 ? true : undefined), 20);
  });

  after(async () => {
    nginx?.kill('SIGTERM');
    for (const i of instances) await i.stop();
    await rm(dir, { recursive: true, force: true });
    await clearRateLimits();
  });

  it('answers from both instances in turn', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) seen.add((await call(`${base}/healthz`)).upstream);
    assert.equal(seen.size, 2, `answered by ${[...seen].join(', ')}`);
  });

  it('keeps a person signed in on both, and takes a form token given by one at the other', async () => {
    const member = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
    const { cookie, upstreams } = await signInThrough(base, member);
    assert.notEqual(upstreams[0], upstreams[1], 'the sign-in form came from one instance and was posted to the other');
    const me = await Promise.all([call(`${base}/api/me`, { cookie }), call(`${base}/api/me`, { cookie })]);
    assert.deepEqual(me.map((r) => r.status), [200, 200]);
    assert.notEqual(me[0]!.upstream, me[1]!.upstream);
    assert.ok(me.every((r) => JSON.parse(r.body.toString()).email === member.email));
  });

  it('shows a comment posted through one instance on the other’s page at once', async () => {
    const { id } = await makeCirculatedDocument({ title: 'Микросхемы интегральные. Два экземпляра' });
    const member = await makeUser('member', { delegation: 'BY' });
    const { cookie } = await signInThrough(base, member);
    const page = await call(`${base}/documents/${id}/comments`, { cookie });
    const posted = await call(`${base}/documents/${id}/comments`, { cookie, form: { _csrf: csrfOf(page.body.toString()), clauseKey: 'scope', type: 'te', text: 'Уточнить классы исполнения (через прокси).' } });
    assert.equal(posted.status, 303);
    const pages = [await call(`${base}/documents/${id}/comments`, { cookie }), await call(`${base}/documents/${id}/comments`, { cookie })];
    assert.notEqual(pages[0]!.upstream, pages[1]!.upstream);
    for (const p of pages) assert.match(p.body.toString(), /Уточнить классы исполнения \(через прокси\)/);
  });

  it('shows a new publication in both instances’ catalogues within the documented delay, and serves the same bytes from both', async () => {
    const title = `Станки лазерные. Каталог двух экземпляров ${Date.now()}`;
    const { id, doc } = await makePublishedDocument({ title });
    // Each instance reloads its catalogue when the shared counter moves (docs/operations.md: within 2 s).
    for (let i = 0; i < 2; i++) {
      await until('the publication in the catalogue', async () => {
        const r = await call(`${base}/catalogue?q=${encodeURIComponent('Каталог двух экземпляров')}`);
        return r.body.toString().includes(id) ? r : undefined;
      }, 2 + 3);
    }
    const { bytes } = await storedFileOf(doc);
    const downloads = [await call(`${base}/catalogue/${id}/pdf`), await call(`${base}/catalogue/${id}/pdf`), await call(`${base}/catalogue/${id}/pdf`)];
    assert.equal(new Set(downloads.map((d) => d.upstream)).size, 2);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    for (const d of downloads) {
      assert.equal(d.status, 200);
      assert.equal(sha(d.body), sha(bytes));
      assert.equal(d.headers.etag, downloads[0]!.headers.etag);
    }
  });

  it('closes a comment period once, with one notice, though both schedulers run', async () => {
    const member = await makeUser('member', { delegation: 'RU' });
    const { id } = await makeCirculatedDocument({ title: 'Микросхемы. Срок истёк при двух планировщиках' });
    // The circulation notices (sent from this process) are out before counting what the schedulers send.
    await drainNotices();
    const before = testEnv().smtp.messages.length;
    await DocumentModel.updateOne({ _id: id }, { $set: { 'commentPeriod.closesAt': new Date(Date.now() - 1000) } });
    const closed = await until('the period closed by a scheduler', async () => {
      const d = await DocumentModel.findById(id).select({ state: 1, history: 1 }).lean();
      return d?.state === 'resolution' ? d : undefined;
    }, 60);
    const toMember = () => testEnv().smtp.messages.slice(before).filter((m) => m.text.includes(`/documents/${id}`) && m.to.includes(member.email));
    await until('the closing announced to the member', async () => (toMember().length ? true : undefined), 60);
    // The schedulers go round four times more (their job counters say so): nothing more happens. Late in the
    // suite a round sweeps every document and account the suite has made, so it is given time, not counted on.
    // The job is one record that whichever instance locks it runs, so the rounds are counted over both.
    const total = async () => (await Promise.all(instances.map(jobsDone))).reduce((a, b) => a + b, 0);
    const runs = await total();
    await until('four more rounds of the schedulers', async () => ((await total()) >= runs + 4 ? true : undefined), 150);
    const after = await DocumentModel.findById(id).select({ history: 1 }).lean();
    assert.equal(after!.history.filter((e) => e.action === 'commentDeadline').length, 1);
    assert.equal(after!.history.length, closed.history.length);
    assert.equal(toMember().length, 1, 'the member is told once');
  });

  it('counts failed sign-ins across instances', async () => {
    await clearRateLimits();
    const user = await makeUser('manufacturer');
    const page = await call(`${base}/sign-in`);
    const cookie = withCookies('', page);
    const csrf = csrfOf(page.body.toString());
    const upstreams = new Set<string>();
    for (let i = 1; i <= 5; i++) {
      const r = await call(`${base}/sign-in`, { cookie, form: { _csrf: csrf, email: user.email, password: `wrong ${i}` } });
      assert.equal(r.status, 401);
      upstreams.add(r.upstream);
    }
    assert.equal(upstreams.size, 2, 'the five failures went to both instances');
    const sixth = await call(`${base}/sign-in`, { cookie, form: { _csrf: csrf, email: user.email, password } });
    assert.equal(sixth.status, 429);
    await clearRateLimits();
  });

  it('logs the client’s address that nginx forwards (TRUST_PROXY), not the proxy’s', async () => {
    const rid = `two-instances-${Date.now()}`;
    const r = await call(`${base}/sign-in`, { from: '127.0.0.2', headers: { 'x-request-id': rid } });
    assert.equal(r.status, 200);
    const line = await until('the request line in a log', async () => instances.map((i) => i.output()).join('\n').split('\n').find((l) => l.includes(rid) && l.includes('request completed')), 5);
    assert.equal(JSON.parse(line).req.remoteAddress, '127.0.0.2');
  });

  it('lets a person sign in and comment in a browser through the proxy', async () => {
    const { id } = await makeCirculatedDocument({ title: 'Микросхемы интегральные. Браузер через прокси' });
    const member = await makeUser('member', { delegation: 'RU', name: 'Сергей Петров' });
    const journey = new Journey('two-instances');
    await journey.start();
    try {
      const page = await journey.newPage('member');
      await journey.signIn(page, base, member.email, member.password);
      await page.goto(`${base}/documents/${id}/comments`);
      await page.locator('details.new-comment summary').click();
      const form = page.locator('form[data-test=new-comment]');
      await form.getByLabel('Пункт').selectOption({ label: '1 Область применения' });
      await form.getByLabel('Вид').selectOption('ed');
      await form.getByLabel('Замечание', { exact: true }).fill('Опечатка в наименовании (браузер через прокси).');
      await form.getByRole('button', { name: 'Сохранить замечание' }).click();
      await see(page, '[data-test=internal]', 'Опечатка в наименовании');
      for (let i = 0; i < 2; i++) {
        await page.reload();
        await see(page, '[data-test=internal]', 'Опечатка в наименовании');
      }
      await journey.screenshot(page, 'comment-through-proxy');
      assert.deepEqual(journey.complaints, []);
    } finally {
      await journey.stop();
    }
  });

  it('loses no acknowledged comment when one instance is killed under load, and the other keeps serving', async () => {
    const { id } = await makeCirculatedDocument({ title: 'Микросхемы. Экземпляр убит под нагрузкой' });
    const writers = await Promise.all(Array.from({ length: 10 }, async () => {
      const m = await makeUser('member', { delegation: 'BY' });
      const { cookie } = await signInThrough(base, m);
      const page = await call(`${base}/documents/${id}/comments`, { cookie });
      return { cookie, csrf: csrfOf(page.body.toString()) };
    }));
    const acknowledged: string[] = [];
    let failed = 0;
    let sent = 0;
    let running = true;
    const load = Promise.all(writers.map(async (w, n) => {
      for (let i = 0; running; i++) {
        const text = `Нагрузка ${n}-${i}`;
        sent++;
        const r = await call(`${base}/documents/${id}/comments`, { cookie: w.cookie, form: { _csrf: w.csrf, clauseKey: 'scope', type: 'ed', text } }).catch(() => undefined);
        if (r?.status === 303) acknowledged.push(text);
        else failed++;
      }
    }));
    await new Promise((r) => setTimeout(r, 2000));
    const victim = instances[1]!;
    process.kill(victim.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 4000));
    running = false;
    await load;
    const stored = new Set((await Comment.find({ document: id }).select({ text: 1 }).lean()).map((c) => c.text));
    const lost = acknowledged.filter((t) => !stored.has(t));
    console.log(`      (killed one of two instances under 10 writers: ${sent} posts, ${acknowledged.length} acknowledged, ${failed} failed around the kill, ${lost.length} acknowledged but lost)`);
    assert.deepEqual(lost, []);
    assert.ok(acknowledged.length > 0);
    // The survivor answers everything after the kill.
    for (let i = 0; i < 4; i++) assert.equal((await call(`${base}/healthz`)).status, 200);
  });
});
