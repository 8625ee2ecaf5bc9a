import * as z from 'zod/mini';
import type { HttpClient } from '../../functions/_platform/http-client';
import { snsMessageSchema, snsSubscriber } from '../../functions/_platform/sns-message';
import { createSnsSigner } from '../../local/simulators/sns-signer';

export interface SnsVerifyBenchResult {
  readonly messages: number;
  /** Microseconds per message: reading the body alone (JSON.parse + the route's schema), the baseline. */
  readonly baselineUs: number;
  /** Microseconds per message: the same read plus the signature check (SignatureVersion 1 and 2), certificate cached. */
  readonly verifyUs: { v1: number; v2: number };
}

const perMessageUs = async (messages: number, work: () => Promise<void> | void): Promise<number> => {
  const started = performance.now();
  for (let i = 0; i < messages; i += 1) await work();
  return ((performance.now() - started) * 1000) / messages;
};

/**
 * What verifying an SNS-delivered webhook (bKash's IPN) costs in the handler, in process: the RSA signature check
 * with the certificate already cached (the steady state; the first message of an instance also fetches the
 * certificate once), beside reading the same body without verifying it.
 */
export const benchSnsVerification = async (messages = 2000): Promise<SnsVerifyBenchResult> => {
  const signer = createSnsSigner();
  const http: HttpClient = { send: async () => ({ status: 200, headers: {}, body: signer.certificatePem }) };
  const sns = snsSubscriber({ provider: 'bench', http, trust: async () => ({ localOrigin: 'http://127.0.0.1:1' }) });
  const ipn = { Type: 'Notification' as const, MessageId: 'bench', TopicArn: 'arn:aws:sns:ap-southeast-1:000000000000:bench', Timestamp: new Date().toISOString(),
    Message: JSON.stringify({ trxID: 'TRX1', transactionStatus: 'Completed', amount: '700.00', currency: 'BDT', transactionReference: 'pay_1' }) };
  const bodies = { v1: JSON.stringify(signer.sign(ipn, 'http://127.0.0.1:1/cert.pem', '1')), v2: JSON.stringify(signer.sign(ipn, 'http://127.0.0.1:1/cert.pem', '2')) };
  const read = (body: string) => z.parse(snsMessageSchema, JSON.parse(body));
  await sns.verify(read(bodies.v1)); // fetches and caches the certificate
  const baselineUs = await perMessageUs(messages, () => void read(bodies.v1));
  const v1 = await perMessageUs(messages, () => sns.verify(read(bodies.v1)));
  const v2 = await perMessageUs(messages, () => sns.verify(read(bodies.v2)));
  return { messages, baselineUs, verifyUs: { v1, v2 } };
};
