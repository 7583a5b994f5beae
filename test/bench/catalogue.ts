// bench:catalogue — the public catalogue under load with 10 000 published standards (issue 6, "Benchmark"):
// catalogue search (a word and a product group) and a standard's page, requests/s and p50/p99 at 50
// connections, against the ceiling of bare Express + Handlebars rendering the same view models from
// memory; and search time at 100 and at 10 000 documents, of the search function and of the route.
//
//   tsx test/bench/catalogue.ts                    10 s per target after a 2 s warm-up, 50 connections, in 3
//                                                  turns (BENCH_TURNS): Accord and its ceiling take turns
//   BENCH_DURATION=2 BENCH_WARMUP=1 tsx test/bench/catalogue.ts    a quick smoke run
//
// Accord runs as it does for real (server/main.ts, NODE_ENV=production, a memory engine of its own);
// the documents are inserted straight into its database with their search fields made by the
// catalogue's own token functions, and the catalogue's version counter is bumped, as a publication does.
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alive, childPids, CONNECTIONS, csrfOf, DURATION_S, measureInterleaved, turnsOf, table, TURNS, WARMUP_S, type Measured, runBench } from './tools.js';
import { connectDatabase, disconnectDatabase } from '../../server/db/connect.js';
import { mongoose } from '../../server/db/mongoose.js';
import { DocumentModel } from '../../server/documents/model.js';
import { localsFor } from '../../server/http/locals.js';
import { signInPage } from '../../server/auth/routes.js';
import { parseFilters } from '../../server/catalogue/filters.js';
import { searchPageModel, standardPageModel } from '../../server/catalogue/pages.js';
import { dayOf } from '../../server/time/days.js';
import { catalogueChanged, currentCatalogue, productGroupNames } from '../../server/catalogue/store.js';
import { searchTokensOf, sortKeyOf } from '../../server/catalogue/tokens.js';
import { freePort, startAccord, startChild, stopChild, type AccordInstance } from '../helpers/server.js';

const GOAL_RATIO = 0.5;
const SMALL = 100;
const LARGE = 10_000;
const SEARCH = { q: 'станки', group: 'laser-machines' };
const searchPath = `/catalogue?q=${encodeURIComponent(SEARCH.q)}&group=${SEARCH.group}`;
const here = path.dirname(fileURLToPath(import.meta.url));

// --- 10 000 believable standards ------------------------------------------------------------------

interface Product { ru: string; en: string; ics: string }
const products: Record<string, Product[]> = {
  'laser-machines': [
    { ru: 'Станки лазерные для резки металла', en: 'Laser metal-cutting machines', ics: '25.040.20' },
    { ru: 'Станки лазерные для сварки', en: 'Laser welding machines', ics: '25.160.10' },
    { ru: 'Установки лазерные волоконные', en: 'Fibre laser systems', ics: '31.260' },
    { ru: 'Станки лазерные для гравировки', en: 'Laser engraving machines', ics: '25.040.20' },
  ],
  'gear-cutting-machines': [
    { ru: 'Станки зубофрезерные', en: 'Gear hobbing machines', ics: '25.080.50' },
    { ru: 'Станки зубодолбёжные', en: 'Gear shaping machines', ics: '25.080.50' },
    { ru: 'Станки зубошлифовальные', en: 'Gear grinding machines', ics: '25.080.50' },
  ],
  'integrated-circuits': [
    { ru: 'Микросхемы интегральные КМОП', en: 'CMOS integrated circuits', ics: '31.200' },
    { ru: 'Микросхемы интегральные аналоговые', en: 'Analogue integrated circuits', ics: '31.200' },
    { ru: 'Микросхемы памяти', en: 'Memory integrated circuits', ics: '31.200' },
  ],
  'semiconductor-devices': [
    { ru: 'Диоды полупроводниковые', en: 'Semiconductor diodes', ics: '31.080.10' },
    { ru: 'Транзисторы биполярные', en: 'Bipolar transistors', ics: '31.080.30' },
    { ru: 'Тиристоры', en: 'Thyristors', ics: '31.080.20' },
  ],
  'metalworking-machines': [
    { ru: 'Станки токарные с числовым программным управлением', en: 'CNC lathes', ics: '25.080.10' },
    { ru: 'Станки фрезерные', en: 'Milling machines', ics: '25.080.20' },
    { ru: 'Прессы листоштамповочные', en: 'Sheet-metal presses', ics: '25.120.10' },
    { ru: 'Ёмкости для смазочно-охлаждающих жидкостей', en: 'Cutting fluid tanks', ics: '25.040.01' },
  ],
};
const aspects = [
  { ru: 'Общие технические требования', en: 'General technical requirements' },
  { ru: 'Технические условия', en: 'Specifications' },
  { ru: 'Методы испытаний', en: 'Test methods' },
  { ru: 'Нормы точности', en: 'Accuracy standards' },
  { ru: 'Требования безопасности', en: 'Safety requirements' },
  { ru: 'Основные параметры', en: 'Basic parameters' },
];
const groups = Object.keys(products);

