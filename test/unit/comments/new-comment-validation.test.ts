import assert from 'node:assert/strict';
import { mongoose } from '../../../server/db/mongoose.js';
import { Comment, validateNewComment } from '../../../server/comments/model.js';

const record = () => ({
  document: new mongoose.Types.ObjectId(), round: 1, revision: 1, clauseKey: 'scope', anchor: { kind: 'paragraph', ref: '1' }, line: '12', order: '000001|001|1',
  type: 'te', text: 'Уточнить область применения.', proposedChange: 'Дополнить.', delegation: 'BY', author: new mongoose.Types.ObjectId().toHexString(), authorName: 'Ирина Ковалёва',
});
const stored = (fields: Record<string, unknown> = {}) => ({ ...(Comment.applyTimestamps(Comment.applyDefaults(Comment.castObject(record()))) as Record<string, unknown>), ...fields });

async function refusals(doc: Record<string, unknown>): Promise<{ mine?: string; model?: string }> {
  const out: { mine?: string; model?: string } = {};
  try {
    validateNewComment(doc);
  } catch (err) {
    out.mine = (err as Error).message;
  }
  await Comment.validate(doc).catch((err: Error) => (out.model = err.message));
  return out;
}

describe('checking a new comment without a Mongoose document', () => {
  it('accepts what saving accepts', async () => {
    assert.deepEqual(await refusals(stored()), {});
    assert.deepEqual(await refusals(stored({ anchor: null, line: null, proposedChange: undefined })), {});
  });

  it('refuses what saving refuses, with the same message', async () => {
    const bad = [
      { text: 'я'.repeat(10_001) }, { text: '' }, { type: 'zz' }, { delegation: undefined }, { author: undefined }, { status: 'secret' },
      { anchor: { kind: 'chapter', ref: '1' } }, { anchor: { kind: 'table', ref: '1'.repeat(101) } }, { line: '1'.repeat(41) }, { proposedChange: 'я'.repeat(10_001) },
    ];
    for (const fields of bad) {
      const r = await refusals(stored(fields));
      assert.ok(r.model, `saving refuses ${JSON.stringify(fields).slice(0, 40)}`);
      assert.equal(r.mine, r.model);
    }
  });

  it('is not meant for a comment with replies or edits', () => {
    assert.throws(() => validateNewComment(stored({ replies: [{ text: 'x' }] })), /not empty/);
  });
});
