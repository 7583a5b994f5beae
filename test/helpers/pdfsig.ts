// poppler's pdfsig (Debian poppler-utils, installed by test/prepare-machine.sh): a signature check that
// nothing in Accord wrote. Its exit code differs between versions for a broken signature, so the report
// is read whatever it is.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface PdfsigSignature {
  /** «Signature is Valid.», «Digest Mismatch.», … */
  validation: string;
  /** «Certificate issuer is unknown.» for a self-signed certificate. */
  certificate: string;
  wholeDocument: boolean;
  signer: string;
  subFilter: string;
}

export function pdfsig(bytes: Buffer): { output: string; signatures: PdfsigSignature[] } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'accord-pdfsig-'));
  try {
    const file = path.join(dir, 'file.pdf');
    writeFileSync(file, bytes);
    const run = spawnSync('pdfsig', [file], { encoding: 'utf8' });
    if (run.error) throw run.error;
    const output = `${run.stdout}${run.stderr}`;
    const signatures = output.split(/^Signature #\d+:$/m).slice(1).map((block) => {
      const field = (name: string) => new RegExp(`- ${name}: (.*)$`, 'm').exec(block)?.[1]?.trim() ?? '';
      return {
        validation: field('Signature Validation'),
        certificate: field('Certificate Validation'),
        wholeDocument: /- Total document signed/.test(block),
        signer: field('Signer full Distinguished Name'),
        subFilter: field('Signature Type'),
      };
    });
    return { output, signatures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
