// The committee's key and certificate: from the configured PKCS#12 file or PEM pair (server/config.ts),
// else a development certificate — self-signed, made by the first instance that needs it and kept in the
// database, so that it stays the same across restarts and instances (docs/signing.md).
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import forge from 'node-forge';
import type { SigningConfig } from '../../config.js';
import { Setting } from '../../db/settings-model.js';
import { CmsSigner, type KeyMaterial } from './cms.js';
import type { PdfSigner } from './signer.js';

export class SigningKeyError extends Error {}

/** Every certificate of a PEM text, as DER, in order. */
function pemCertificates(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}

/** The signing certificate first: the one whose public key is the key's. */
function leafFirst(key: KeyObject, certs: Buffer[]): Buffer[] {
  const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' }).toString('hex');
  const mine = spki(createPublicKey(key));
  const leaf = certs.find((c) => spki(new X509Certificate(c).publicKey) === mine);
  if (!leaf) throw new SigningKeyError('no certificate of the signing key matches the key');
  return [leaf, ...certs.filter((c) => c !== leaf)];
}

async function pemMaterial(pem: NonNullable<SigningConfig['pem']>): Promise<KeyMaterial> {
  const [certText, keyText] = await Promise.all([readFile(pem.certFile, 'utf8'), readFile(pem.keyFile, 'utf8')]);
  const certs = pemCertificates(certText);
  if (certs.length === 0) throw new SigningKeyError(`${pem.certFile} holds no PEM certificate`);
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: keyText, format: 'pem', passphrase: pem.passphrase });
  } catch (err) {
    throw new SigningKeyError(`${pem.keyFile}: the key cannot be read (${(err as Error).message})`);
  }
  return { key, certificates: leafFirst(key, certs), development: false };
}

async function p12Material(p12: NonNullable<SigningConfig['p12']>): Promise<KeyMaterial> {
  const der = await readFile(p12.file);
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der.toString('binary')), p12.passphrase);
  } catch (err) {
    throw new SigningKeyError(`${p12.file}: the PKCS#12 file cannot be opened (${(err as Error).message}): is the passphrase right?`);
  }
  const certBags = pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [];
  const keyBags = [forge.pki.oids.pkcs8ShroudedKeyBag!, forge.pki.oids.keyBag!].flatMap((t) => pfx.getBags({ bagType: t })[t] ?? []);
  const bag = keyBags[0];
  if (!bag) throw new SigningKeyError(`${p12.file} holds no private key`);
  // node-forge reads RSA keys; any other (EC) is handed on as the PKCS#8 structure it found.
  const key = bag.key
    ? createPrivateKey(forge.pki.privateKeyToPem(bag.key))
    : createPrivateKey({ key: Buffer.from(forge.asn1.toDer(bag.asn1!).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
  // An EC certificate node-forge cannot read is handed on as the ASN.1 it found, too.
  const certAsn1 = certBags.flatMap((b) => (b.cert ? [forge.pki.certificateToAsn1(b.cert)] : b.asn1 ? [b.asn1] : []));
  const certs = certAsn1.map((a) => Buffer.from(forge.asn1.toDer(a).getBytes(), 'binary'));
  return { key, certificates: leafFirst(key, certs), development: false };
}

/** A self-signed certificate (DER) for an RSA key, valid for ten years. */
export function selfSigned(key: KeyObject, organization: string): { certificate: Buffer } {
  const privatePem = key.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privatePem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 86400_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 366 * 86400_000);
  const utf8 = forge.asn1.Type.UTF8;
  const name = [
    { name: 'organizationName', value: organization, valueTagClass: utf8 },
    { name: 'commonName', value: 'Accord development signature', valueTagClass: utf8 },
  ] as unknown as forge.pki.CertificateField[];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
  cert.sign(forgeKey, forge.md.sha256.create());
  return { certificate: Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary') };
}

/** The development key and certificate: the stored ones, or made now and stored (the first maker wins). */
async function developmentMaterial(organization: string): Promise<KeyMaterial> {
  const made = () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certificate: selfSigned(privateKey, organization).certificate.toString('base64') };
  };
  type Stored = { value: { key: string; certificate: string } };
  const read = () => Setting.findById('developmentSigner').lean<Stored>();
  const store = () => Setting.findOneAndUpdate({ _id: 'developmentSigner' }, { $setOnInsert: { value: made() } }, { upsert: true, returnDocument: 'after' }).lean<Stored>();
  // Two instances starting together may both insert: the one that loses reads what the other stored.
  const stored = (await read()) ?? (await store().catch((err: { code?: number }) => (err.code === 11000 ? read() : Promise.reject(err))));
  if (!stored) throw new Error('the development signing key could not be stored');
  return { key: createPrivateKey(stored.value.key), certificates: [Buffer.from(stored.value.certificate, 'base64')], development: true };
}

/** The key material the configuration names, else the development one. */
export async function keyMaterial(config: SigningConfig, organization: string): Promise<KeyMaterial> {
  if (config.p12) return p12Material(config.p12);
  if (config.pem) return pemMaterial(config.pem);
  return developmentMaterial(organization);
}

const signers = new WeakMap<SigningConfig, Promise<PdfSigner>>();

/** The committee's signer for this configuration: read (or made) once, then the same for every publication. */
export function committeeSigner(config: SigningConfig, organization: string): Promise<PdfSigner> {
  let signer = signers.get(config);
  if (!signer) {
    signer = keyMaterial(config, organization).then((m) => new CmsSigner(m, config.tsaUrl));
    signers.set(config, signer);
    signer.catch(() => signers.delete(config));
  }
  return signer;
}
