import assert from 'node:assert/strict';
import { defaultEngineCacheDir, startEngine, type RunningEngine } from '../../server/db/engine.js';
import { freePort, runServerExpectingExit, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the server process', function () {
  this.timeout(120_000);
  let enginePort: number;
  let engine: RunningEngine | undefined;
  let server: ServerProcess | undefined;

  before(async () => {
    enginePort = await freePort();
    engine = await startEngine({ backend: 'memory', port: enginePort, cacheDir: defaultEngineCacheDir() });
    server = await startServerProcess({ MONGODB_URI: `mongodb://127.0.0.1:${enginePort}/accord_process` });
  });
  after(async () => {
    await server?.stop();
    await engine?.stop();
  });

  it('reports the database in /healthz', async () => {
    const res = await fetch(`${server!.url}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok', database: 'up' });
  });

  it('answers 503 while the database is away and recovers by itself when it returns', async () => {
    await engine!.stop();
    engine = undefined;
    await waitUntil('the server notices', async () => (await fetch(`${server!.url}/sign-in`)).status === 503);
    const page = await fetch(`${server!.url}/sign-in`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 503);
    assert.match(await page.text(), /База данных временно недоступна/);
    const api = await fetch(`${server!.url}/api/me`);
    assert.equal(api.status, 503);
    assert.equal(((await api.json()) as { error: { status: number } }).error.status, 503);

    engine = await startEngine({ backend: 'memory', port: enginePort, cacheDir: defaultEngineCacheDir() });
    await waitUntil('the database is back', async () => (await fetch(`${server!.url}/healthz`)).status === 200);
    const again = await fetch(`${server!.url}/sign-in`);
    assert.equal(again.status, 200);
  });

  it('stops cleanly on SIGTERM, finishing what is in flight', async () => {
    const inFlight = fetch(`${server!.url}/sign-in`);
    await new Promise((r) => setTimeout(r, 5));
    const code = await server!.stop();
    assert.equal(code, 0);
    assert.equal((await inFlight).status, 200);
    assert.match(server!.output(), /Accord stopped/);
    await assert.rejects(fetch(`${server!.url}/healthz`));
    server = undefined;
  });

  it('refuses to start with a wrong setting, naming it', async () => {
    const { code, output } = await runServerExpectingExit({ PORT: 'eighty', MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    assert.equal(code, 2);
    assert.match(output, /PORT/);
    const bad = await runServerExpectingExit({ MONGODB_URI: 'http://example.org' });
    assert.equal(bad.code, 2);
    assert.match(bad.output, /MONGODB_URI: must start with mongodb:\/\//);
  });
});
