// veraPDF, a validator nobody here wrote, on every kind of PDF Accord renders (pdfa-fixtures.ts): the
// standards (drafts and published, the demo documents and the limits) must pass PDF/A-2a and PDF/UA-1,
// the redline and the summary of comments PDF/A-2b. One veraPDF run validates the whole batch, each
// file against every flavour its metadata claims; the test also checks that each file claims what its
// kind must, so a file that claims nothing is validated as 2b and fails on its missing identification.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeFailures, verapdf, verapdfInstalled, type FileResult } from '../helpers/verapdf.js';
import { pdfFixtures, render, type PdfKind } from './pdfa-fixtures.js';

const PROFILES: Record<PdfKind, string[]> = {
  published: ['PDF/A-2A validation profile', 'PDF/UA-1 validation profile'],
  draft: ['PDF/A-2A validation profile', 'PDF/UA-1 validation profile'],
  redline: ['PDF/A-2B validation profile'],
  summary: ['PDF/A-2B validation profile'],
};

describe('PDF/A and PDF/UA (veraPDF)', function () {
  this.timeout(300_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accord-pdfa-'));
  const kinds = new Map<string, PdfKind>();
  let results: FileResult[] = [];

  before(async () => {
    assert.ok(verapdfInstalled(), 'veraPDF is missing: run bash test/prepare-machine.sh');
    for (const f of await pdfFixtures()) {
      const file = path.join(dir, `${f.name}.pdf`);
      writeFileSync(file, await render(f));
      kinds.set(file, f.kind);
    }
    results = await verapdf([...kinds.keys()]);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('renders every kind: drafts, published standards, a redline, a summary, the limits', () => {
    const have = new Set(kinds.values());
    for (const k of Object.keys(PROFILES)) assert.ok(have.has(k as PdfKind), k);
    assert.ok([...kinds.keys()].some((f) => /limits-2000-rows/.test(f)) && [...kinds.keys()].some((f) => /limits-long-clause/.test(f)));
  });

  it('validates each file against the flavours its kind must meet', () => {
    for (const [file, kind] of kinds) {
      const profiles = results.filter((r) => r.file === file).map((r) => r.profile).sort();
      assert.deepEqual(profiles, [...PROFILES[kind]].sort(), path.basename(file));
    }
  });

  it('finds no failed rule in any file', () => {
    assert.deepEqual(results.filter((r) => !r.compliant).map((r) => `${path.basename(r.file)}: ${r.profile}`), [], describeFailures(results));
    assert.ok(results.every((r) => r.failedChecks === 0 && r.passedChecks > 1000));
  });
});
