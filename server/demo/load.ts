// npm run demo, the part that talks to the database: fills an EMPTY installation with the committee of
// people.ts and the documents of content.ts. Everything goes through the same service functions the
// pages use (createDocument, editClauses, the lifecycle's moves, startNewRevision) with a secretariat member as the
// actor, so each document has the history and edit log a real one would have.
//
// Why editClauses and not one write of the finished text: the history stays honest (the revision's edit
// log shows the secretariat's work), every step is checked by the same rules as the editor, and it is
// fast enough (a few hundred edits, a few seconds). The price is that an inserted clause gets a key made
// by the service, so the demo's readable keys are mapped to those as the text is written; cross-references
// that point forward are written after their target exists.
import { performance } from 'node:perf_hooks';
import type { CurrentUser } from '../auth/index.js';
import { mongoose } from '../db/mongoose.js';
import { seedDelegations, findDelegationByCode } from '../delegations/service.js';
import { danglingReferences, insertAfter, removeClause, updateClause, validateClauses, type Clause } from '../text/clauses.js';
import { parseCommitteeDeadline } from '../documents/index.js';
import type { Clock } from '../time/clock.js';
import { addDays, dayOf } from '../time/days.js';
import { createDocument, editClauses, getDocument, getRevision, hasAnyDocument, listRevisions, seedProductGroups, startNewRevision, type ClauseAction, type DocumentRecord } from '../documents/index.js';
import type { Lifecycle } from '../lifecycle/index.js';
import type { Template } from '../documents/index.js';
import { NotFound, Conflict } from '../errors.js';
import { checkNewPassword } from '../users/service.js';
import { createActiveAccount, createFirstAdministrator, hasAnyUser, setOrganisationAndLocale } from '../users/service.js';
import type { DemoDocument, DemoEdit } from './build.js';
import { applyEdits, contentOf, demoDocuments, patchBetween, referencedKeys, remap, revisionTexts } from './content.js';
import { gearCuttingMachines } from './gear-cutting-machines.js';
import { integratedCircuits } from './integrated-circuits.js';
import { laserMachines } from './laser-machines.js';
import { DEMO_PASSWORD, demoPeople, type DemoPerson } from './people.js';
import { punchingMachines } from './punching-machines.js';

export class DemoRefused extends Error {
  override readonly name = 'DemoRefused';
}

export const refusal = 'The database is not empty (it has accounts or documents): npm run demo fills only an empty installation, so nothing was changed.';

export interface DemoDocumentSummary {
  slug: string;
  id: string;
  title: string;
  state: DocumentRecord['state'];
  stage: string;
  closesAt?: Date;
  revisions: { number: number; frozen: boolean; clauses: number }[];
}

export interface DemoSummary {
  password: string;
  people: readonly DemoPerson[];
  documents: DemoDocumentSummary[];
  milliseconds: number;
}

/** Refuses (DemoRefused) unless the database has no account and no document. */
export async function assertEmpty(): Promise<void> {
  if ((await hasAnyUser()) || (await hasAnyDocument())) throw new DemoRefused(refusal);
}

interface DemoDeps {
  templates: readonly Template[];
  lifecycle: Lifecycle;
  clock: Clock;
}

export async function loadDemo(deps: DemoDeps): Promise<DemoSummary> {
  const { templates, clock } = deps;
  const started = performance.now();
  await assertEmpty();
  checkNewPassword(DEMO_PASSWORD);
  await seedDelegations();
  await seedProductGroups();

  const actors = await createPeople();
  const secretariatRu = actors.get('secretariat.ru@accord.example')!;
  const secretariatBy = actors.get('secretariat.by@accord.example')!;

  // Oldest first: the catalogue lists the most recently changed document at the top.
  const punching = await cancelledPunchingMachines(deps, secretariatBy);
  const gear = await createWithText(secretariatRu, templates, gearCuttingMachines, clock);
  const laser = await laserMachinesInSecondRevision(deps, secretariatBy);
  const ics = await integratedCircuitsInCirculation(deps, secretariatRu);

  const documents: DemoDocumentSummary[] = [];
  for (const [doc, id] of [[integratedCircuits, ics.id], [laserMachines, laser.id], [gearCuttingMachines, gear.id], [punchingMachines, punching.id]] as const) {
    documents.push(await summarise(secretariatRu, doc, id));
  }
  return { password: DEMO_PASSWORD, people: demoPeople, documents, milliseconds: Math.round(performance.now() - started) };
}

/** A draft whose work the committee stopped. */
async function cancelledPunchingMachines({ templates, lifecycle, clock }: DemoDeps, secretariat: CurrentUser): Promise<Created> {
  const punching = await createWithText(secretariat, templates, punchingMachines, clock);
  await lifecycle.move(secretariat, punching.id, 'cancel', {
    now: clock.now(),
    note: 'Работа прекращена решением 14-го заседания Комитета: станки включены в программу разработки межгосударственного стандарта.',
  });
  return punching;
}

