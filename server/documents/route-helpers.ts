// What the documents' page routes share: the document named in the address, and how an edit answers —
// back to the editor at the clause that changed, or the editor again with the reason it was refused.
import type { Request, Response } from 'express';
import { AppError } from '../errors.js';
import { renderFormError } from '../http/forms.js';
import type { Locale } from '../i18n/index.js';
import { EditConflict, getDocument } from './index.js';
import { editorPage } from './pages.js';

export const documentId = (req: Request) => String(req.params.id);

/** After an edit: back to the editor at the clause that changed. */
export const backToEditor = (res: Response, docId: string, key?: string) => res.redirect(303, `/documents/${docId}/edit${key ? `#clause-${key}` : ''}`);

/** Shows the editor again with the reason an edit was refused (409 for a conflict, 422 for bad input). */
export async function editorWithError(req: Request, res: Response, err: unknown, form?: { view: string; extra: Record<string, unknown> }): Promise<void> {
  if (!(err instanceof AppError) || (err.status !== 409 && err.status !== 422)) throw err;
  const locale: Locale = res.locals.locale;
  const doc = await getDocument(req.user, documentId(req));
  const conflictEdits = err instanceof EditConflict ? err.edits : undefined;
  if (form) {
    const page = await editorPage(doc, locale);
    return renderFormError(res, form.view, err, req.body, { ...page, ...form.extra }, { conflictEdits });
  }
  renderFormError(res, 'documents/edit', err, {}, await editorPage(doc, locale), { conflictEdits });
}
