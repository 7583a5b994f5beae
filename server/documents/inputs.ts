import { z } from 'zod';
import { text } from '../http/validate.js';

/** A document's details as the form and the API take them. */
export const detailsInput = {
  titleRu: text(500),
  titleEn: text(500),
  productGroup: text(40),
  ics: z.string().trim().regex(/^\d{2}(\.\d{3}(\.\d{2})?)?$/, 'documents.icsFormat'),
  developer: text(300),
};