/** Circulated, commented, and now in its second revision, written from the summary of comments. */
async function laserMachinesInSecondRevision({ templates, lifecycle, clock }: DemoDeps, secretariat: CurrentUser): Promise<Created> {
  const laser = await createWithText(secretariat, templates, laserMachines, clock);
  await lifecycle.move(secretariat, laser.id, 'circulate', {
    now: clock.now(),
    closesAt: deadlineInDays(clock.now(), 45),
    note: 'Первая редакция направлена делегациям BY и RU для отзывов.',
  });
  await lifecycle.move(secretariat, laser.id, 'closeComments', {
    now: clock.now(),
    note: 'Отзывы обеих делегаций получены; период отзывов закрыт досрочно по их согласию.',
  });
  await lifecycle.move(secretariat, laser.id, 'newRound', {
    now: clock.now(),
    note: `Подготовка второй редакции по сводке отзывов; учитываются замечания ${[...new Set(laserMachines.revision2!.flatMap((e) => e.why.match(/\b(?:BY|RU)-\d{3}\b/g) ?? []))].join(', ')}.`,
  });
  await startNewRevision(secretariat, laser.id, clock.now());
  await applyEditsThroughService(secretariat, templates, laser.id, 2, laserMachines.revision2!, laser.keys, clock);
  await verifyRevision(laser.id, 2, revisionTexts(laserMachines, templates)[1]!, laser.keys);
  return laser;
}

/** Circulated to the delegations, its comment period open. */
async function integratedCircuitsInCirculation({ templates, lifecycle, clock }: DemoDeps, secretariat: CurrentUser): Promise<Created> {
  const ics = await createWithText(secretariat, templates, integratedCircuits, clock);
  await lifecycle.move(secretariat, ics.id, 'circulate', {
    now: clock.now(),
    closesAt: deadlineInDays(clock.now(), 30),
    note: 'Первая редакция направлена делегациям BY и RU для отзывов.',
  });
  return ics;
}

/** 18:00 committee time, `days` days after today. */
function deadlineInDays(now: Date, days: number): Date {
  return parseCommitteeDeadline(addDays(dayOf(now), days), '18:00');
}

/** The accounts; the administrator through the first-run path, so of two loaders only one goes on. */
async function createPeople(): Promise<Map<string, CurrentUser>> {
  const [admin, ...others] = demoPeople;
  try {
    await createFirstAdministrator({ name: admin!.name, email: admin!.email, password: DEMO_PASSWORD });
  } catch (err) {
    if (err instanceof NotFound || err instanceof Conflict) throw new DemoRefused(refusal);
    throw err;
  }
  await setOrganisationAndLocale(admin!.email, admin!.organisation, 'ru');
  const actors = new Map<string, CurrentUser>();
  for (const p of others) {
    const delegation = p.delegation ? await findDelegationByCode(p.delegation) : null;
    if (p.delegation && !delegation) throw new Error(`delegation ${p.delegation} is missing`);
    const u = await createActiveAccount({ email: p.email, name: p.name, role: p.role, organisation: p.organisation, delegation, password: DEMO_PASSWORD, locale: 'ru' });
    actors.set(p.email, {
      id: String(u._id), name: p.name, email: p.email, role: p.role,
      delegationId: delegation ? String(delegation._id) : null, delegationCode: p.delegation ?? null, sessionVersion: 0, via: 'session',
    });
  }
  return actors;
}

interface Created { id: string; keys: Map<string, string> }

/** A draft from its template whose revision 1 then gets the demo text, edit by edit. */
async function createWithText(actor: CurrentUser, templates: readonly Template[], doc: DemoDocument, clock: Clock): Promise<Created> {
  const created = await createDocument(actor, templates, { kind: doc.kind, ...doc.details }, clock.now());
  const id = String(created._id);
  const keys = new Map<string, string>();
  if (doc.clauses) await writeText(actor, templates, id, doc.clauses, keys, clock);
  else await applyEditsThroughService(actor, templates, id, 1, doc.edits ?? [], keys, clock);
  await verifyRevision(id, 1, revisionTexts(doc, templates)[0]!, keys);
  return { id, keys };
}

async function readRevision(id: string, number: number): Promise<{ clauses: Clause[]; version: number }> {
  return getRevision({ _id: new mongoose.Types.ObjectId(id) }, number);
}

/** Makes edits to one revision through the service, keeping its version counter. */
async function editor(actor: CurrentUser, templates: readonly Template[], id: string, number: number, clock: Clock) {
  let { version } = await readRevision(id, number);
  return async (action: ClauseAction): Promise<string> => {
    const r = await editClauses(actor, templates, id, version, action, clock.now());
    version = r.version;
    return r.key;
  };
}

/**
 * Turns the template's skeleton into `target`: removes the template clauses the text does not keep,
 * rewrites the ones it keeps (same keys, same order) and inserts the rest after their predecessor.
 */
