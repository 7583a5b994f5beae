// «Станки координатно-пробивные с числовым программным управлением. Технические условия» — a draft that
// was started from the template, partly filled in and then cancelled by the committee. Its text is the
// template's skeleton (placeholders «…» included, as abandoned drafts have) plus the edits below.
import type { DemoDocument } from './build.js';

export const punchingMachines: DemoDocument = {
  slug: 'punching-machines',
  kind: 'specifications',
  details: {
    titleRu: 'Станки координатно-пробивные с числовым программным управлением. Технические условия',
    titleEn: 'CNC turret punch presses. Specifications',
    productGroup: 'metalworking-machines',
    ics: '25.120.10',
    developer: 'Рабочая группа РГ 5 «Станкостроение»: ОАО «Белстанкопроект» (BY)',
  },
  edits: [
    {
      type: 'update', key: 'scope', why: 'область применения',
      patch: {
        body: 'Настоящий стандарт распространяется на координатно-пробивные прессы с числовым программным управлением номинальным усилием от 200 до 300 кН с револьверной инструментальной головкой (далее — станки), предназначенные для пробивки отверстий, вырубки и формовки в листовом металле толщиной до 6 мм, и устанавливает требования к ним, предъявляемые при изготовлении, поставке и эксплуатации.\n\n' +
          'Пример записи станка при заказе и в документации другой продукции: «Станок координатно-пробивной КПС-30 СТ СГ …».',
      },
    },
    {
      type: 'insert', afterKey: 'ref-gost-15150', why: 'ссылка на метод проверки позиционирования',
      clause: { key: 'ref-gost-iso-230-2', depth: 1, kind: 'reference', reference: { designation: 'ГОСТ ISO 230-2', title: 'Нормы и правила испытаний станков. Часть 2. Определение точности и повторяемости позиционирования осей с числовым программным управлением' } },
    },
    {
      type: 'insert', afterKey: 'terms', why: 'термин',
      clause: { key: 'term-turret', depth: 1, kind: 'term', term: { ru: 'револьверная головка', en: 'turret', definition: 'Узел станка, несущий комплект пуансонов и матриц, поворот которого обеспечивает смену инструмента по управляющей программе.' } },
    },
    {
      type: 'insert', afterKey: 'term-turret', why: 'термин',
      clause: { key: 'term-hit-rate', depth: 1, kind: 'term', term: { ru: 'частота ходов', en: 'hit rate', definition: 'Наибольшее число ходов ползуна в минуту при пробивке отверстий с перемещением листа на 25 мм между ходами.' } },
    },
    {
      type: 'update', key: 'characteristics-table', why: 'основные параметры',
      patch: {
        table: {
          caption: 'Основные параметры',
          header: ['Наименование параметра', 'Единица величины', 'Значение'],
          rows: [
            ['Номинальное усилие', 'кН', '200; 300'],
            ['Наибольшая толщина пробиваемого листа из стали с временным сопротивлением до 450 МПа', 'мм', '6'],
            ['Размеры обрабатываемого листа без перехвата', 'мм', '1250 × 2500'],
            ['Число инструментальных позиций револьверной головки', '—', '32'],
            ['Наибольшая частота ходов', 'мин^{−1}', '400'],
          ],
        },
      },
    },
    {
      type: 'insert', afterKey: 'methods-instruments', why: 'метод',
      clause: { key: 'method-positioning', depth: 1, kind: 'text', body: 'Точность позиционирования листа проверяют по ГОСТ ISO 230-2 лазерным интерферометром, отражатель которого закрепляют на зажиме листа координатного стола.' },
    },
    {
      type: 'insert', afterKey: 'characteristics-table', why: 'точность позиционирования',
      clause: { key: 'req-positioning', depth: 2, kind: 'requirement', body: 'Точность двустороннего позиционирования листа по осям X и Y по ГОСТ ISO 230-2:', requirement: { parameter: 'Точность двустороннего позиционирования листа по осям X и Y', max: 0.1, unit: 'мм', methodKey: 'method-positioning' } },
    },
    {
      type: 'insert', afterKey: 'req-positioning', why: 'примечание',
      clause: { key: 'characteristics-note', depth: 2, kind: 'note', body: 'Значения параметров станков усилием 300 кН подлежат уточнению по результатам испытаний опытного образца.' },
    },
  ],
};
