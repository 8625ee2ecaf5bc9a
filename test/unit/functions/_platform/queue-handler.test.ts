import * as z from 'zod/mini';
import { platformEnv, setEnv } from '../../../support/env';
import { aLambdaContext } from '../../../support/lambda-context';
import { captureLogs } from '../../../support/log-capture';
import { anSqsEvent, anSqsRecord } from '../../../support/sqs';


setEnv(platformEnv);
const { queueHandler } = require('../../../../functions/_platform/queue-handler') as typeof import('../../../../functions/_platform/queue-handler');

const Job = z.object({ jobId: z.string(), fail: z._default(z.boolean(), false) });

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.stop());

describe('queueHandler', () => {
  const seen: string[] = [];
  const handler = queueHandler(Job, async (job) => {
    seen.push(job.jobId);
    if (job.fail) throw new Error(`job ${job.jobId} failed`);
  });
  beforeEach(() => {
    seen.length = 0;
  });

  it('reports exactly the records that failed: bad JSON, schema mismatch, or a throwing handler', async () => {
    const ok = anSqsRecord({ jobId: 'j-1' });
    const notJson = anSqsRecord('not json at all');
    const wrongShape = anSqsRecord({ job: 'j-2' });
    const throwing = anSqsRecord({ jobId: 'j-3', fail: true }, 4);
    const alsoOk = anSqsRecord({ jobId: 'j-4' });

    const response = await handler(anSqsEvent(ok, notJson, wrongShape, throwing, alsoOk), aLambdaContext());

    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier).sort()).toEqual(
      [notJson.messageId, wrongShape.messageId, throwing.messageId].sort(),
    );
    expect(seen.sort()).toEqual(['j-1', 'j-3', 'j-4']);
  });

  it('logs each failed record once at error, with its message id and receive count, and counts it', async () => {
    const throwing = anSqsRecord({ jobId: 'j-5', fail: true }, 3);

    await handler(anSqsEvent(throwing), aLambdaContext());

    const failures = logs.logs().filter((line) => line.message === 'message failed');
    expect(failures).toEqual([expect.objectContaining({ level: 'ERROR', messageId: throwing.messageId, receiveCount: '3' })]);
    expect(JSON.stringify(failures[0])).toContain('job j-5 failed');
    expect(JSON.stringify(logs.metrics())).toContain('MessageFailed');
  });

  it('lists every record when the whole batch fails, instead of failing the invocation', async () => {
    const records = [anSqsRecord('x'), anSqsRecord({ jobId: 'j-6', fail: true })];

    const response = await handler(anSqsEvent(...records), aLambdaContext());

    expect(response.batchItemFailures).toHaveLength(2);
  });

  it('answers an empty failure list when every record succeeds', async () => {
    const response = await handler(anSqsEvent(anSqsRecord({ jobId: 'j-7' })), aLambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
  });
});