async function writeText(actor: CurrentUser, templates: readonly Template[], id: string, target: readonly Clause[], keys: Map<string, string>, clock: Clock): Promise<void> {
  const edit = await editor(actor, templates, id, 1, clock);
  let current = (await readRevision(id, 1)).clauses;
  const wanted = new Set(target.map((c) => c.key));
  for (const key of current.map((c) => c.key).reverse()) {
    if (wanted.has(key) || !current.some((c) => c.key === key)) continue;
    await edit({ type: 'remove', key });
    current = removeClause(current, key);
  }
  const kept = current.map((c) => `${c.key}@${c.depth}`).join(' ');
  const keptInTarget = target.filter((t) => current.some((c) => c.key === t.key)).map((c) => `${c.key}@${c.depth}`).join(' ');
  if (kept !== keptInTarget) throw new Error(`demo text of ${id}: template clauses must keep their order and depth\n  template: ${kept}\n  text:     ${keptInTarget}`);

  for (const c of current) keys.set(c.key, c.key);
  const forward: Clause[] = [];
  let previous: string | null = null;
  for (const t of target) {
    const mapped = remap(t, keys);
    const existing = current.find((c) => c.key === t.key);
    if (existing) {
      if (contentOf(existing) !== contentOf(mapped)) {
        const patch = patchBetween(existing, mapped);
        await edit({ type: 'update', key: t.key, patch });
        current = updateClause(current, t.key, patch);
      }
    } else {
      const { key: _own, ...clause } = mapped;
      const key = await edit({ type: 'insert', afterKey: previous, clause });
      keys.set(t.key, key);
      current = insertAfter(current, previous, { ...clause, key } as Clause);
    }
    if (referencedKeys(t).some((k) => !keys.has(k))) forward.push(t);
    previous = keys.get(t.key)!;
  }
  // References to clauses that came later in the text: now that every key exists, write them.
  for (const t of forward) {
    const key = keys.get(t.key)!;
    const now = current.find((c) => c.key === key)!;
    const patch = patchBetween(now, { ...remap(t, keys), key });
    await edit({ type: 'update', key, patch });
    current = updateClause(current, key, patch);
  }
}

async function applyEditsThroughService(actor: CurrentUser, templates: readonly Template[], id: string, number: number, edits: readonly DemoEdit[], keys: Map<string, string>, clock: Clock): Promise<void> {
  const edit = await editor(actor, templates, id, number, clock);
  for (const c of (await readRevision(id, number)).clauses) if (!keys.has(c.key)) keys.set(c.key, c.key);
  const real = (key: string) => keys.get(key) ?? key;
  for (const e of edits) {
    if (e.type === 'update') await edit({ type: 'update', key: real(e.key), patch: remap(e.patch, keys) });
    else if (e.type === 'remove') await edit({ type: 'remove', key: real(e.key) });
    else if (e.type === 'move') await edit({ type: 'move', key: real(e.key), direction: e.direction });
    else {
      const { key: own, ...clause } = remap(e.clause, keys);
      keys.set(own, await edit({ type: 'insert', afterKey: real(e.afterKey), clause }));
    }
  }
}

/** The stored revision must say exactly what the demo text says, and be fit to circulate. */
async function verifyRevision(id: string, number: number, expected: readonly Clause[], keys: ReadonlyMap<string, string>): Promise<void> {
  const { clauses } = await readRevision(id, number);
  const problems: string[] = [];
  if (clauses.length !== expected.length) problems.push(`${clauses.length} clauses stored, ${expected.length} expected`);
  expected.forEach((e, i) => {
    const stored = clauses[i];
    if (!stored || stored.key !== keys.get(e.key) || contentOf(stored) !== contentOf(remap(e, keys))) problems.push(`clause ${i + 1} (${e.key}) differs`);
  });
  for (const issue of validateClauses(clauses)) problems.push(issue.message);
  for (const d of danglingReferences(clauses)) problems.push(`${d.fromKey} refers to missing ${d.toKey}`);
  if (problems.length) throw new Error(`demo revision ${number} of ${id}: ${problems.slice(0, 5).join('; ')}`);
}

async function summarise(actor: CurrentUser, doc: DemoDocument, id: string): Promise<DemoDocumentSummary> {
  const record = await getDocument(actor, id);
  const revisions = await Promise.all((await listRevisions(record)).map((r) => getRevision(record, r.number)));
  return {
    slug: doc.slug,
    id: String(record._id),
    title: record.titles.ru,
    state: record.state,
    stage: record.stage,
    ...(record.state === 'comment' && record.commentPeriod ? { closesAt: record.commentPeriod.closesAt } : {}),
    revisions: revisions.map((r) => ({ number: r.number, frozen: r.frozen, clauses: r.clauses.length })),
  };
}

export { applyEdits, demoDocuments, revisionTexts };
