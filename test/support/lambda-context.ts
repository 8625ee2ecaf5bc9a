import type { Context } from 'aws-lambda';

let invocations = 0;

/** A Lambda Context for unit tests: a new `awsRequestId` per call and 10 s left unless overridden. */
export const aLambdaContext = (overrides: Partial<Context> = {}): Context => {
  invocations += 1;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'test-function',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:test-function',
    memoryLimitInMB: '256',
    awsRequestId: `lambda-request-${invocations}`,
    logGroupName: '/aws/lambda/test-function',
    logStreamName: '2026/01/01/[$LATEST]test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
    ...overrides,
  };
};
