// The documents feature's facts for the lifecycle's `revisionValid` guard (server/lifecycle/facts.ts):
// the current revision's problems, read only by a move that names that guard.
import type { FactProvider } from '../lifecycle/index.js';
import { UnprintableText } from '../pdf/glyphs.js';
import { getRevision, revisionProblems } from './index.js';

export const revisionFacts: FactProvider = {
  async facts(doc) {
    const rev = await getRevision(doc, doc.currentRevision);
    const { issues, dangling, unprintable } = revisionProblems(rev.clauses, doc);
    // A character no font prints is named with its clause: the person can act on that at once.
    return { revisionIssues: issues.length + dangling.length + unprintable.length, ...(unprintable.length ? { refusal: new UnprintableText(unprintable) } : {}) };
  },
};
