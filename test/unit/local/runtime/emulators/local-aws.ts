/** Test harness: the shared AWS endpoint with the SQS and SNS emulators mounted, and real SDK clients for it. */
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsService } from '../../../../../local/runtime/contracts';
import { type AwsEndpoint, startAwsEndpoint } from '../../../../../local/runtime/emulators/aws-endpoint';
import { type SnsEmulator, createSnsEmulator } from '../../../../../local/runtime/emulators/sns';
import { type SqsEmulator, createSqsEmulator } from '../../../../../local/runtime/emulators/sqs';

export interface LocalAws {
  endpoint: AwsEndpoint;
  sqs: SqsEmulator;
  sns: SnsEmulator;
  sqsClient: SQSClient;
  snsClient: SNSClient;
  stop(): Promise<void>;
}

export async function startLocalAws(options: { persistFile?: string } = {}): Promise<LocalAws> {
  const services: AwsService[] = [];
  const endpoint = await startAwsEndpoint({ port: 0, services });
  const sqs = createSqsEmulator({ endpointUrl: endpoint.url, persistFile: options.persistFile });
  const sns = createSnsEmulator({ sqs, onDeliveryError: () => undefined });
  services.push(sqs, sns);
  const clientConfig = {
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  };
  const sqsClient = new SQSClient(clientConfig);
  const snsClient = new SNSClient(clientConfig);
  return {
    endpoint,
    sqs,
    sns,
    sqsClient,
    snsClient,
    async stop() {
      sqsClient.destroy();
      snsClient.destroy();
      await sqs.stop();
      await endpoint.stop();
    },
  };
}

/** Retries `probe` until it returns a value other than undefined (each probe is expected to long-poll ≤ 1 s). */
export async function eventually<T>(probe: () => Promise<T | undefined>, attempts = 20): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const value = await probe();
    if (value !== undefined) return value;
  }
  throw new Error(`condition not met after ${attempts} attempts`);
}
