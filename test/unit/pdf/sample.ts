// A believable standard for the PDF tests, the page script and the benchmark: the general-technical-
// requirements template filled in the way the committee writes (integrated circuits), and `scale` extra
// requirement chapters to make it as long as wanted. Deterministic: no randomness, fixed dates.
import { day } from '../../../server/time/days.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clause } from '../../../server/text/clauses.js';
import { clausesFromTemplate, parseTemplate, templatesDir } from '../../../server/documents/templates.js';
import { standardPdfView, type StandardPdfView, type StandardSource } from '../../../server/pdf/standard-view.js';

const SENTENCES = [
  'Изделия должны сохранять работоспособность при воздействии механических и климатических факторов, установленных в технических условиях на изделия конкретных типов.',
  'Значения параметров, не указанные в таблице, устанавливают в технических условиях; при этом нормы не должны быть ниже приведённых в настоящем стандарте.',
  'Контроль проводят на каждой партии изделий методом выборочного контроля по плану, согласованному между изготовителем и заказчиком.',
  'Допускается применять средства измерений других типов, метрологические характеристики которых не хуже указанных, а погрешность измерения не превышает ±5 %.',
  'Маркировка должна оставаться чёткой и разборчивой в течение всего срока службы изделия, включая хранение при температуре от минус 60 °C до плюс 85 °C.',
  'Требования к отбору образцов, последовательность испытаний и критерии отказов приводят в программе испытаний, утверждённой в установленном порядке.',
  'При разногласиях в оценке качества изделий применяют методы контроля, установленные в настоящем стандарте, и средства измерений, прошедшие поверку.',
  'Сопротивление изоляции между выводами и корпусом должно быть не менее 100 МОм при напряжении 100 В постоянного тока.',
];

function prose(seed: number, sentences: number): string {
  return Array.from({ length: sentences }, (_, i) => SENTENCES[(seed * 3 + i) % SENTENCES.length]).join(' ');
}

function templateClauses(): Clause[] {
  const file = path.join(templatesDir, 'general-technical-requirements.json');
  return clausesFromTemplate(parseTemplate(JSON.parse(readFileSync(file, 'utf8')), file), 'ru');
}

const PARAMETER_ROWS: string[][] = [
  ['Напряжение питания U_{CC}, В', 'U_{CC}', '4,5', '5,5'],
  ['Ток потребления I_{CC}, мА', 'I_{CC}', '—', '25'],
  ['Выходное напряжение низкого уровня U_{OL}, В', 'U_{OL}', '—', '0,4'],
  ['Выходное напряжение высокого уровня U_{OH}, В', 'U_{OH}', '2,4', '—'],
  ['Входной ток утечки I_{IL}, мкА', 'I_{IL}', '−1', '1'],
  ['Время задержки распространения t_{PD}, нс', 't_{PD}', '—', '15'],
  ['Рассеиваемая мощность P, мВт', 'P', '—', '150'],
  ['Ёмкость входа C_{I}, пФ', 'C_{I}', '—', '10'],
  ['Частота переключения f_{max}, МГц', 'f_{max}', '50', '—'],
  ['Температура перехода T_{j}, °C', 'T_{j}', '—', '150'],
];

/** One extra chapter of requirements: a subsection with text, requirement clauses, a table and a note. */
function chapter(n: number): Clause[] {
  const k = (s: string) => `x${n}-${s}`;
  return [
    { key: k('sec'), depth: 1, kind: 'section', heading: `Требования к исполнению ${n + 1}-й группы изделий` },
    { key: k('intro'), depth: 2, kind: 'text', body: `${prose(n, 3)}\n\n${prose(n + 1, 2)}` },
    { key: k('r1'), depth: 2, kind: 'requirement', heading: 'Напряжение питания', body: 'Изделия должны работать при напряжении питания в пределах:', requirement: { parameter: 'Напряжение питания U_CC', min: 4.5, max: 5.5, unit: 'В', methodKey: 'methods-conditions' } },
    { key: k('r2'), depth: 2, kind: 'requirement', requirement: { parameter: 'Ток потребления в статическом режиме', max: 25, unit: 'мА', methodKey: 'methods-instruments' } },
    { key: k('r3'), depth: 2, kind: 'requirement', heading: 'Сопротивление изоляции', body: prose(n + 2, 1), requirement: { parameter: 'Сопротивление изоляции', nominal: 100, tolerance: 5, unit: 'МОм' } },
    { key: k('list'), depth: 2, kind: 'text', body: 'Изделия должны выдерживать:\nа) воздействие синусоидальной вибрации в диапазоне частот от 1 до 2000 Гц с ускорением 200 м/с^{2};\nб) механический удар одиночного действия с пиковым ударным ускорением 1500 м/с^{2};\nв) линейное ускорение 5000 м/с^{2}.' },
    { key: k('table'), depth: 2, kind: 'table', table: { caption: `Электрические параметры изделий ${n + 1}-й группы`, header: ['Наименование параметра, единица величины', 'Буквенное обозначение', 'Норма, не менее', 'Норма, не более'], rows: PARAMETER_ROWS } },
    { key: k('note'), depth: 2, kind: 'note', body: `Значения параметров приведены для температуры окружающей среды (25 ± 10) °C; см. также [[ref:${k('table')}]] и [[ref:methods]].` },
    { key: k('text2'), depth: 2, kind: 'text', body: prose(n + 3, 4) },
    { key: k('example'), depth: 2, kind: 'example', body: 'Условное обозначение микросхемы при заказе: «Микросхема 1554ЛА3 АЕЯР.431200.001 ТУ».' },
  ];
}

export interface SampleOptions {
  /** Extra requirement chapters (about 1.2 pages each). */
  scale?: number;
  published?: boolean;
  verifyUrl?: string;
  votes?: boolean;
}

