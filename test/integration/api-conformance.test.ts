// The JSON API against its own OpenAPI document, by schemathesis: generated calls (valid and invalid) as
// a secretariat member and as a delegation member, each failing on a 5xx, a status the document does not
// list, an answer that does not match its schema, or an operation that lets a caller without credentials
// through. Schemathesis is a Python tool; test/prepare-machine.sh installs it (pinned) into .cache/.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { tokenFor } from '../helpers/agent.js';
import { testApp } from '../helpers/app.js';
import { makeCirculatedDocument, makeDocument, makeUser } from '../helpers/factories.js';
import { listen } from '../helpers/http-server.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schemathesis = path.join(repoRoot, '.cache/schemathesis/bin/st');

/** Examples per operation and phase: enough to reach every status an operation has, in well under a minute. */
const maxExamples = 20;

// A body over the server's 1 MB limit is refused with 413 before it is read: that is a rejection too.
// A document's ballot exists only once balloting opens, so a new draft's ballot is rightly not found,
// though its address lies under the document's.
// The calls carry the bearer token alone: a made-up session cookie besides would make every changing
// call need a CSRF token (a token-signed call is spared it only without a session cookie).
const config = `
[generation]
with-security-parameters = false

[checks.negative_data_rejection]
expected-statuses = [400, 401, 403, 404, 405, 409, 413, 415, 422, 428, 429]

[[operations]]
include-operation-id = "getBallot"
checks.ensure_resource_availability.enabled = false

# Where a clause may stand depends on the clauses around it (depth after its neighbour, a container
# before children, mandatory clauses kept): rules a JSON Schema cannot state, refused with 422 and a
# message naming the rule. Every other refusal of schema-valid input still fails the run.
[[operations]]
include-operation-id-regex = "^(insertClause|updateClause|moveClause|deleteClause)$"
checks.positive_data_acceptance.expected-statuses = [200, 201, 401, 403, 404, 409, 422, 429]

# An uploaded file is any bytes to a schema; only a DOCX or XLSX with a table of comments is read, the
# rest refused with 415 (not an Office file), 413 (too large, or a bomb) or 422 (no table of comments).
[[operations]]
include-operation-id = "uploadCommentFile"
checks.positive_data_acceptance.expected-statuses = [201, 401, 403, 404, 409, 413, 415, 422, 429]

# A comment is on a clause of the circulated revision, a disposition that rejects or partially accepts
# says why (one comment or several at once) and names a revision the document has, a comment is merged
# into another of the same round:
# rules of the stored document, refused with 422 naming the field.
[[operations]]
include-operation-id-regex = "^(postComment|disposeComment|disposeComments|mergeComment)$"
checks.positive_data_acceptance.expected-statuses = [200, 201, 401, 403, 404, 409, 422, 429]
# The same for a legacy draft: only a DOCX with headings or numbered clauses and no tracked changes is
# read, the rest refused with 415, 413 or 422.
[[operations]]
include-operation-id = "uploadDraftFile"
checks.positive_data_acceptance.expected-statuses = [201, 401, 403, 404, 409, 413, 415, 422, 429]

# A meeting's participants are active accounts of the delegations and the secretariat, its day a date of
# the calendar; a decision names an item of the meeting's agenda, a comment's needs its disposition (and a
# reason for rejected and partially), another item its words: rules of the stored data, refused with 422
# (an unknown item with 404) naming the field.
[[operations]]
include-operation-id-regex = "^(scheduleMeeting|decideMeetingItem)$"
checks.positive_data_acceptance.expected-statuses = [200, 201, 401, 403, 404, 409, 422, 429]

# A review closes in the future, and when the delegations disagreed its act needs the outcome and a reason:
# rules of the clock and of the stored answers, refused with 422 naming the field.
[[operations]]
include-operation-id-regex = "^(openReview|actReview)$"
checks.positive_data_acceptance.expected-statuses = [200, 201, 401, 403, 404, 409, 422, 429]

# Cancelling needs its reason in the note: a rule of one value of the path's transition name, which the
# body schema shared by every transition cannot state; refused with 422 naming the note.
[[operations]]
include-operation-id = "transitionDocument"
checks.positive_data_acceptance.expected-statuses = [200, 201, 401, 403, 404, 409, 422, 429]
`;

function run(cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // An outside client on the real clock: under libfaketime (test:calendar) Python's time-outs stall.
    const child = spawn(schemathesis, args, { cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the JSON API conforms to its OpenAPI document (schemathesis)', function () {
  this.timeout(180_000);
  let server: Awaited<ReturnType<typeof listen>>;
  let workDir: string;

  before(async function () {
    if (!existsSync(schemathesis)) throw new Error(`schemathesis is not installed at ${schemathesis}: run bash test/prepare-machine.sh`);
    const app = testApp();
    server = await listen(app);
    workDir = await mkdtemp(path.join(os.tmpdir(), 'accord-schemathesis-'));
    await writeFile(path.join(workDir, 'schemathesis.toml'), config);
    // Something real to find besides what the run creates: a draft and a document out for comments.
    await makeDocument();
    await makeCirculatedDocument();
    await request(app).get('/api/openapi.json').expect(200);
  });

  after(async () => {
    await server?.close();
  });

  for (const role of ['secretariat', 'member'] as const) {
    it(`finds no 5xx, undocumented status or schema violation with a ${role}'s token`, async () => {
      const token = await tokenFor(await makeUser(role, role === 'member' ? { delegation: 'BY' } : {}));
      const { code, output } = await run(workDir, [
        '--config-file', path.join(workDir, 'schemathesis.toml'),
        'run', `${server.base}/api/openapi.json`,
        '--header', `Authorization: Bearer ${token}`,
        '--max-examples', String(maxExamples),
        '--seed', '20270101',
        '--workers', '1',
        '--no-shrink',
        '--report-dir', path.join(workDir, role),
      ]);
      // SCHEMATHESIS_OUTPUT=1 prints the whole report even when the run passes.
      if (process.env.SCHEMATHESIS_OUTPUT) console.log(output);
      assert.equal(code, 0, `schemathesis found problems:\n${output.slice(-20_000)}`);
    });
  }
});
