// Checking the signatures of a PDF on this side (docs/signing.md): each signature dictionary's
// /ByteRange and /Contents, the CMS SignedData in it (pkijs), the digest of the signed byte ranges
// against the message-digest attribute, and the signature over the signed attributes against the
// signer's certificate (node:crypto). Trust in the certificate is not judged here: the caller compares
// it with the committee's.
import { createHash, verify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { subjectName } from './cms.js';
import { OID } from './oids.js';

export type SignatureState =
  /** The digest and the signature check out. */
  | 'valid'
  /** The signed bytes are not those the signature was made over: the file was changed. */
  | 'digestMismatch'
  /** The signature value does not match the signed attributes and the certificate. */
  | 'badSignature'
  /** No CMS that this check can read (or an algorithm it does not know). */
  | 'unreadable';

export interface SignatureReport {
  state: SignatureState;
  /** The signed ranges reach the end of the file: nothing was appended after signing. */
  wholeFile: boolean;
  signer?: string;
  /** SHA-256 of the signer's certificate (hex). */
  fingerprint?: string;
  /** The time-stamp's time when there is one (B-T), else the time the signature dictionary claims (/M). */
  signedAt?: Date;
  timestamped: boolean;
}

const digests: Record<string, string> = { [OID.sha256]: 'sha256', '2.16.840.1.101.3.4.2.2': 'sha384', '2.16.840.1.101.3.4.2.3': 'sha512' };
const ab = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

interface Found { range: [number, number, number, number]; contents: Buffer; claimedAt?: Date }

/** «D:20270514120000Z» (or with an offset +03'00') as a Date. */
export function pdfDate(s: string): Date | undefined {
  const m = /^D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(Z|([+-])(\d{2})'?(\d{2})'?)?/.exec(s);
  if (!m) return undefined;
  const utc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const offset = m[8] ? (m[8] === '+' ? 1 : -1) * (+m[9]! * 60 + +m[10]!) * 60_000 : 0;
  return new Date(utc - offset);
}

/** Every signature dictionary: its byte range, its CMS bytes and its /M. */
function signatureDictionaries(pdf: Buffer): Found[] {
  const text = pdf.toString('latin1');
  const found: Found[] = [];
  for (const m of text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
    const range = m.slice(1, 5).map(Number) as Found['range'];
    const [, a, b] = range;
    if (a <= 0 || b <= a + 1 || b > pdf.length || text[a] !== '<' || text[b - 1] !== '>') continue;
    const hex = text.slice(a + 1, b - 1).replace(/\s+/g, '');
    if (!/^[0-9a-fA-F]*$/.test(hex)) continue;
    const start = text.lastIndexOf(' obj', m.index);
    const end = text.indexOf('endobj', m.index);
    const dict = text.slice(start < 0 ? m.index : start, end < 0 ? undefined : end);
    const claimed = /\/M\s*\((D:[^)]*)\)/.exec(dict)?.[1];
    found.push({ range, contents: Buffer.from(hex, 'hex'), claimedAt: claimed ? pdfDate(claimed) : undefined });
  }
  return found;
}

function signedBytesDigest(pdf: Buffer, [a, b, c, d]: Found['range'], algorithm: string): Buffer {
  return createHash(algorithm).update(pdf.subarray(a, a + b)).update(pdf.subarray(c, c + d)).digest();
}

function attributeValue(attrs: pkijs.SignedAndUnsignedAttributes | undefined, type: string): asn1js.AsnType | undefined {
  return attrs?.attributes.find((x) => x.type === type)?.values[0] as asn1js.AsnType | undefined;
}

/** The time of the signature's time-stamp token (TSTInfo genTime), if it has one. */
function timestampTime(signerInfo: pkijs.SignerInfo): Date | undefined {
  const token = attributeValue(signerInfo.unsignedAttrs, OID.signatureTimeStampToken);
  if (!token) return undefined;
  const signed = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: token }).content });
  const content = signed.encapContentInfo.eContent;
  if (!content) return undefined;
  return pkijs.TSTInfo.fromBER(content.getValue()).genTime;
}

function checkOne(pdf: Buffer, f: Found): SignatureReport {
  const [, , c, d] = f.range;
  const wholeFile = f.range[0] === 0 && c + d === pdf.length;
  const report: SignatureReport = { state: 'unreadable', wholeFile, signedAt: f.claimedAt, timestamped: false };
  const parsed = asn1js.fromBER(ab(f.contents));
  if (parsed.offset === -1) return report;
  const info = new pkijs.ContentInfo({ schema: parsed.result });
  if (info.contentType !== OID.signedData) return report;
  const signed = new pkijs.SignedData({ schema: info.content });
  const signerInfo = signed.signerInfos[0];
  if (!signerInfo) return report;
  const sid = signerInfo.sid as pkijs.IssuerAndSerialNumber;
  const cert = (signed.certificates ?? []).find((x): x is pkijs.Certificate => x instanceof pkijs.Certificate && sid instanceof pkijs.IssuerAndSerialNumber && x.serialNumber.isEqual(sid.serialNumber) && x.issuer.isEqual(sid.issuer));
  const algorithm = digests[signerInfo.digestAlgorithm.algorithmId];
  const digestAttr = attributeValue(signerInfo.signedAttrs, OID.messageDigest) as asn1js.OctetString | undefined;
  if (!cert || !algorithm || !digestAttr) return report;
  const der = Buffer.from(cert.toSchema().toBER());
  report.signer = subjectName(cert);
  report.fingerprint = createHash('sha256').update(der).digest('hex');
  report.signedAt = timestampTime(signerInfo) ?? f.claimedAt;
  report.timestamped = attributeValue(signerInfo.unsignedAttrs, OID.signatureTimeStampToken) !== undefined;
  if (!signedBytesDigest(pdf, f.range, algorithm).equals(Buffer.from(digestAttr.getValue()))) return { ...report, state: 'digestMismatch' };
  const ok = verify(algorithm, Buffer.from(signerInfo.signedAttrs!.encodedValue), new X509Certificate(der).publicKey, Buffer.from(signerInfo.signature.getValue()));
  return { ...report, state: ok ? 'valid' : 'badSignature' };
}

/** The signatures of a PDF, in file order; none for a file without any. */
export function checkPdfSignatures(pdf: Buffer): SignatureReport[] {
  return signatureDictionaries(pdf).map((f) => {
    try {
      return checkOne(pdf, f);
    } catch {
      return { state: 'unreadable' as const, wholeFile: false, signedAt: f.claimedAt, timestamped: false };
    }
  });
}
