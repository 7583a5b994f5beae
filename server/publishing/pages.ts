// What the publication, amendment, withdrawal and verification pages show: plain objects for the views.
import type { CurrentUser } from '../auth/index.js';
import { listDelegations } from '../delegations/service.js';
import type { DocumentRecord } from '../documents/index.js';
import type { Locale } from '../i18n/index.js';
import { addDays, dayOf } from '../time/days.js';
import { formatDay, formatDayOf, formatInstant } from '../time/format.js';
import { designationOf } from './designation.js';
import { amendmentOf, COUNTRIES } from './service.js';
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
    published: doc.publication ? { designation: doc.publication.designation, date: formatDayOf(doc.publication.publishedAt, locale), href: `/catalogue/${doc._id}/pdf`, verify: `/verify/${doc._id}` } : undefined,
    pending: pending ? { designation: pending.designation } : undefined,
    countries: COUNTRIES.map((code) => ({ code, name: names.get(code) ?? code, field: `entryIntoForce${code}` })),
    values,
    firstDay: dayOf(now),
  };
}

export async function amendPage(actor: CurrentUser, doc: DocumentRecord, locale: Locale) {
  const successor = doc.state === 'published' ? await amendmentOf(actor, doc) : undefined;
  return {
    title: 'publishing.amendTitle',
    doc: docHead(doc, locale),
    canAmend: doc.state === 'published' && !!doc.publication && !successor,
    successor,
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

function statusView(s: PublicationStatus, locale: Locale) {
  switch (s.kind) {
    case 'inForce':
      return { inForce: true };
    case 'superseded':
      return { superseded: { href: `/verify/${s.by.id}`, designation: s.by.designation ?? '—' } };
    case 'withdrawn':
      return { withdrawn: { date: s.date ? formatDay(s.date, locale) : '—', reason: s.reason } };
  }
}

function factsView(p: PublicationFacts, locale: Locale, names?: Map<string, string>) {
  return {
    id: p.id,
    designation: p.designation,
    title: p.titles[locale] || p.titles.ru,
    revision: p.revision,
    publishedAt: formatDayOf(p.publishedAt, locale),
    entryIntoForce: p.entryIntoForce.map((e) => ({ code: e.code, country: names?.get(e.code) ?? e.code, date: formatDay(e.date, locale) })),
    sha256: p.sha256,
    size: p.size,
    status: statusView(p.status, locale),
    signature: p.signature ? { signer: p.signature.signer, date: formatInstant(p.signature.signedAt, locale), development: p.signature.development } : undefined,
    download: `/catalogue/${p.id}/pdf`,
    verify: `/verify/${p.id}`,
  };
}

export function verdictView(v: Verdict, locale: Locale) {
  return {
    sha256: v.sha256,
    authentic: v.kind === 'authentic' ? factsView(v.publication, locale) : undefined,
    altered: v.kind === 'altered' ? factsView(v.claims, locale) : undefined,
    unknown: v.kind === 'unknown',
  };
}

/** The QR code's target: one publication, its hash and whether it is in force. */
export async function publicationPage(p: PublicationFacts, locale: Locale) {
  return { title: 'publishing.publicationTitle', publication: factsView(p, locale, await countryNames(locale)) };
}
