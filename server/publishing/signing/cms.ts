// The one signer implementation (signer.ts): an RSA or ECDSA key held by this process, a CMS SignedData
// built with pkijs, the signature computed by node:crypto (PKCS#1 v1.5 for RSA, DER-encoded ECDSA).
// CAdES baseline B signed attributes; no signing-time attribute, since PAdES takes the time from the
// signature dictionary's /M (docs/signing.md).
import { createHash, sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './oids.js';
import type { PdfSigner, SignerIdentity } from './signer.js';
import { timestampToken } from './timestamp.js';

export interface KeyMaterial {
  key: KeyObject;
  /** The signing certificate (DER), then any intermediate certificates of its chain. */
  certificates: Buffer[];
  development: boolean;
}

const ab = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest();

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** SigningCertificateV2 with one ESSCertIDv2: the certificate's SHA-256 (the default hash, so not named). */
function signingCertificateV2(certificate: Buffer): asn1js.Sequence {
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: ab(sha256(certificate)) })] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

/** The organisation (else the common name) of a certificate's subject. */
export function subjectName(cert: pkijs.Certificate): string {
  const value = (oid: string) => cert.subject.typesAndValues.find((t) => t.type === oid)?.value.valueBlock.value as string | undefined;
  return value(OID.organization) ?? value(OID.commonName) ?? cert.subject.typesAndValues.map((t) => String(t.value.valueBlock.value)).join(', ');
}

export class CmsSigner implements PdfSigner {
  readonly identity: SignerIdentity;
  readonly subFilter = 'ETSI.CAdES.detached';
  readonly reservedBytes: number;
  private readonly cert: pkijs.Certificate;

  constructor(private readonly material: KeyMaterial, private readonly tsaUrl?: string) {
    const der = material.certificates[0];
    if (!der) throw new Error('the signing key has no certificate');
    this.cert = pkijs.Certificate.fromBER(ab(der));
    this.identity = { name: subjectName(this.cert), certificate: der, fingerprint: sha256(der).toString('hex'), development: material.development };
    const certs = material.certificates.reduce((n, c) => n + c.length, 0);
    // The CMS holds the certificates, the attributes and the signature; a timestamp token its own certificates.
    this.reservedBytes = certs + 4096 + (tsaUrl ? 12_288 : 0);
  }

  private signatureAlgorithm(): string {
    return this.material.key.asymmetricKeyType === 'ec' ? OID.ecdsaWithSha256 : OID.rsaEncryption;
  }

  async signDetached(content: Buffer): Promise<Buffer> {
    const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
        attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: ab(sha256(content)) })),
        attribute(OID.signingCertificateV2, signingCertificateV2(this.identity.certificate)),
      ],
    });
    // The signature covers the attributes DER-encoded as a SET (RFC 5652, 5.4), not as the [0] they are sent in.
    const encoded = new Uint8Array(signedAttrs.toSchema().toBER());
    encoded[0] = 0x31;
    const signature = sign('sha256', encoded, this.material.key);
    const signerInfo = new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: this.cert.issuer, serialNumber: this.cert.serialNumber }),
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      signedAttrs,
      signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: this.signatureAlgorithm() }),
      signature: new asn1js.OctetString({ valueHex: ab(signature) }),
    });
    if (this.tsaUrl) {
      const token = await timestampToken(this.tsaUrl, signature);
      signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 1, attributes: [attribute(OID.signatureTimeStampToken, token)] });
    }
    const signedData = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
      certificates: this.material.certificates.map((c) => pkijs.Certificate.fromBER(ab(c))),
      signerInfos: [signerInfo],
    });
    const info = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
    return Buffer.from(info.toSchema().toBER());
  }
}
