// The committee's signer (docs/signing.md): what publishing needs from whoever holds the key. One
// implementation here (RSA or ECDSA keys, CMS built with pkijs: cms.ts); a signer for the national
// algorithms (GOST R 34.10-2012, STB 34.101.45) would be a second implementation of this interface.

/** Who signs, as the cover and the verification page name them. */
export interface SignerIdentity {
  /** The certificate subject's organisation (or common name): «the committee». */
  name: string;
  /** The certificate (DER) that the signature carries. */
  certificate: Buffer;
  /** SHA-256 of the certificate (hex): how the verification page recognises the committee's certificate. */
  fingerprint: string;
  /** A self-signed certificate made by a development installation (docs/signing.md). */
  development: boolean;
}

export interface PdfSigner {
  readonly identity: SignerIdentity;
  /** The value of the signature dictionary's /SubFilter: ETSI.CAdES.detached for PAdES. */
  readonly subFilter: string;
  /** Room to keep for the CMS in the file (bytes): more when a timestamp token is added. */
  readonly reservedBytes: number;
  /**
   * A detached CMS SignedData over `content` (the PDF's signed byte ranges), CAdES signed attributes
   * (content type, message digest, signing certificate v2); with a timestamp token when a time-stamping
   * authority is configured (PAdES B-T).
   */
  signDetached(content: Buffer): Promise<Buffer>;
}
