// The clause a row of a comment table names, found by the number the circulated revision derives for it
// (server/text/numbering.ts): «4.1.1», «п. 4.1.1», «Таблица 2», «Table А.1», «Приложение А», «А.3», or a
// heading written out («Область применения»). «General», «Общие замечания», «Титульный лист» and an empty
// cell mean the document as a whole. A Latin letter that looks like a Cyrillic one («A.3» typed with a
// Latin A) is read as the Cyrillic letter of GOST 1.5's annexes.
import type { Clause } from '../../text/clauses.js';
import { numberClauses } from '../../text/numbering.js';

export type ClauseMatch = { kind: 'clause'; key: string } | { kind: 'general' } | { kind: 'unknown' };

const LOOKALIKES: Record<string, string> = { A: 'А', B: 'В', C: 'С', E: 'Е', H: 'Н', K: 'К', M: 'М', O: 'О', P: 'Р', T: 'Т', X: 'Х', Y: 'У' };
const cyrillicLetters = (s: string) => s.replace(/[ABCEHKMOPTXY]/g, (l) => LOOKALIKES[l]!);

const WHOLE_DOCUMENT = /^(general|general comments?|whole document|document|title page|cover page|foreword|introduction|общ(ее|ие|ий|ая)( замечани[ея])?|в целом|документ в целом|весь документ|весь текст|титульный лист|обложка|предисловие|введение|[-–—]+)$/;
const PREFIX = /^(п\.|пп\.|пункт|подпункт|подраздел|раздел|clause|subclause|sub-clause|section|§)\s*/;
const TABLE = /^(таблица|табл\.?|table|tab\.)\s*(\S+)/;
const ANNEX = /^(приложение|прил\.|annex|appendix)\s*(\S+)/;
const NUMBER = /^([A-ZА-Я]\.)?\d+(\.\d+)*|^[A-ZА-Я](?=$|[\s,.;)])/;

export interface ClauseIndex {
  match(written: string): ClauseMatch;
}

const normal = (s: string) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').replace(/[.:;,]+$/, '').trim();

/** An index of the revision's clauses by derived number, table number, annex letter and heading. */
export function clauseIndex(clauses: readonly Clause[]): ClauseIndex {
  const labels = numberClauses(clauses);
  const byNumber = new Map<string, string>();
  const byTable = new Map<string, string>();
  const byHeading = new Map<string, string>();
  for (const c of clauses) {
    const label = labels.get(c.key);
    if (label?.kind === 'clause' || label?.kind === 'annex') byNumber.set(label.number, c.key);
    if (label?.kind === 'table') byTable.set(label.number, c.key);
    if (c.heading && !byHeading.has(normal(c.heading))) byHeading.set(normal(c.heading), c.key);
  }
  const found = (map: Map<string, string>, n: string): ClauseMatch => {
    const key = map.get(cyrillicLetters(n.toUpperCase()).replace(/\.$/, ''));
    return key ? { kind: 'clause', key } : { kind: 'unknown' };
  };
  return {
    match(written) {
      const s = normal(written);
      if (!s || WHOLE_DOCUMENT.test(s)) return { kind: 'general' };
      const rest = s.replace(PREFIX, '');
      const table = TABLE.exec(rest);
      if (table) return found(byTable, table[2]!.replace(/[,;)]+$/, ''));
      const annex = ANNEX.exec(rest);
      if (annex) return found(byNumber, annex[2]!.replace(/[,;)(]+$/, ''));
      const heading = byHeading.get(rest);
      if (heading) return { kind: 'clause', key: heading };
      const number = NUMBER.exec(cyrillicLetters(rest.toUpperCase()));
      return number ? found(byNumber, number[0]) : { kind: 'unknown' };
    },
  };
}
