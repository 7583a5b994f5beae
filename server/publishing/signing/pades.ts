// Signing a rendered PDF (docs/signing.md): an incremental update appended to the file — the signature
// dictionary, an invisible signature field on the first page and the catalogue's /AcroForm
// (@signpdf/placeholder-plain) — then the CMS of the signer over the file's byte ranges (@signpdf/signpdf).
// The bytes before the update are never changed, so a PDF/A file stays PDF/A.
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { SignPdf } from '@signpdf/signpdf';
import { Signer } from '@signpdf/utils';
import type { PdfSigner } from './signer.js';

export interface SignatureFacts {
  /** The signature dictionary's /M: the time the committee signed (the publication's). */
  signingTime: Date;
  reason: string;
}

/** @signpdf's signer contract, served by ours. */
class Adapter extends Signer {
  constructor(private readonly signer: PdfSigner) {
    super();
  }
  override async sign(pdfBuffer: Buffer): Promise<Buffer> {
    return this.signer.signDetached(pdfBuffer);
  }
}

/** @signpdf writes these strings byte for byte, so anything outside printable ASCII would be garbled. */
const ascii = (s: string, otherwise: string) => (/^[\x20-\x7e]*$/.test(s) ? s : otherwise);

/** The trailer's /ID of the file as written, to be repeated in the update's trailer (PDF/A wants it in the last one). */
function trailerId(pdf: Buffer): string | undefined {
  const tail = pdf.subarray(Math.max(0, pdf.length - 4096)).toString('latin1');
  return /\/ID\s*(\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\])/.exec(tail)?.[1];
}

/** Adds /ID to the last trailer (the update's); the cross-reference offsets before it do not move. */
function withTrailerId(pdf: Buffer, id: string | undefined): Buffer {
  if (!id) return pdf;
  const at = pdf.lastIndexOf('trailer\n<<\n');
  if (at < 0) return pdf;
  const insert = at + 'trailer\n<<\n'.length;
  return Buffer.concat([pdf.subarray(0, insert), Buffer.from(`/ID ${id}\n`, 'latin1'), pdf.subarray(insert)]);
}

/** The PDF signed by `signer`: the same bytes with a signing update appended. */
export async function signPdf(pdf: Buffer, signer: PdfSigner, facts: SignatureFacts): Promise<Buffer> {
  const prepared = plainAddPlaceholder({
    pdfBuffer: pdf,
    reason: ascii(facts.reason, 'Publication'),
    contactInfo: '',
    name: ascii(signer.identity.name, 'Committee'),
    location: '',
    signingTime: facts.signingTime,
    signatureLength: signer.reservedBytes,
    subFilter: signer.subFilter,
    widgetRect: [0, 0, 0, 0],
    appName: 'Accord',
  });
  return new SignPdf().sign(withTrailerId(prepared, trailerId(pdf)), new Adapter(signer));
}
