import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { childEnv, freePort, repoRoot, startChild, stopChild } from './server.js';

export { freePort };

export interface ServerProcess {
  url: string;
  pid: number;
  output: () => string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** The real server (server/main.ts) as a child process against a database the caller runs. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = await startChild('server/main.ts', { NODE_ENV: 'test', LOG_LEVEL: 'warn', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: url, ...env }, /Accord is running at/, 'Accord');
  return {
    url,
    pid: child.pid!,
    output: child.logs,
    async stop() {
      await stopChild(child);
      return child.exitCode;
    },
  };
}

export interface ServerWithEngine extends ServerProcess {
  dataDir: string;
  enginePort: number;
  /** the pid of the engine's java process now running for this server (it changes on a restart) */
  enginePid(): number | undefined;
  /** stops the server (if still running) and removes its data folder */
  cleanUp(): Promise<void>;
}

/**
 * The real server as `npm start` runs it: no MONGODB_URI, so it starts and supervises its own
 * embedded engine (H2 file store in a temporary DATA_DIR, on a free ENGINE_PORT).
 */
export async function startServerWithEngine(env: Record<string, string> = {}): Promise<ServerWithEngine> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'accord-server-'));
  const enginePort = await freePort();
  try {
    const server = await startServerProcess({ DATA_DIR: dataDir, ENGINE_PORT: String(enginePort), ...env });
    return {
      ...server,
      dataDir,
      enginePort,
      enginePid: () => engineProcesses(dataDir)[0],
      async cleanUp() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}

/** Engine (java) processes whose file store is in `dataDir`. */
export function engineProcesses(dataDir: string): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => !!m && m[2].includes('de.bwaldvogel') && m[2].includes(path.join(dataDir, 'accord.mv')))
    .map((m) => Number(m[1]));
}

/**
 * SIGSTOP, and wait until every thread has stopped: the signal takes effect a little later, and a
 * request sent meanwhile may still be answered.
 */
export async function stopProcess(pid: number): Promise<void> {
  process.kill(pid, 'SIGSTOP');
  const allStopped = () => readdirSync(`/proc/${pid}/task`).every((task) => /^State:\s+T/m.test(readFileSync(`/proc/${pid}/task/${task}/status`, 'utf8')));
  for (let i = 0; i < 200 && !allStopped(); i++) await new Promise((r) => setTimeout(r, 10));
}

/** Runs the server expecting it to refuse to start; returns its exit code and output. */
export async function runServerExpectingExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}
