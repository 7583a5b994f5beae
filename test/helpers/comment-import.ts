// The comment tables written by test/fixtures/comment-import/make_fixtures.py (python-docx, openpyxl).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/comment-import');

export const fixturePath = (name: string) => path.join(fixtures, name);
export const fixture = (name: string) => readFileSync(fixturePath(name));
