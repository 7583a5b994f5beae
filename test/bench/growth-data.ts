// What bench:growth fills the database with, inserted straight into the collections (as bench:comments
// does): published standards (the committee's document list and the public catalogue), released comments
// of one round, people, and history events of one document.
import { mongoose } from '../../server/db/mongoose.js';
import { Comment } from '../../server/comments/model.js';
import { DocumentModel } from '../../server/documents/model.js';
import { User } from '../../server/users/model.js';
import { searchWordsOf } from '../../server/users/index.js';
import { catalogueChanged } from '../../server/catalogue/store.js';
import { searchTokensOf, sortKeyOf } from '../../server/catalogue/tokens.js';

const BATCH = 1000;
const GROUPS = ['integrated-circuits', 'laser-machines', 'gear-cutting-machines', 'semiconductor-devices', 'metalworking-machines'];
const PRODUCTS = ['Станки токарные', 'Микросхемы интегральные', 'Станки зубофрезерные', 'Диоды полупроводниковые', 'Прессы листоштамповочные'];
const ASPECTS = ['Общие технические требования', 'Методы испытаний', 'Нормы точности', 'Требования безопасности'];
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Inserts `count` records made by `make(i)` for i from `from`, a thousand at a time. */
async function insertAll(collection: mongoose.mongo.Collection, from: number, count: number, make: (i: number) => Record<string, unknown>): Promise<void> {
  for (let start = from; start < from + count; start += BATCH) {
    const n = Math.min(BATCH, from + count - start);
    await collection.insertMany(Array.from({ length: n }, (_, k) => make(start + k)), { ordered: false });
  }
}

function standard(n: number): Record<string, unknown> {
  const titles = { ru: `${PRODUCTS[n % PRODUCTS.length]}. ${ASPECTS[Math.floor(n / 5) % ASPECTS.length]}. Часть ${n + 1}`, en: `Standard ${n + 1}` };
  const designation = `СТ СГ ${n + 1}-${2020 + (n % 8)}`;
  const publishedAt = new Date(Date.UTC(2020 + (n % 8), n % 12, 1 + (n % 28), 9));
  const at = new Date(publishedAt.getTime() + 90 * 86400_000);
  return {
    titles, kind: 'general-technical-requirements', productGroup: GROUPS[n % GROUPS.length], ics: '25.080.01', developer: 'ОАО «Станкостандарт»',
    state: 'published', stage: '60.60', round: 1, currentRevision: 1, rev: 0, history: [], designation,
    publication: { designation, revision: 1, publishedAt, entryIntoForce: { BY: day(at), RU: day(at) }, fileId: new mongoose.Types.ObjectId(), sha256: n.toString(16).padStart(64, '0'), size: 2_000_000 + n },
    searchTokens: searchTokensOf({ titles, designation, scope: `Настоящий стандарт распространяется на ${titles.ru.toLowerCase()}.` }), sortKey: sortKeyOf(titles.ru),
    createdAt: publishedAt, updatedAt: publishedAt,
  };
}

/** Published standards `from` … `from + count - 1`; the catalogue's counter is bumped, as a publication does. */
export async function addStandards(from: number, count: number): Promise<void> {
  await insertAll(DocumentModel.collection, from, count, standard);
  await catalogueChanged();
}

/** Released, numbered comments of round 1 of the document, alternately from BY and RU, a quarter of them answered. */
export async function addComments(documentId: string, author: string, from: number, count: number): Promise<void> {
  const document = new mongoose.Types.ObjectId(documentId);
  const clauses = ['scope', 'normative-references', 'terms', 'technical-requirements'];
  await insertAll(Comment.collection, from, count, (i) => {
    const delegation = i % 2 ? 'RU' : 'BY';
    const seq = Math.floor(i / 2) + 1;
    const number = `${delegation}-${String(seq).padStart(3, '0')}`;
    const at = new Date(Date.now() + i);
    return {
      document, round: 1, revision: 1, clauseKey: clauses[i % clauses.length], type: ['ge', 'te', 'ed'][i % 3], text: `Замечание ${i + 1}: уточнить формулировку пункта.`,
      delegation, author: new mongoose.Types.ObjectId(author), authorName: 'Ирина Ковалёва', status: 'released', number, seq, numberKey: `${documentId}:1:${number}`,
      replies: [], version: 1, disposition: i % 4 ? null : { decision: 'accepted', by: new mongoose.Types.ObjectId(author), byName: 'Секретариат', at }, createdAt: at, updatedAt: at,
    };
  });
}

/** Invited people (no password yet) of the delegation, named so that they sort among each other. */
export async function addUsers(delegation: { id: mongoose.Types.ObjectId; code: string }, from: number, count: number): Promise<void> {
  const surnames = ['Ковалёв', 'Новиков', 'Морозов', 'Волков', 'Соколов', 'Лебедев', 'Козлов'];
  await insertAll(User.collection, from, count, (i) => {
    const email = `growth.${i}@bench.example`;
    const name = `${surnames[i % surnames.length]} ${i + 1}`;
    return {
      email, name, role: 'member', delegation: delegation.id, delegationCode: delegation.code,
      active: true, passwordHash: null, sessionVersion: 0, unsubscribed: [], searchWords: searchWordsOf(name, email), createdAt: new Date(), updatedAt: new Date(),
    };
  });
}

/** Events on the document's history: changes of its details, as the secretariat's edits record them. */
export async function addHistory(documentId: string, by: string, count: number): Promise<void> {
  for (let start = 0; start < count; start += BATCH) {
    const events = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => ({ at: new Date(Date.now() + start + k), by: new mongoose.Types.ObjectId(by), byName: 'Секретариат', action: 'editDetails', from: null, to: null, revision: 1 }));
    await DocumentModel.updateOne({ _id: documentId }, { $push: { history: { $each: events } } });
  }
}
