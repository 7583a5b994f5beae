// The real server (server/main.ts) as a child process, on an engine of its own: what a browser journey
// or a benchmark needs when it must see Accord exactly as it runs, from an empty installation.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultEngineCacheDir, startEngine, stopOnExit, type RunningEngine } from '../../server/db/engine.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const READY = /Accord is running at (\S+)/;
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

/** A free loopback port (closed again at once, so another process may in theory take it first). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  pid: number;
  /** everything the process wrote so far (stdout and stderr), for failure messages */
  output(): string;
  /** SIGTERM, wait for the exit, SIGKILL after a grace period */
  stop(): Promise<void>;
}


/**
 * The environment of a process a test starts: exactly `env`, plus PATH and HOME, plus libfaketime's
 * variables when the suite runs under it (npm run test:calendar), so that every process shares its clock.
 */
export function childEnv(env: Record<string, string> = {}): Record<string, string> {
  const clock = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && (k === 'LD_PRELOAD' || k.startsWith('FAKETIME')))) as Record<string, string>;
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...clock, ...env };
}

/** Runs a terminal command (`node --import tsx <script> …args`) to its end, with exactly this environment (childEnv). */
export function runCommand(script: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: repoRoot, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

/**
 * Starts `node --import tsx <script>` from the repository root with exactly this environment (plus
 * PATH and HOME, see childEnv) and waits until it prints `ready`.
 */
export async function startChild(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  name = script,
  nodeArgs: string[] = [],
): Promise<ChildProcess & { logs: () => string }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: repoRoot,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Children still running when this process exits (a failed run, Ctrl-C) are not left behind.
  stopOnExit(child);
  let logs = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (logs += chunk));

  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`${name} ${why}:\n${logs.trim() || '(no output)'}`));
    };
    const timer = setTimeout(() => fail(`did not become ready within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: string) => {
      logs += chunk;
      if (ready.test(logs)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => fail(`exited before it was ready (${signal ?? `code ${code}`})`));
    child.once('error', (err) => fail(`could not be started: ${err.message}`));
  });
  return Object.assign(child, { logs: () => logs });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

export interface AccordInstance {
  server: ChildServer;
  engine: RunningEngine;
  /** mongodb://127.0.0.1:PORT/DBNAME, the database the server uses */
  mongoUri: string;
  /** stops the server, then its engine */
  stop(): Promise<void>;
}

/**
 * An empty Accord installation: a memory engine of its own and `node --import tsx server/main.ts`
 * pointed at it, as a person would run it with MONGODB_URI set.
 */
export async function startAccord(opts: { env?: Record<string, string>; database?: string; nodeArgs?: string[] } = {}): Promise<AccordInstance> {
  const engine = await startEngine({ backend: 'memory', port: 0, cacheDir: defaultEngineCacheDir() });
  const mongoUri = `${engine.uri}/${opts.database ?? 'accord'}`;
  try {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = await startChild(
      'server/main.ts',
      { HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: url, MONGODB_URI: mongoUri, LOG_LEVEL: 'warn', NODE_ENV: 'test', ...opts.env },
      READY,
      'Accord (server/main.ts)',
      opts.nodeArgs,
    );
    const server: ChildServer = { url, port, pid: child.pid!, output: child.logs, stop: () => stopChild(child) };
    return {
      server,
      engine,
      mongoUri,
      async stop() {
        await server.stop();
        await engine.stop();
      },
    };
  } catch (err) {
    await engine.stop();
    throw err;
  }
}
