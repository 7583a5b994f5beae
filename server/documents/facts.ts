// The documents feature's facts for the lifecycle's guards on the text (server/lifecycle/facts.ts):
// `revisionValid` (the clause rules) and `qualityChecked` (the quality check for the move, docs/quality.md),
// read only by a move that names one of them.
import type { FactProvider } from '../lifecycle/index.js';
import { UnprintableText } from '../pdf/glyphs.js';
import { getRevision, revisionProblems } from './index.js';
import { fullReport, qualityItems, stepOfMove } from './quality.js';

export const revisionFacts: FactProvider = {
  async facts(doc, _now, move) {
    const rev = await getRevision(doc, doc.currentRevision);
    const { issues, dangling, unprintable } = revisionProblems(rev.clauses, doc);
    const step = stepOfMove(move);
    const report = step ? await fullReport(doc, rev, step) : undefined;
    return {
      revisionIssues: issues.length + dangling.length + unprintable.length,
      qualityErrors: report?.errors.length ?? 0,
      qualityWarnings: report?.warnings.length ?? 0,
      // A character no font prints is named with its clause: the person can act on that at once.
      ...(unprintable.length ? { refusal: new UnprintableText(unprintable) } : {}),
    };
  },

  /** What the check found, errors first, each with a link to its clause in the editor. */
  async blockers(guard, doc, move, locale = 'ru') {
    const step = move ? stepOfMove(move) : undefined;
    if (guard !== 'qualityChecked' || !step) return [];
    const rev = await getRevision(doc, doc.currentRevision);
    const report = await fullReport(doc, rev, step);
    return qualityItems(doc, rev, [...report.errors, ...report.warnings], locale).map((i) => ({ label: `${i.clause}: ${i.text}`, href: i.href }));
  },
};
