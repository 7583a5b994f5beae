// xmllint (Debian libxml2-utils, installed by test/prepare-machine.sh): well-formedness and validation
// against an XML Schema, by a tool that nothing in Accord wrote.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The NISO STS subset schema written from the tag library (docs/sts.md). */
export const stsSchema = fileURLToPath(new URL('../schemas/niso-sts-1.2-subset.xsd', import.meta.url));

/** xmllint's verdict: ok, and what it said (errors name the line and the element). */
export function xmllint(xml: string, schema?: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accord-xml-'));
  try {
    const file = path.join(dir, 'file.xml');
    writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--noout', '--nonet', ...(schema ? ['--schema', schema] : []), file], { encoding: 'utf8' });
    if (run.error) throw run.error;
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