function standard(n: number) {
  const group = groups[n % groups.length]!;
  const list = products[group]!;
  const product = list[Math.floor(n / groups.length) % list.length]!;
  const aspect = aspects[Math.floor(n / 7) % aspects.length]!;
  const part = Math.floor(n / 97) + 1;
  const titles = { ru: `${product.ru}. ${aspect.ru}. Часть ${part}`, en: `${product.en}. ${aspect.en}. Part ${part}` };
  const year = 2020 + (n % 8);
  const designation = `СТ СГ ${Math.floor(n / 8) + 1}-${year}`;
  const publishedAt = new Date(Date.UTC(year, n % 12, 1 + (n % 28), 9));
  const scope = `Настоящий стандарт распространяется на ${product.ru.toLowerCase()} и устанавливает ${aspect.ru.toLowerCase()} к ним.`;
  const withdrawn = n % 23 === 0;
  return {
    titles, kind: 'general-technical-requirements', productGroup: group, ics: product.ics, developer: 'ОАО «Станкостандарт»',
    state: withdrawn ? 'withdrawn' : 'published', stage: withdrawn ? '95.99' : '60.60', round: 1, currentRevision: 1, rev: 0, history: [],
    designation,
    publication: {
      designation, revision: 1, publishedAt,
      entryIntoForce: { BY: new Date(publishedAt.getTime() + 90 * 86400_000), RU: new Date(publishedAt.getTime() + 120 * 86400_000) },
      fileId: new mongoose.Types.ObjectId(), sha256: n.toString(16).padStart(64, '0'), size: 2_000_000 + n,
    },
    withdrawal: withdrawn ? { at: new Date(publishedAt.getTime() + 400 * 86400_000), reason: 'Заменён национальными стандартами' } : null,
    searchTokens: searchTokensOf({ titles, designation, scope }),
    sortKey: sortKeyOf(titles.ru),
  };
}

async function insertStandards(from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, to - start) }, (_, i) => standard(start + i));
    await DocumentModel.insertMany(batch, { ordered: true, lean: true });
  }
  // As a publication does: every instance sees the new catalogue within a second.
  await catalogueChanged();
}

// --- search time ---------------------------------------------------------------------------------

/** Microseconds per call of the search function on the catalogue in memory (mean of many calls). */
async function timeSearchFunction(): Promise<{ micros: number; total: number; size: number }> {
  const catalogue = await currentCatalogue();
  const names = await productGroupNames();
  const filters = parseFilters(SEARCH, names.map((g) => g.code));
  const run = () => searchPageModel(catalogue, names, filters, 'ru', dayOf(new Date()));
  // Warmed up first, so that both sizes are timed with the code compiled alike.
  for (let i = 0; i < 5000; i++) run();
  const n = 20_000;
  const started = process.hrtime.bigint();
  let total = 0;
  for (let i = 0; i < n; i++) total = run().total;
  return { micros: Number(process.hrtime.bigint() - started) / 1000 / n, total, size: catalogue.size };
}

/** The route, one request at a time: median and p99 of the whole round trip, in ms. */
async function timeRoute(url: string, count = 400): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 50; i++) await (await fetch(url)).text();
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    const res = await fetch(url);
    await res.text();
    if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}`);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(count / 2)]!, p99: times[Math.floor(count * 0.99)]! };
}

/** Waits until the server serves a catalogue of `size` documents (it checks its counter once a second). */
async function untilServed(base: string, size: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const html = await (await fetch(`${base}/catalogue`)).text();
    if (html.includes(`В каталоге ${size} `)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server did not show ${size} documents`);
}

// --- the 2 MB download, from the publishing feature's bench -------------------------------------

async function downloadFigures(): Promise<void> {
  const file = path.join(here, 'download.ts');
  const source = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const exported = [...source.matchAll(/export\s+(?:async\s+)?function\s+(\w+)/g)].map((m) => m[1]!);
  if (!exported.length) {
    console.log('\n  TODO: 2 MB PDF download vs express.static — test/bench/download.ts ' + (source ? 'exports no function yet' : 'does not exist yet') + ' (publishing feature); its figures belong here.');
    return;
  }
  const name = exported.find((n) => /download/i.test(n)) ?? exported[0]!;
  console.log(`\n  2 MB PDF download vs express.static (test/bench/download.ts, ${name}()):`);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  await (mod[name] as () => Promise<unknown>)();
}

