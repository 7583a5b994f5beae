// veraPDF (fetched by test/prepare-machine.sh into .cache/verapdf) run on a batch of files at once, since
// the JVM takes a second or two to start, and its JSON report read into what a test asserts on: per
// file, the rules that failed with their clause, test number and first failing context.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const VERAPDF_DIR = path.resolve(import.meta.dirname, '../../.cache/verapdf');

/**
 * veraPDF's `--flavour` values this suite uses: '0' validates each file against every flavour its
 * metadata claims (PDF/A-2a and PDF/UA-1 both, for a standard), and a file that claims none against 2b.
 */
export type Flavour = '0' | '2a' | '2b' | 'ua1';

export interface FailedRule {
  /** «ISO 19005-2:2011 6.2.4.3-2». */
  id: string;
  description: string;
  failedChecks: number;
  /** The first failing check's message and where it is. */
  example: string;
}

export interface FileResult { file: string; profile: string; compliant: boolean; passedChecks: number; failedChecks: number; failed: FailedRule[] }

interface RuleSummary { specification: string; clause: string; testNumber: number; failedChecks: number; description: string; checks: { errorMessage?: string; context: string }[] }
interface Report {
  report: {
    jobs: {
      itemDetails: { name: string };
      validationResult?: { profileName: string; compliant: boolean; details: { passedChecks: number; failedChecks: number; ruleSummaries: RuleSummary[] } }[];
      taskException?: unknown;
    }[];
  };
}

export function verapdfInstalled(): boolean {
  return existsSync(VERAPDF_DIR);
}

/** Validates the files; one result per file and profile (an exception in veraPDF fails the call). */
export async function verapdf(files: readonly string[], flavour: Flavour = '0'): Promise<FileResult[]> {
  const args = ['-cp', `${VERAPDF_DIR}/*`, 'org.verapdf.apps.GreenfieldCliWrapper', '--flavour', flavour, '--defaultflavour', '2b', '--format', 'json', '--maxfailuresdisplayed', '3', ...files];
  // veraPDF exits 1 when a file is not compliant: the report says which.
  const { stdout } = await run('java', args, { maxBuffer: 256 * 1024 * 1024 }).catch((err: { code?: number; stdout?: string }) => {
    if (err.code === 1 && err.stdout) return { stdout: err.stdout };
    throw err;
  });
  const report = JSON.parse(stdout) as Report;
  return report.report.jobs.flatMap((job) => {
    if (!job.validationResult?.length) throw new Error(`veraPDF could not validate ${job.itemDetails.name}: ${JSON.stringify(job.taskException)}`);
    return job.validationResult.map((result) => ({
      file: job.itemDetails.name,
      profile: result.profileName,
      compliant: result.compliant,
      passedChecks: result.details.passedChecks,
      failedChecks: result.details.failedChecks,
      failed: result.details.ruleSummaries.map((r) => ({
        id: `${r.specification} ${r.clause}-${r.testNumber}`,
        description: r.description,
        failedChecks: r.failedChecks,
        example: `${r.checks[0]?.errorMessage ?? ''} (${r.checks[0]?.context ?? ''})`,
      })),
    }));
  });
}

/** What a failing test prints: every failed rule of every file. */
export function describeFailures(results: readonly FileResult[]): string {
  return results
    .filter((r) => !r.compliant)
    .map((r) => `${path.basename(r.file)} (${r.profile}): ${r.failedChecks} failed checks\n${r.failed.map((f) => `  ${f.id} ×${f.failedChecks}: ${f.description}\n    e.g. ${f.example}`).join('\n')}`)
    .join('\n');
}
