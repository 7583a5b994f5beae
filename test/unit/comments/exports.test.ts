import assert from 'node:assert/strict';
import { anchorText, isoColumns, rowHeight, sentences, type ExportRow } from '../../../server/comments/exports.js';

const row = (cells: Partial<ExportRow>): ExportRow => ({ ...(Object.fromEntries(isoColumns.map((c) => [c.key, ''])) as ExportRow), ...cells });

describe('comment exports', () => {
  it('names an anchor once: «таблица 2», and «Таблица 2» when the reference already says so', () => {
    assert.equal(anchorText('таблица', '2'), 'таблица 2');
    assert.equal(anchorText('таблица', 'Таблица 2'), 'Таблица 2');
    assert.equal(anchorText('абзац', ' 3 '), 'абзац 3');
  });

  it('joins the observations into sentences without doubling a full stop', () => {
    assert.equal(sentences(['Принято (accepted)', 'Учтено.', undefined, 'Редакция 2']), 'Принято (accepted). Учтено. Редакция 2');
    assert.equal(sentences(['Отклонено (rejected)', 'Почему?', '']), 'Отклонено (rejected). Почему?');
    assert.equal(sentences([]), '');
  });

  it('fits a row to the lines its longest cell wraps to', () => {
    assert.equal(rowHeight(row({})), 18);
    assert.equal(rowHeight(row({ comment: 'а\nб\nв' })), 48);
    const width = isoColumns.find((c) => c.key === 'comment')!.width;
    assert.equal(rowHeight(row({ comment: 'я'.repeat((width - 1) * 4) })), 63);
  });
});
