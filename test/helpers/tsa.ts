// A time-stamping authority on 127.0.0.1 for the B-T tests: answers RFC 3161 requests with a token signed
// by its own self-signed key (pkijs), at the time it is asked; counts the requests it answered.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from '../../server/publishing/signing/oids.js';
import { selfSigned } from '../../server/publishing/signing/keys.js';

const ab = (b: Buffer | Uint8Array): ArrayBuffer => new Uint8Array(b).buffer;

export interface TestTsa {
  url: string;
  requests: number;
  close(): Promise<void>;
}

function token(request: pkijs.TimeStampReq, key: ReturnType<typeof generateKeyPairSync>['privateKey'], certDer: Buffer, serial: number): pkijs.ContentInfo {
  const tst = new pkijs.TSTInfo({
    version: 1,
    policy: '1.3.6.1.4.1.99999.1',
    messageImprint: request.messageImprint,
    serialNumber: new asn1js.Integer({ value: serial }),
    genTime: new Date(),
    nonce: request.nonce,
  });
  const tstDer = Buffer.from(tst.toSchema().toBER());
  const cert = pkijs.Certificate.fromBER(ab(certDer));
  const certId = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: ab(createHash('sha256').update(certDer).digest()) })] });
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
    type: 0,
    attributes: [
      new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.tstInfo })] }),
      new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: ab(createHash('sha256').update(tstDer).digest()) })] }),
      new pkijs.Attribute({ type: OID.signingCertificateV2, values: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [certId] })] })] }),
    ],
  });
  const encoded = new Uint8Array(signedAttrs.toSchema().toBER());
  encoded[0] = 0x31;
  const signedData = new pkijs.SignedData({
    version: 3,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.tstInfo, eContent: new asn1js.OctetString({ valueHex: ab(tstDer) }) }),
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    certificates: [cert],
    signerInfos: [new pkijs.SignerInfo({
      version: 1,
      sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
      digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      signedAttrs,
      signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.rsaEncryption }),
      signature: new asn1js.OctetString({ valueHex: ab(sign('sha256', encoded, key)) }),
    })],
  });
  return new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) });
}

export async function startTestTsa(): Promise<TestTsa> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certDer = selfSigned(privateKey, 'Test time-stamping authority').certificate;
  let serial = 0;
  const tsa = { url: '', requests: 0, close: async () => undefined as void };
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const request = pkijs.TimeStampReq.fromBER(ab(Buffer.concat(parts)));
      tsa.requests += 1;
      const response = new pkijs.TimeStampResp({ status: new pkijs.PKIStatusInfo({ status: pkijs.PKIStatus.granted }), timeStampToken: token(request, privateKey, certDer, ++serial) });
      res.writeHead(200, { 'Content-Type': 'application/timestamp-reply' });
      res.end(Buffer.from(response.toSchema().toBER()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  tsa.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  tsa.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return tsa;
}
