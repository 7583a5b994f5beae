// A large requirements document for the page and PDF benchmarks: revision 1 circulated and frozen,
// revision 2 with edits, so that the redline has something to show. Written straight into the revision
// (a benchmark shortcut); the workflow moves go through the service.
import type { CurrentUser } from '../../server/auth/current-user.js';
import { newClauseKey, validateClauses, type Clause } from '../../server/text/clauses.js';
import { Revision } from '../../server/documents/model.js';
import { createDocument, getDocument, startNewRevision } from '../../server/documents/index.js';
import { transition } from './system.js';
import type { Template } from '../../server/documents/templates.js';

function clausesOf(count: number): Clause[] {
  const out: Clause[] = [];
  let section = 0;
  while (out.length < count) {
    section++;
    out.push({ key: newClauseKey(), depth: 0, kind: 'section', heading: `Требования к параметрам группы ${section}` });
    for (let sub = 1; sub <= 3 && out.length < count; sub++) {
      out.push({ key: newClauseKey(), depth: 1, kind: 'text', heading: `Электрические параметры ${section}.${sub}`, body: 'Изделия должны соответствовать требованиям настоящего стандарта и технических условий на изделия конкретных типов; значения параметров приведены в таблице и в пунктах ниже.' });
      out.push({ key: newClauseKey(), depth: 2, kind: 'requirement', requirement: { parameter: `Напряжение питания U_{CC}, вариант ${section}.${sub}`, min: 4.5, max: 5.5, unit: 'В' } });
      out.push({ key: newClauseKey(), depth: 2, kind: 'requirement', requirement: { parameter: 'Ток потребления', max: 10 + sub, unit: 'мА' } });
      out.push({ key: newClauseKey(), depth: 2, kind: 'note', body: 'Допускается уточнять значения в технических условиях на изделия конкретных типов.' });
      out.push({ key: newClauseKey(), depth: 2, kind: 'table', table: { caption: 'Предельные значения', header: ['Параметр', 'Не менее', 'Не более', 'Единица'], rows: [['Температура среды', '−60', '+125', '°С'], ['Относительная влажность', '—', '98', '%'], ['Атмосферное давление', '84', '107', 'кПа']] } });
    }
  }
  return out.slice(0, count);
}

/** Creates the document and returns its id; revision 2 differs from 1 in about one clause in twenty. */
export async function makeBigDocument(secretariat: CurrentUser, templates: readonly Template[], clauses = 600): Promise<string> {
  const doc = await createDocument(secretariat, templates, {
    kind: 'general-technical-requirements',
    titleRu: 'Микросхемы интегральные. Общие технические требования (большой документ)',
    titleEn: 'Integrated circuits. General technical requirements (large document)',
    productGroup: 'integrated-circuits',
    ics: '31.200',
    developer: 'ОАО «ИНТЕГРАЛ»',
  }, new Date());
  const id = String(doc._id);
  const first = clausesOf(clauses);
  if (validateClauses(first).length) throw new Error('the benchmark document does not validate');
  await Revision.updateOne({ document: doc._id, number: 1 }, { $set: { clauses: first } });
  await transition(secretariat, id, 'circulate', { now: new Date(), closesAt: new Date(Date.now() + 30 * 86400_000), acceptWarnings: true });
  await transition(secretariat, id, 'closeComments', { now: new Date() });
  await transition(secretariat, id, 'newRound', { now: new Date() });
  await startNewRevision(secretariat, id, new Date());
  const second = first.map((c, i) => (i % 20 === 5 && c.body ? { ...c, body: `${c.body} Уточнение по отзыву ${i}.` } : c)).filter((_, i) => i % 97 !== 50);
  await Revision.updateOne({ document: doc._id, number: 2 }, { $set: { clauses: second } });
  await getDocument(secretariat, id);
  return id;
}