// --- the run -------------------------------------------------------------------------------------

/** The page with its CSRF values blanked, so that two renderings can be compared. */
const withoutCsrf = (html: string) => html.replace(/(name="_csrf" value=")[^"]*"/g, '$1…"');

const sameHtml = (accordHtml: string, ceilingHtml: string) => {
  const a = withoutCsrf(accordHtml);
  const b = withoutCsrf(ceilingHtml);
  if (a === b) return 'yes';
  const la = a.split('\n');
  const lb = b.split('\n');
  const i = la.findIndex((line, n) => line !== lb[n]);
  return `NO, first difference at line ${i + 1}:\n      accord:  ${la[i]?.trim()}\n      ceiling: ${lb[i]?.trim()}`;
};

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log('bench:catalogue');
  console.log(`  node ${process.version} on ${os.type()} ${os.release()} ${os.arch()}`);
  console.log(`  ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`);
  console.log(`  load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`  autocannon: ${CONNECTIONS} connections, ${WARMUP_S} s warm-up then ${DURATION_S} s per target in ${TURNS} turns, Accord and its ceiling taking turns; bodies read, not kept`);
  console.log(`  search: GET ${decodeURIComponent(searchPath)}`);

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
  const modelsFile = path.join(os.tmpdir(), `accord-bench-catalogue-${process.pid}.json`);

  try {
    accord = await startAccord({ database: 'accord_bench', env: { NODE_ENV: 'production', LOG_LEVEL: 'warn' } });
    enginePids.push(...childPids(process.pid, /de\.bwaldvogel/));
    const base = accord.server.url;
    await connectDatabase(accord.mongoUri);

    console.log('\n  search time as the catalogue grows (the query above; the function is the in-memory search and its view model):');
    const growth: string[][] = [['documents', 'results', 'function µs/search', 'route p50 ms', 'route p99 ms (1 connection)']];
    let t = process.hrtime.bigint();
    await insertStandards(0, SMALL);
    await untilServed(base, SMALL);
    const fSmall = await timeSearchFunction();
    const rSmall = await timeRoute(`${base}${searchPath}`);
    growth.push([String(fSmall.size), String(fSmall.total), fSmall.micros.toFixed(1), rSmall.p50.toFixed(2), rSmall.p99.toFixed(2)]);
    t = process.hrtime.bigint();
    await insertStandards(SMALL, LARGE);
    const inserted = Number(process.hrtime.bigint() - t) / 1e9;
    t = process.hrtime.bigint();
    await untilServed(base, LARGE);
    const rebuilt = Number(process.hrtime.bigint() - t) / 1e9;
    const fLarge = await timeSearchFunction();
    const rLarge = await timeRoute(`${base}${searchPath}`);
    growth.push([String(fLarge.size), String(fLarge.total), fLarge.micros.toFixed(1), rLarge.p50.toFixed(2), rLarge.p99.toFixed(2)]);
    console.log(table(growth).replace(/^/gm, '    '));
    console.log(`    ×${(fLarge.micros / fSmall.micros).toFixed(1)} for the function, ×${(rLarge.p50 / rSmall.p50).toFixed(2)} for the route (p50), for ×${LARGE / SMALL} documents`);
    console.log(`    (inserting ${LARGE - SMALL} documents took ${inserted.toFixed(1)} s; the server then rebuilt its catalogue and served it within ${rebuilt.toFixed(1)} s)`);

    // The standard's page: one in the middle of the catalogue.
    const catalogue = await currentCatalogue();
    const middle = catalogue.entries[Math.floor(catalogue.size / 2)]!;
    const standardPath = `/catalogue/${middle.id}`;

    // The ceiling renders the view models the catalogue's own page functions make, from memory.
    const names = await productGroupNames();
    const plain = (m: Record<string, unknown>) => JSON.parse(JSON.stringify(m)) as Record<string, unknown>;
    const models = {
      '/catalogue': { view: 'catalogue/index', model: plain({ ...localsFor(undefined, 'ru', searchPath), ...searchPageModel(catalogue, names, parseFilters(SEARCH, names.map((g) => g.code)), 'ru', dayOf(new Date())), canSubscribe: false }) },
      [standardPath]: { view: 'catalogue/show', model: plain({ ...localsFor(undefined, 'ru', standardPath), ...standardPageModel(catalogue, names, middle.id, 'ru', dayOf(new Date())) }) },
      // For reference: the platform's own floor, a page that reads nothing (the same pair as bench:pages).
      '/sign-in': { view: 'auth/sign-in', model: plain({ ...localsFor(undefined, 'ru', '/sign-in'), ...signInPage(false, '/') }) },
    };
    await disconnectDatabase();
    writeFileSync(modelsFile, JSON.stringify(models));
    const ceilingPort = await freePort();
    const csrf = csrfOf(await (await fetch(`${base}/sign-in`)).text());
    ceiling = await startChild('test/bench/ceiling.ts', { NODE_ENV: 'production', PORT: String(ceilingPort), CEILING_MODELS: modelsFile, CEILING_CSRF_TOKEN: csrf }, /ceiling listening at/, 'ceiling (test/bench/ceiling.ts)');
    const ceilingBase = `http://127.0.0.1:${ceilingPort}`;

    console.log('\n  same HTML as Accord:');
    const pages: [string, string, string][] = [
      [`GET catalogue search (${LARGE} documents)`, searchPath, '/catalogue'],
      ["GET a standard's page", standardPath, standardPath],
      ['GET /sign-in (reference: reads nothing)', '/sign-in', '/sign-in'],
    ];
    for (const [label, accordPath, ceilingPath] of pages) {
      const a = await (await fetch(`${base}${accordPath}`)).text();
      const c = await (await fetch(`${ceilingBase}${ceilingPath}`)).text();
      console.log(`    ${label}: ${sameHtml(a, c)} (${a.length} bytes)`);
    }

    const accordPids = { server: accord.server.pid, engine: enginePids[0] ?? -1 };
    const pairs: { accord: Measured; ceiling: Measured }[] = [];
    for (const [label, accordPath, ceilingPath] of pages) {
      process.stdout.write(`  measuring ${label}, Accord and the ceiling in ${TURNS} turns each …\n`);
      const [a, c] = await measureInterleaved([
        { label: `Accord ${label}`, url: `${base}${accordPath}`, pids: accordPids, accord: true },
        { label: `ceiling ${label}`, url: `${ceilingBase}${ceilingPath}`, pids: { server: ceiling.pid! }, accord: false },
      ]);
      pairs.push({ accord: a!, ceiling: c! });
    }

    const rows = [['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'errors', 'non-2xx', 'vs ceiling', 'CPU server/engine/load tool']];
    const cpuText = (m: Measured) => [m.cpu.server, m.cpu.engine, m.cpu['load tool']].map((c) => (c === undefined || Number.isNaN(c) ? '–' : c.toFixed(2))).join(' / ');
    for (const { accord: a, ceiling: c } of pairs) {
      for (const m of [a, c]) rows.push([m.target.label, m.rps.toFixed(0), String(m.p50), String(m.p99), String(m.total), String(m.errors), String(m.non2xx), m === a ? `${((a.rps / c.rps) * 100).toFixed(0)} %` : '', cpuText(m)]);
    }
    console.log(`\n${table(rows)}`);
    console.log('  ("vs ceiling": Accord\'s requests/s against bare Express + Handlebars rendering the same view model from memory.');
    console.log('   CPU is cores busy on average during the measurement: 1.00 = one core.');
    console.log('   /sign-in is the floor every page pays for the shared middleware; the catalogue pages add one point read of the version counter a second.)');
    console.log('  vs ceiling by turn:');
    for (const { accord: a, ceiling: c } of pairs) console.log(`    ${a.target.label}: ${turnsOf(a, c)}`);
    console.log(`\n  goal: Accord ≥ ${GOAL_RATIO * 100} % of the ceiling's requests/s, without errors; search time flat from ${SMALL} to ${LARGE} documents`);
    for (const { accord: a, ceiling: c } of pairs.slice(0, 2)) {
      const ratio = a.rps / c.rps;
      const misses = [ratio < GOAL_RATIO && `${(ratio * 100).toFixed(0)} % of the ceiling`, a.errors + a.non2xx > 0 && `${a.errors} errors, ${a.non2xx} non-2xx`].filter(Boolean);
      console.log(`    ${a.target.label}: ${misses.length ? `MISSES (${misses.join('; ')})` : 'meets it'}`);
    }

    await downloadFigures();
    console.log(`\n  load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    if (existsSync(modelsFile)) unlinkSync(modelsFile);
    await disconnectDatabase().catch(() => undefined);
    await stopAll();
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    const left = [...enginePids, accord?.server.pid, ceiling?.pid].filter((pid): pid is number => pid !== undefined && alive(pid));
    console.log(`  processes this run started that are still running: ${left.length ? left.join(', ') : 'none'}`);
  }
}

runBench(main);
