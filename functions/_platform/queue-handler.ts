import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type * as z from 'zod/mini';
import { middy } from './middy';
import { logger, MetricUnit, metrics } from './observability';
import { parseJsonText, parseOrThrow } from './validation';

/** Where a message came from, for handlers that need more than its parsed body. */
export interface MessageContext {
  record: SQSRecord;
  context: Context;
}

/** Handles one parsed message; throws to have it retried (and dead-lettered after the queue's maxReceiveCount). */
export type MessageFn<S extends z.core.$ZodType> = (message: z.core.output<S>, source: MessageContext) => Promise<unknown>;

/** A Lambda handler for SQS event source mappings with `reportBatchItemFailures`. */
export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const parseBody = <S extends z.core.$ZodType>(schema: S, record: SQSRecord): z.core.output<S> =>
  parseOrThrow(schema, parseJsonText(record.body, 'message body'), 'body');

/**
 * The SQS factory: Powertools BatchProcessor with partial batch responses. Each record's body is JSON-parsed and
 * validated with `schema`, then handed to `fn`. A record that fails (bad JSON, schema, or `fn` throws) is logged
 * once, counted as `MessageFailed` and listed in `batchItemFailures`; it is never swallowed, so the queue redelivers
 * it and finally moves it to its DLQ. The other records of the batch are unaffected. When every record fails the
 * response lists them all (rather than throwing), which SQS treats the same way.
 */
export const queueHandler = <S extends z.core.$ZodType>(schema: S, fn: MessageFn<S>): QueueHandler => {
  const processor = new BatchProcessor(EventType.SQS);
  const handleRecord = async (record: SQSRecord, context: Context): Promise<unknown> => {
    try {
      return await fn(parseBody(schema, record), { record, context });
    } catch (error) {
      logger.error('message failed', {
        messageId: record.messageId,
        receiveCount: record.attributes.ApproximateReceiveCount,
        error: error instanceof Error ? error : new Error(String(error)),
      });
      metrics.addMetric('MessageFailed', MetricUnit.Count, 1);
      throw error;
    }
  };
  return middy(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
      processPartialResponse(event, (record: SQSRecord) => handleRecord(record, context), processor, {
        context,
        throwOnFullBatchFailure: false,
      }),
  )
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
};
