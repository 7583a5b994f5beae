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
  /** POST this body; a GET without one */
  body?: string;
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
  /** answers 300–399 while measured (counted among non2xx too) */
  redirects: number;
  /** the same, the warm-up's included */
  allRedirects: number;
  /** requests/s of each turn, in order (measureInterleaved) */
  turns: number[];
  /** p99 of each turn, in order */
  turnP99: number[];
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

/** How many turns each target takes in measureInterleaved: BENCH_TURNS, 3 unless set. */
export const TURNS = Math.max(1, Math.floor(Number(process.env.BENCH_TURNS ?? 3)));

/**
 * The latency at quantile q of all the turns' answers together, from each turn's percentiles (autocannon
 * keeps no histogram to merge): the least latency at which a share q of all answers is reached, each turn
 * counted by its answers, its share at a latency read off its percentiles (min 0, p0_001 … p99_999, max 1)
 * by straight lines between them.
 */
export function mergedQuantile(turns: { requests: number; latency: Record<string, number> }[], q: number): number {
  const all = turns.reduce((n, t) => n + t.requests, 0);
  if (all === 0) return Number.NaN;
  const curves = turns.map((t) => {
    const points = Object.entries(t.latency)
      .filter(([k]) => /^p\d/.test(k))
      .map(([k, ms]) => ({ share: Number(k.slice(1).replace('_', '.')) / 100, ms }));
    points.push({ share: 0, ms: t.latency.min ?? 0 }, { share: 1, ms: t.latency.max ?? Math.max(...points.map((p) => p.ms)) });
    return points.sort((a, b) => a.share - b.share || a.ms - b.ms);
  });
  const shareAt = (curve: { share: number; ms: number }[], ms: number) => {
    if (ms >= curve.at(-1)!.ms) return 1;
    const i = curve.findIndex((p) => p.ms > ms);
    if (i <= 0) return 0;
    const [lo, hi] = [curve[i - 1]!, curve[i]!];
    return lo.share + ((hi.share - lo.share) * (ms - lo.ms)) / (hi.ms - lo.ms);
  };
  const reached = (ms: number) => turns.reduce((n, t, i) => n + shareAt(curves[i]!, ms) * t.requests, 0) >= q * all;
  let [low, high] = [0, Math.max(...curves.map((c) => c.at(-1)!.ms))];
  while (high - low > 0.5) {
    const mid = (low + high) / 2;
    if (reached(mid)) high = mid;
    else low = mid;
  }
  return Math.round(high);
}

/**
 * autocannon keeps every response body as a string (its request queue does `body += chunk`), which for
 * a 2 MB body costs it about ten times what either server spends: measured, it tops out near 25
 * requests/s against express.static where Node's own HTTP client gets 300. The bytes are still read
 * and counted; the body is just not kept.
 */
function discardBodies(client: unknown): void {
  (client as { pipelinedRequests: { addBody: (data: unknown) => void } }).pipelinedRequests.addBody = () => undefined;
}

/**
 * Loads several targets (Accord and its ceiling, say) with autocannon, interleaved: each gets a warm-up,
 * then the measured time (DURATION_S per target) is cut into TURNS turns and the targets take turns in a
 * rotating order, so that a burst of other work on a shared machine falls on every target alike instead
 * of on one of them. Requests/s are over all turns (and each turn's are kept: `turns`); p50 and p99 are
 * those of all the turns' answers together (mergedQuantile). The load tool does not keep the bodies (discardBodies): it
 * reads every byte and keeps none, so that on a large page it is not the load tool that is measured.
 */
export async function measureInterleaved(targets: Target[]): Promise<Measured[]> {
  const optsOf = (t: Target): autocannon.Options => ({
    url: t.url,
    connections: CONNECTIONS,
    headers: t.headers,
    ...(t.body === undefined ? {} : { method: 'POST' as const, body: t.body }),
    setupClient: discardBodies as autocannon.Options['setupClient'],
  });
  const warm: number[] = [];
  for (const t of targets) warm.push((await autocannon({ ...optsOf(t), duration: WARMUP_S }))['3xx']);
  const acc = targets.map(() => ({ total: 0, wall: 0, errors: 0, non2xx: 0, redirects: 0, latencies: [] as { requests: number; latency: Record<string, number> }[], rps: [] as number[], cpu: {} as Record<string, number> }));
  for (let turn = 0; turn < TURNS; turn++) {
    for (let k = 0; k < targets.length; k++) {
      const i = (k + turn) % targets.length;
      const t = targets[i]!;
      const a = acc[i]!;
      const before = Object.fromEntries(Object.entries(t.pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
      const benchBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      const r = await autocannon({ ...optsOf(t), duration: DURATION_S / TURNS });
      const wall = Number(process.hrtime.bigint() - started) / 1e9;
      const bench = process.cpuUsage(benchBefore);
      for (const [name, pid] of Object.entries(t.pids)) a.cpu[name] = (a.cpu[name] ?? 0) + (cpuSeconds(pid) - before[name]!);
      a.cpu['load tool'] = (a.cpu['load tool'] ?? 0) + (bench.user + bench.system) / 1e6;
      a.total += r.requests.total;
      a.wall += wall;
      a.errors += r.errors + r.timeouts;
      a.non2xx += r.non2xx;
      a.redirects += r['3xx'];
      a.latencies.push({ requests: r.requests.total, latency: r.latency as unknown as Record<string, number> });
      a.rps.push(r.requests.total / wall);
    }
  }
  return targets.map((target, i) => {
    const a = acc[i]!;
    const cpu = Object.fromEntries(Object.entries(a.cpu).map(([name, seconds]) => [name, seconds / a.wall]));
    return { target, rps: a.total / a.wall, p50: mergedQuantile(a.latencies, 0.5), p99: mergedQuantile(a.latencies, 0.99), errors: a.errors, non2xx: a.non2xx, redirects: a.redirects, allRedirects: a.redirects + warm[i]!, total: a.total, cpu, turns: a.rps, turnP99: a.latencies.map((l) => l.latency.p99!) };
  });
}

/** One target alone: measureInterleaved of one. */
export async function measure(target: Target): Promise<Measured> {
  return (await measureInterleaved([target]))[0]!;
}

/** Each turn's requests/s of `m` against the same turn of `base`, as percentages: "41 %, 40 %, 80 %". */
export function ratioByTurn(m: Measured, base: Measured): string {
  return m.turns.map((r, k) => `${((r / base.turns[k]!) * 100).toFixed(0)} %`).join(', ');
}

/** Accord's ratio to its ceiling by turn, with both sides' p99 by turn: a line of the benchmarks' "by turn" list. */
export function turnsOf(accord: Measured, ceiling: Measured): string {
  return `${ratioByTurn(accord, ceiling)} (p99 by turn: Accord ${accord.turnP99.join(', ')} ms, ceiling ${ceiling.turnP99.join(', ')} ms)`;
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
