// bench:pages — how fast Accord serves pages under load, against the ceiling of bare Express +
// Handlebars rendering the same views from memory (issue 3, "Benchmark").
//
//   tsx test/bench/pages.ts                      10 s per target after a 2 s warm-up, 50 connections, in 3 turns
//                                                (BENCH_TURNS): Accord and its ceiling take turns
//   BENCH_DURATION=2 BENCH_WARMUP=1 tsx test/bench/pages.ts    a quick smoke run
//
// Accord runs as it does for real: server/main.ts as a child process with NODE_ENV=production (view
// cache on), on an embedded memory engine of its own. The ceiling runs as a child process too, so
// neither shares its event loop with the load tool.
import { unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { alive, childPids, CONNECTIONS, csrfOf, DURATION_S, measureInterleaved, turnsOf, signIn, table, TURNS, WARMUP_S, type Measured, runBench } from './tools.js';
import { connectDatabase, disconnectDatabase } from '../../server/db/connect.js';
import { actorOf, makeUser } from '../helpers/factories.js';
import { freePort, startAccord, startChild, stopChild, type AccordInstance } from '../helpers/server.js';
import { benchPageModels } from './view-models.js';
import { makeBigDocument } from './big-document.js';
import { loadTemplates, templatesDir } from '../../server/documents/templates.js';

const GOAL_RATIO = 0.5;
const GOAL_P99_MS = 50;

/** The page with its CSRF values blanked, so that two renderings can be compared. */
const withoutCsrf = (html: string) => html.replace(/(name="_csrf" value=")[^"]*"/g, '$1…"');

function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  const i = la.findIndex((line, n) => line !== lb[n]);
  return i === -1 ? `lengths ${a.length} / ${b.length}` : `line ${i + 1}:\n      accord:  ${la[i]?.trim()}\n      ceiling: ${lb[i]?.trim()}`;
}

// --- the run ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log('bench:pages');
  console.log(`  node ${process.version} on ${os.type()} ${os.release()} ${os.arch()}`);
  console.log(`  ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
  console.log(`  load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  autocannon: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s per target in ${TURNS} turns, Accord and its ceiling taking turns; bodies read, not kept`);

  let accord: AccordInstance | undefined;
  let ceiling: Awaited<ReturnType<typeof startChild>> | undefined;
  const enginePids: number[] = [];
  const stopAll = async () => {
    if (ceiling) await stopChild(ceiling);
    await accord?.stop();
  };
  const interrupted = () => void stopAll().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    accord = await startAccord({ database: 'accord_bench', env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' } });
    enginePids.push(...childPids(process.pid, /de\.bwaldvogel/));
    const base = accord.server.url;

    // People and a 600-clause document, made straight in the server's database through the services.
    await connectDatabase(accord.mongoUri);
    const person = await makeUser('member', { delegation: 'BY', name: 'Ирина Ковалёва' });
    const secretary = await makeUser('secretariat', { name: 'Ольга Секретарёва' });
    const documentId = await makeBigDocument(actorOf(secretary), await loadTemplates(templatesDir), 600);
    const member = { ...actorOf(person), delegationId: null };

    const cookie = await signIn(base, person.email, person.password);
    const paths = { signIn: '/sign-in', account: '/account', document: `/documents/${documentId}`, compare: `/documents/${documentId}/compare` };
    const accordHtml: Record<string, string> = {};
    for (const [name, path] of Object.entries(paths)) {
      const res = await fetch(`${base}${path}${name === 'compare' ? '?from=1&to=2' : ''}`, { headers: name === 'signIn' ? {} : { cookie }, redirect: 'manual' });
      accordHtml[name] = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    }

    // The ceiling renders the view models Accord's own page functions make, from memory.
    const models = await benchPageModels({ member, documentId, compareFrom: 1, compareTo: 2 });
    await disconnectDatabase();
    const modelsFile = path.join(os.tmpdir(), `accord-bench-models-${process.pid}.json`);
    writeFileSync(modelsFile, JSON.stringify(models));
    const ceilingPort = await freePort();
    ceiling = await startChild(
      'test/bench/ceiling.ts',
      { NODE_ENV: 'production', PORT: String(ceilingPort), CEILING_CSRF_TOKEN: csrfOf(accordHtml.account!), CEILING_MODELS: modelsFile },
      /ceiling listening at/,
      'ceiling (test/bench/ceiling.ts)',
    );
    const ceilingBase = `http://127.0.0.1:${ceilingPort}`;

    // The ceiling must render what Accord renders, or the ratio means nothing.
    console.log('\n  same HTML as Accord (CSRF values aside):');
    for (const [name, p] of Object.entries(paths)) {
      const ceilingHtml = await (await fetch(`${ceilingBase}${p}`)).text();
      const same = withoutCsrf(accordHtml[name]!) === withoutCsrf(ceilingHtml);
      console.log(`    ${p}: ${same ? 'yes' : `NO, first difference at ${firstDifference(withoutCsrf(accordHtml[name]!), withoutCsrf(ceilingHtml))}`} (${accordHtml[name]!.length} bytes)`);
    }

    const accordPids = { server: accord.server.pid, engine: enginePids[0] ?? -1 };
    const ceilingPids = { server: ceiling.pid! };
    const pages: [string, string, string, Record<string, string>][] = [
      ['GET /sign-in (anonymous)', paths.signIn, '', {}],
      ['GET /account (signed in, reads db)', paths.account, '', { cookie }],
      ['GET 600-clause document page', paths.document, '', { cookie }],
      ['GET its redline against revision 1', paths.compare, '?from=1&to=2', { cookie }],
    ];
    const pairs: { label: string; accord: Measured; ceiling: Measured }[] = [];
    for (const [label, p, query, headers] of pages) {
      process.stdout.write(`  measuring ${label}, Accord and the ceiling in ${TURNS} turns each …\n`);
      const [a, c] = await measureInterleaved([
        { label: `Accord ${label}`, url: `${base}${p}${query}`, headers, pids: accordPids, accord: true },
        { label: `ceiling ${label}`, url: `${ceilingBase}${p}`, pids: ceilingPids, accord: false },
      ]);
      pairs.push({ label, accord: a!, ceiling: c! });
    }
    unlinkSync(modelsFile);

    const rows = [['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'non-2xx', 'vs ceiling', 'CPU server/engine/load tool']];
    const cpuText = (m: Measured) => [m.cpu.server, m.cpu.engine, m.cpu['load tool']].map((c) => (c === undefined || Number.isNaN(c) ? '–' : c.toFixed(2))).join(' / ');
    for (const { accord: a, ceiling: c } of pairs) {
      for (const m of [a, c]) {
        rows.push([m.target.label, m.rps.toFixed(0), String(m.p50), String(m.p99), String(m.total), String(m.errors), String(m.non2xx), m === a ? `${((a.rps / c.rps) * 100).toFixed(0)} %` : '', cpuText(m)]);
      }
    }
    console.log(`\n${table(rows)}`);
    console.log('  ("vs ceiling": Accord\'s requests/s against the ceiling rendering the same view model from memory.');
    console.log('   CPU is cores busy on average during the measurement: 1.00 = one core.)');
    console.log('  vs ceiling by turn:');
    for (const { label, accord: a, ceiling: c } of pairs) console.log(`    ${label}: ${turnsOf(a, c)}`);
    const results = pairs.map((p) => p.accord);
    const ceilingOf = new Map(pairs.map((p) => [p.accord, p.ceiling.rps]));

    console.log(`\n  goal: Accord ≥ ${GOAL_RATIO * 100} % of the ceiling's requests/s and p99 < ${GOAL_P99_MS} ms, without errors`);
    for (const m of results) {
      const ratio = m.rps / ceilingOf.get(m)!;
      const misses = [
        ratio < GOAL_RATIO && `${(ratio * 100).toFixed(0)} % of the ceiling`,
        m.p99 >= GOAL_P99_MS && `p99 ${m.p99} ms`,
        m.errors + m.non2xx > 0 && `${m.errors} errors, ${m.non2xx} non-2xx`,
      ].filter(Boolean);
      console.log(`    ${m.target.label}: ${misses.length ? `MISSES (${misses.join('; ')})` : 'meets it'}`);
    }
    console.log(`\n  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    await stopAll();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    const left = [...enginePids, accord?.server.pid, ceiling?.pid].filter((pid): pid is number => pid !== undefined && alive(pid));
    console.log(`  processes this run started that are still running: ${left.length ? left.join(', ') : 'none'}`);
  }
}

runBench(main);
