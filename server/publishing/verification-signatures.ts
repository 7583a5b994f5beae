// What the verification page says of an uploaded file's signatures (signing/check.ts): valid or broken,
// who signed and when, whether the certificate is the committee's — the one signing now, or the one that
// signed the publication the file claims to be — and whether that is a development certificate.
import type { Locale } from '../i18n/index.js';
import { translate } from '../i18n/index.js';
import { formatInstant } from '../time/format.js';
import { checkPdfSignatures, type SignatureReport } from './signing/check.js';
import type { Verdict } from './verification.js';

export interface KnownCertificate {
  fingerprint: string;
  development: boolean;
}

export interface SignatureFinding extends SignatureReport {
  /** The certificate is one the committee signs (or signed) with. */
  committee: boolean;
  development: boolean;
}

/** The committee's certificates that a verdict knows of: the signer's, and the claimed publication's. */
export function knownCertificates(verdict: Verdict, current: KnownCertificate): KnownCertificate[] {
  const facts = verdict.kind === 'authentic' ? verdict.publication : verdict.kind === 'altered' ? verdict.claims : undefined;
  const stored = facts?.signature;
  return stored ? [current, { fingerprint: stored.fingerprint, development: stored.development }] : [current];
}

export function signatureFindings(bytes: Buffer, known: KnownCertificate[]): SignatureFinding[] {
  return checkPdfSignatures(bytes).map((r) => {
    const cert = known.find((k) => k.fingerprint === r.fingerprint);
    return { ...r, committee: !!cert, development: cert?.development ?? false };
  });
}

/** The lines the page shows for each signature (none: the file is not signed). */
export function signaturesView(findings: SignatureFinding[], locale: Locale) {
  const t = (key: string, params?: Record<string, unknown>) => translate(locale, `publishing.signature.${key}`, params);
  return {
    none: findings.length === 0,
    list: findings.map((f) => ({
      valid: f.state === 'valid' && f.wholeFile,
      verdict: f.state === 'valid' ? t('valid', { signer: f.signer ?? '—', date: f.signedAt ? formatInstant(f.signedAt, locale) : '—' }) : t(f.state),
      notes: [
        ...(f.state === 'valid' && !f.wholeFile ? [t('appended')] : []),
        ...(f.timestamped && f.state === 'valid' ? [t('timestamped')] : []),
        ...(f.state === 'valid' || f.state === 'digestMismatch' ? [t(f.committee ? 'committee' : 'otherCertificate')] : []),
        ...(f.development ? [t('development')] : []),
      ],
    })),
  };
}