/** The clauses of the sample standard. */
export function sampleClauses(scale = 0): Clause[] {
  const base = templateClauses();
  const out: Clause[] = [];
  for (const c of base) {
    if (c.key === 'scope') out.push({ ...c, body: 'Настоящий стандарт распространяется на полупроводниковые интегральные микросхемы (далее — изделия) и устанавливает общие технические требования к ним, требования безопасности и охраны окружающей среды, правила приёмки и методы контроля, а также требования к транспортированию и хранению.\n\nСтандарт применяют в Республике Беларусь (Ўсходняя прамысловая зона, Іванава) и в Российской Федерации; символы « » — № ‰ ± × ² печатаются шрифтом документа.' });
    else if (c.key === 'parameters-table') out.push({ ...c, table: { ...c.table!, rows: PARAMETER_ROWS } });
    else out.push(c);
    if (c.key === 'ref-gost-15150') {
      out.push({ key: 'ref-gost-18725', depth: 1, kind: 'reference', reference: { designation: 'ГОСТ 18725', title: 'Микросхемы интегральные. Общие технические условия' } });
      out.push({ key: 'ref-gost-20.57.406', depth: 1, kind: 'reference', reference: { designation: 'ГОСТ 20.57.406', title: 'Комплексная система контроля качества. Изделия электронной техники, квантовой электроники и электротехнические. Методы испытаний' } });
    }
    if (c.key === 'terms') {
      out.push({ key: 'term-ic', depth: 1, kind: 'term', term: { ru: 'интегральная микросхема', en: 'integrated circuit', definition: 'Микроэлектронное изделие, выполняющее определённую функцию преобразования и обработки сигнала и имеющее высокую плотность упаковки электрически соединённых элементов.' } });
      out.push({ key: 'term-lot', depth: 1, kind: 'term', term: { ru: 'партия изделий', en: 'lot', definition: 'Совокупность изделий одного типа, изготовленных по одной технологической документации в течение определённого интервала времени.' } });
      out.push({ key: 'term-failure', depth: 1, kind: 'term', term: { ru: 'отказ', en: 'failure', definition: 'Событие, заключающееся в нарушении работоспособного состояния изделия (см. [[ref:reliability]]).' } });
    }
    if (c.key === 'parameters-note') out.push(...Array.from({ length: scale }, (_, i) => chapter(i)).flat().map((x) => ({ ...x, depth: x.depth })));
    if (c.key === 'methods-instruments') {
      out.push({ key: 'methods-voltage', depth: 1, kind: 'text', heading: 'Измерение напряжения питания', body: `${prose(5, 3)}\n\n1) подключают изделие к источнику питания;\n2) устанавливают напряжение 5,0 В;\n3) измеряют ток потребления.` });
    }
    if (c.key === 'annex-traceability-table') {
      out.push({ key: 'annex-examples', depth: 0, kind: 'section', annex: 'informative', heading: 'Примеры условных обозначений изделий', body: prose(7, 3) });
      out.push({ key: 'annex-examples-1', depth: 1, kind: 'example', body: 'Микросхема 1554ЛА3 АЕЯР.431200.001 ТУ.' });
      out.push({ key: 'annex-examples-2', depth: 1, kind: 'example', body: 'Микросхема 5559ИН28У АЕЯР.431200.002 ТУ.' });
    }
  }
  out.push({ key: 'bib-1', depth: 1, kind: 'bibliography', body: 'ТР ТС 004/2011 Технический регламент Таможенного союза «О безопасности низковольтного оборудования»' });
  out.push({ key: 'bib-2', depth: 1, kind: 'bibliography', body: 'ТР ТС 020/2011 Технический регламент Таможенного союза «Электромагнитная совместимость технических средств»' });
  return out;
}

export const SAMPLE_DATE = new Date('2027-03-01T09:00:00Z');

export function sampleSource(opts: SampleOptions = {}): StandardSource {
  const published = !!opts.published;
  return {
    titles: { ru: 'Микросхемы интегральные. Общие технические требования', en: 'Integrated circuits. General technical requirements' },
    developer: 'ОАО «ИНТЕГРАЛ» — управляющая компания холдинга «ИНТЕГРАЛ» (Республика Беларусь)',
    designation: published ? 'СТ СГ 12—2027' : undefined,
    published,
    revision: published ? 3 : 2,
    stage: published ? '60.60' : '30.20',
    ics: '31.200',
    keywords: ['микросхемы интегральные', 'технические требования', 'правила приёмки', 'методы контроля'],
    revisionDate: day('2027-03-01'),
    publicationDate: published ? day('2027-06-15') : undefined,
    votes: opts.votes || published ? [
      { country: 'Беларусь', code: 'BY', body: 'Госстандарт Республики Беларусь', vote: 'approve', date: '2027-05-20' },
      { country: 'Россия', code: 'RU', body: 'Росстандарт', vote: 'approve', date: '2027-05-22' },
    ] : undefined,
    adoption: published ? 'протокол № 12 от 27 мая 2027 г.' : undefined,
    entryIntoForce: published ? [
      { country: 'в Республике Беларусь', code: 'BY', date: '2028-01-01' },
      { country: 'в Российской Федерации', code: 'RU', date: '2028-01-01' },
    ] : undefined,
    verifyUrl: published ? (opts.verifyUrl ?? 'https://accord.example/verify/0d4f6c2e') : undefined,
    createdAt: SAMPLE_DATE,
    clauses: sampleClauses(opts.scale ?? 0),
  };
}

export function sampleView(opts: SampleOptions = {}): StandardPdfView {
  return standardPdfView(sampleSource(opts));
}
