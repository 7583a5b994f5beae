// An RFC 3161 time-stamp of the signature value, from the configured time-stamping authority: the
// unsigned attribute that makes a CAdES signature B-T (docs/signing.md).
import { createHash, randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID } from './oids.js';

const ab = (b: Buffer): ArrayBuffer => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

export class TimestampError extends Error {}

/** The TimeStampToken (a CMS ContentInfo) over SHA-256 of `signature`. */
export async function timestampToken(tsaUrl: string, signature: Buffer, timeoutMs = 20_000): Promise<asn1js.Sequence> {
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: ab(createHash('sha256').update(signature).digest()) }),
    }),
    nonce: new asn1js.Integer({ valueHex: ab(Buffer.concat([Buffer.from([0x01]), randomBytes(8)])) }),
    certReq: true,
  });
  let answer: Response;
  try {
    answer = await fetch(tsaUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/timestamp-query' },
      body: Buffer.from(request.toSchema().toBER()),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new TimestampError(`the time-stamping authority ${tsaUrl} did not answer: ${(err as Error).message}`);
  }
  if (!answer.ok) throw new TimestampError(`the time-stamping authority ${tsaUrl} answered ${answer.status}`);
  const response = pkijs.TimeStampResp.fromBER(await answer.arrayBuffer());
  // 0 granted, 1 granted with modifications (RFC 3161, 2.4.2).
  if (response.status.status > 1 || !response.timeStampToken) throw new TimestampError(`the time-stamping authority ${tsaUrl} refused the request (status ${response.status.status})`);
  return response.timeStampToken.toSchema() as asn1js.Sequence;
}
