// The real server on its own embedded engine (as `npm start` runs it) while that engine stalls, dies
// or cannot start: every answer comes within the time limits of docs/engine.md, the engine is
// restarted, and /healthz follows. Bounds are generous ("answered at all before N s"), never timings.
import assert from 'node:assert/strict';
import { createServer, Socket, type Server } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { engineProcesses, freePort, runServerExpectingExit, startServerWithEngine, stopProcess, type ServerWithEngine } from '../helpers/server-process.js';

/** A request that reaches the database: a made-up API token is looked up, then refused with 401. */
function databaseRequest(base: string, timeoutMs: number): Promise<Response> {
  return fetch(`${base}/api/me`, { headers: { authorization: 'Bearer acc_not-a-real-token' }, signal: AbortSignal.timeout(timeoutMs) });
}

function healthz(base: string, timeoutMs: number): Promise<Response> {
  return fetch(`${base}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (performance.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A listener on the port that never answers, or undefined while the port is taken. */
function listenOn(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const sockets = new Set<Socket>();
    const s = createServer((socket) => {
      sockets.add(socket.once('close', () => sockets.delete(socket)));
    });
    s.once('error', () => resolve(undefined));
    s.listen(port, '127.0.0.1', () => resolve(Object.assign(s, { dropAll: () => sockets.forEach((c) => c.destroy()) })));
  });
}

/** Closes a listener of listenOn(), dropping the connections it accepted. */
function release(s: Server | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!s) return resolve();
    s.close(() => resolve());
    (s as Server & { dropAll(): void }).dropAll();
  });
}

const healthy = (base: string) => async () => (await healthz(base, 3000)).status === 200;

describe('the server on its own embedded engine', function () {
  this.timeout(120_000);
  let server: ServerWithEngine | undefined;
  let stalled: number | undefined;

  before(async () => {
    // REQUEST_TIMEOUT short, so that the trickling client below is cut off quickly.
    server = await startServerWithEngine({ REQUEST_TIMEOUT: '2' });
  });
  afterEach(() => {
    if (stalled) process.kill(stalled, 'SIGCONT');
    stalled = undefined;
  });
  after(async () => {
    await server?.cleanUp();
  });

  it('answers 503 within the time limits while the engine is stopped, and is healthy again when it continues', async () => {
    const base = server!.url;
    assert.equal((await databaseRequest(base, 10_000)).status, 401);
    const pid = server!.enginePid()!;
    await stopProcess(pid);
    stalled = pid;

    // Sent after the stop: it waits on a database that does not answer.
    const inFlight = await databaseRequest(base, 12_000);
    assert.equal(inFlight.status, 503);
    assert.equal(((await inFlight.json()) as { error: { status: number } }).error.status, 503);
    const later = await databaseRequest(base, 12_000);
    assert.equal(later.status, 503);
    const health = await healthz(base, 3_000);
    assert.equal(health.status, 503);
    assert.deepEqual(await health.json(), { status: 'unavailable', database: 'down' });

    process.kill(pid, 'SIGCONT');
    stalled = undefined;
    await waitUntil('/healthz is healthy again', healthy(base));
    assert.equal((await databaseRequest(base, 10_000)).status, 401);
  });

  it('restarts the engine after SIGTERM from someone else', async () => {
    const base = server!.url;
    await waitUntil('/healthz is healthy', healthy(base));
    const before = server!.enginePid()!;
    process.kill(before, 'SIGTERM');
    // The new engine's process appears before it listens: the supervisor's "restarted" line says it does.
    await waitUntil('the engine is restarted and /healthz is healthy', async () => {
      const now = server!.enginePid();
      return now !== undefined && now !== before && /embedded database restarted at/.test(server!.output()) && (await healthz(base, 3000)).status === 200;
    }, 60_000);
    assert.equal((await databaseRequest(base, 10_000)).status, 401);
    assert.match(server!.output(), /embedded database exited unexpectedly \(code 143\); restarting it in [\d.]+ s \(attempt 1\)/);
    assert.match(server!.output(), /embedded database restarted at mongodb:\/\/127\.0\.0\.1:\d+/);
  });

  it('after SIGKILL, answers 503 while the engine cannot come back, and keeps trying with back-off', async () => {
    const base = server!.url;
    await waitUntil('/healthz is healthy', healthy(base));
    process.kill(server!.enginePid()!, 'SIGKILL');
    // Take the engine's port as soon as the dead engine frees it: the restarts fail until it is given back.
    let squatter: Server | undefined;
    await waitUntil('the engine port is free to take', async () => (squatter = await listenOn(server!.enginePort)) !== undefined, 10_000);
    try {
      await waitUntil('a restart has failed', async () => /embedded database did not restart: .*port is taken/.test(server!.output()), 30_000);
      for (let i = 0; i < 3; i++) {
        assert.equal((await databaseRequest(base, 12_000)).status, 503);
        assert.equal((await healthz(base, 3_000)).status, 503);
      }
    } finally {
      await release(squatter);
    }
    await waitUntil('the engine is back and /healthz is healthy', healthy(base), 60_000);
    assert.equal((await databaseRequest(base, 10_000)).status, 401);
    assert.match(server!.output(), /embedded database exited unexpectedly \(SIGKILL\); restarting it/);
    assert.match(server!.output(), /embedded database did not restart: .*port is taken.*; trying again in [\d.]+ s \(attempt \d+\)/);
  });

  it('cuts off a client that trickles its request headers or body', async () => {
    const { port } = new URL(server!.url);
    const trickle = (head: string, drip: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = new Socket();
        let answer = '';
        const drops = setInterval(() => socket.write(drip), 250);
        const giveUp = setTimeout(() => {
          socket.destroy();
          reject(new Error(`not cut off within 15 s (answer so far: ${JSON.stringify(answer)})`));
        }, 15_000);
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (answer += chunk));
        socket.on('error', () => undefined); // a reset after the answer is fine
        socket.on('close', () => {
          clearInterval(drops);
          clearTimeout(giveUp);
          resolve(answer);
        });
        socket.connect(Number(port), '127.0.0.1', () => socket.write(head));
      });
    const [body, headers] = await Promise.all([
      trickle('POST /sign-in HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n', 'a'),
      trickle('GET /sign-in HTTP/1.1\r\nHost: localhost\r\n', 'X-A: b\r\n'),
    ]);
    assert.match(body, /^HTTP\/1\.1 408/);
    assert.match(headers, /^HTTP\/1\.1 408/);
    // The server goes on answering others.
    assert.equal((await fetch(`${server!.url}/healthz`)).status, 200);
  });

  it('stops promptly on SIGTERM while its engine is dead, and leaves no engine behind', async () => {
    await waitUntil('/healthz is healthy', healthy(server!.url));
    process.kill(server!.enginePid()!, 'SIGKILL');
    // Past the first back-off (0.5 s): most likely while the new engine is starting.
    await new Promise((r) => setTimeout(r, 700));
    const stopped = server!.stop();
    const code = await Promise.race([stopped, new Promise((r) => setTimeout(() => r('still running after 8 s'), 8_000))]);
    assert.equal(code, 0, server!.output());
    assert.deepEqual(engineProcesses(server!.dataDir), []);
  });
});

describe('a second server whose engine port is taken', function () {
  this.timeout(60_000);
  let holder: Server | undefined;
  let dataDir: string | undefined;
  after(async () => {
    await release(holder);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('says so in one line naming ENGINE_PORT', async () => {
    const enginePort = await freePort();
    holder = await listenOn(enginePort);
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'accord-port-'));
    const { code, output } = await runServerExpectingExit({ DATA_DIR: dataDir, ENGINE_PORT: String(enginePort), PORT: String(await freePort()), LOG_LEVEL: 'warn' });
    assert.equal(code, 1);
    const lines = output.trim().split('\n');
    assert.equal(lines.length, 1, output);
    assert.match(lines[0]!, new RegExp(`127\\.0\\.0\\.1:${enginePort}.*taken.*ENGINE_PORT`));
  });
});
