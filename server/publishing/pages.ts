// What the publication, amendment, withdrawal and verification pages show: plain objects for the views.
import type { CurrentUser } from '../auth/index.js';
import { listDelegations } from '../delegations/service.js';
import { openAmendmentOf, type DocumentRecord } from '../documents/index.js';
import type { Locale } from '../i18n/index.js';
import { addDays, dayOf, type Day } from '../time/days.js';
import { countryStatuses, statusPhrase } from '../catalogue/index.js';
import { formatDay, formatDayOf, formatInstant } from '../time/format.js';
import { designationOf } from './designation.js';
import { amendmentOf, COUNTRIES } from './service.js';
import { nextAmendmentNumber } from './amendments.js';
import type { PublicationFacts, PublicationStatus, Verdict } from './verification.js';

function docHead(doc: DocumentRecord, locale: Locale) {
  return {
    id: String(doc._id),
    title: doc.titles[locale] || doc.titles.ru,
    designation: doc.publication?.designation ?? doc.designation ?? undefined,
    state: doc.state,
    currentRevision: doc.currentRevision,
  };
}

async function countryNames(locale: Locale): Promise<Map<string, string>> {
  return new Map((await listDelegations()).map((d) => [d.code, d.name[locale]]));
}

/** The publish form: dates of entry into force per country; or why the document cannot be published. */
export async function publishPage(doc: DocumentRecord, locale: Locale, now: Date) {
  const pending = doc.publication ? null : await designationOf(doc._id);
  const names = await countryNames(locale);
  const defaultDay = addDays(dayOf(now), 90);
  const values = Object.fromEntries(COUNTRIES.map((c) => [`entryIntoForce${c}`, pending?.entryIntoForce.find((e) => e.code === c)?.date ?? defaultDay]));
  return {
    title: 'publishing.publishTitle',
    doc: docHead(doc, locale),
    canPublish: doc.state === 'approved',
    // An amendment is published in its own form, with the standard's consolidated edition (docs/amendments.md): no standard's proof.
    isAmendment: !!doc.amends,
    published: doc.publication ? { designation: doc.publication.designation, date: formatDayOf(doc.publication.publishedAt, locale), href: `/catalogue/${doc._id}/pdf`, verify: `/verify/${doc._id}` } : undefined,
    pending: pending ? { designation: pending.designation } : undefined,
    countries: COUNTRIES.map((code) => ({ code, name: names.get(code) ?? code, field: `entryIntoForce${code}` })),
    values,
    firstDay: dayOf(now),
  };
}

export async function amendPage(actor: CurrentUser, doc: DocumentRecord, locale: Locale) {
  const successor = doc.state === 'published' ? await amendmentOf(actor, doc) : undefined;
  // Besides a successor, a published standard may be changed by an amendment (docs/amendments.md).
  const openAmendment = doc.state === 'published' && !doc.amends ? await openAmendmentOf(doc._id) : null;
  return {
    title: 'publishing.amendTitle',
    doc: docHead(doc, locale),
    canAmend: doc.state === 'published' && !!doc.publication && !successor && !doc.amends,
    successor,
    // A revision (a successor that supersedes) and an amendment (Изменение № N) side by side, each named for what it makes.
    amendment: doc.state === 'published' && !!doc.publication && !doc.amends ? { open: openAmendment ? String(openAmendment._id) : undefined, next: openAmendment ? undefined : await nextAmendmentNumber(doc._id) } : undefined,
  };
}

export function withdrawPage(doc: DocumentRecord, locale: Locale) {
  return {
    title: 'publishing.withdrawTitle',
    doc: docHead(doc, locale),
    canWithdraw: doc.state === 'published' && !!doc.publication,
    firstDay: doc.publication ? dayOf(doc.publication.publishedAt) : undefined,
  };
}

/** Country by country, on `today`, in the catalogue's words (server/catalogue, country-status.ts). */
function countryLines(p: PublicationFacts, today: Day, locale: Locale, names?: Map<string, string>) {
  const dated = (designation: string, eif: { code: string; date: Day }[], withdrawn?: Day) => ({
    designation,
    entryIntoForce: eif.map((e) => ({ country: e.code, date: e.date })),
    withdrawal: withdrawn ? { date: withdrawn, reason: '', recordedAt: new Date(0) } : null,
  });
  const s = p.status;
  const self = dated(p.designation, p.entryIntoForce, s.kind === 'withdrawn' ? s.date : undefined);
  const successor = s.kind === 'superseded' ? dated(s.by.designation ?? '—', s.by.entryIntoForce) : undefined;
  return countryStatuses(self, today, successor).map((c) => ({ code: c.country, country: names?.get(c.country) ?? c.country, kind: c.kind, text: statusPhrase(c, locale) }));
}

function statusView(s: PublicationStatus, lines: { kind: string }[], today: Day, locale: Locale) {
  switch (s.kind) {
    case 'inForce':
      // Published, but in force nowhere yet: adopted, not «in force».
      return lines.length && !lines.some((l) => l.kind === 'in-force') ? { adopted: true } : { inForce: true };
    case 'superseded':
      return { superseded: { href: `/verify/${s.by.id}`, designation: s.by.designation ?? '—' } };
    case 'withdrawn':
      // A withdrawal set for a day to come is spoken of as to come.
      return { withdrawn: { date: s.date ? formatDay(s.date, locale) : '—', reason: s.reason, future: !!s.date && s.date > today } };
  }
}

function factsView(p: PublicationFacts, locale: Locale, today: Day, names?: Map<string, string>) {
  const lines = countryLines(p, today, locale, names);
  return {
    id: p.id,
    designation: p.designation,
    title: p.titles[locale] || p.titles.ru,
    revision: p.revision,
    publishedAt: formatDayOf(p.publishedAt, locale),
    entryIntoForce: p.entryIntoForce.map((e) => ({ code: e.code, country: names?.get(e.code) ?? e.code, date: formatDay(e.date, locale) })),
    sha256: p.sha256,
    size: p.size,
    status: statusView(p.status, lines, today, locale),
    countries: lines,
    signature: p.signature ? { signer: p.signature.signer, date: formatInstant(p.signature.signedAt, locale), development: p.signature.development } : undefined,
    download: `/catalogue/${p.id}/pdf`,
    verify: `/verify/${p.id}`,
  };
}

export async function verdictView(v: Verdict, locale: Locale, today: Day) {
  // The countries by name, as the page of the publication names them.
  const names = v.kind === 'unknown' ? undefined : await countryNames(locale);
  return {
    sha256: v.sha256,
    authentic: v.kind === 'authentic' ? factsView(v.publication, locale, today, names) : undefined,
    altered: v.kind === 'altered' ? factsView(v.claims, locale, today, names) : undefined,
    unknown: v.kind === 'unknown',
  };
}

/** The QR code's target: one publication, its hash and whether it is in force. */
export async function publicationPage(p: PublicationFacts, locale: Locale, today: Day) {
  return { title: 'publishing.publicationTitle', publication: factsView(p, locale, today, await countryNames(locale)) };
}
