// Shared by the benchmark scripts: load with autocannon, CPU of processes, signing in as a browser does.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import * as cheerio from 'cheerio';

export const seconds = (name: string, fallback: number): number => {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number of seconds`);
  return v;
};
export const DURATION_S = seconds('BENCH_DURATION', 10);
export const WARMUP_S = seconds('BENCH_WARMUP', 2);
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

/** Peak resident memory of a process (VmHWM), in MiB; NaN when it cannot be read. */
export function peakMemoryMiB(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export interface Target {
  label: string;
  url: string;
  headers?: Record<string, string>;
  /** processes whose CPU time is reported beside the figures */
  pids: Record<string, number>;
  accord: boolean;
}

export interface Measured {
  target: Target;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** CPU seconds per second of wall time, per process (1.0 = one core busy) */
  cpu: Record<string, number>;
}

// --- small helpers ------------------------------------------------------------------------------

/** utime + stime of a process in seconds (Linux /proc); NaN when it cannot be read. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks; 100 Hz on Linux
  } catch {
    return Number.NaN;
  }
}

/** Child processes of `parent` whose command line matches `pattern`. */
export function childPids(parent: number, pattern: RegExp): number[] {
  try {
    const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => !!m && Number(m[2]) === parent && pattern.test(m[3]))
      .map((m) => Number(m[1]));
  } catch {
    return [];
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function cookieOf(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))?.split(';')[0];
}

export function csrfOf(html: string): string {
  const token = cheerio.load(html)('input[name=_csrf]').first().val();
  if (typeof token !== 'string' || !token) throw new Error('no CSRF token on the page');
  return token;
}

/** Signs in through the real form, as a browser does, and returns the session cookie. */
export async function signIn(base: string, email: string, pass: string): Promise<string> {
  const form = await fetch(`${base}/sign-in`);
  const csrfCookie = cookieOf(form, 'accord.csrf');
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: csrfCookie ?? '', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrfOf(await form.text()), email, password: pass, next: '/' }),
  });
  const sid = cookieOf(res, 'accord.sid');
  if (res.status !== 303 || !sid) throw new Error(`sign-in answered ${res.status}, expected 303 with a session:\n${(await res.text()).slice(0, 500)}`);
  return sid;
}

export async function measure(target: Target): Promise<Measured> {
  const opts = { url: target.url, connections: CONNECTIONS, headers: target.headers };
  await autocannon({ ...opts, duration: WARMUP_S });
  const before = Object.fromEntries(Object.entries(target.pids).map(([k, pid]) => [k, cpuSeconds(pid)]));
  const benchBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const r = await autocannon({ ...opts, duration: DURATION_S });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  const bench = process.cpuUsage(benchBefore);
  const cpu = Object.fromEntries(Object.entries(target.pids).map(([k, pid]) => [k, (cpuSeconds(pid) - before[k]) / wall]));
  cpu['load tool'] = (bench.user + bench.system) / 1e6 / wall;
  return { target, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, total: r.requests.total, cpu };
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ')).join('\n');
}


/** Runs a benchmark's main and exits with its outcome (child processes are stopped by main itself). */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err instanceof Error ? err.stack : err);
      process.exit(1);
    },
  );
}
