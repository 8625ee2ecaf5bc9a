import type { SQSEvent, SQSRecord } from 'aws-lambda';

let messages = 0;

/** An SQS record whose body is `body` (objects as JSON, strings as is). */
export const anSqsRecord = (body: unknown, receiveCount = 1): SQSRecord => {
  messages += 1;
  return {
    messageId: `message-${messages}`,
    receiptHandle: `receipt-${messages}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: '0',
      SenderId: 'AIDA000000000000',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:events',
    awsRegion: 'us-east-1',
  };
};

/** An SQS event source batch of `records`. */
export const anSqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });
