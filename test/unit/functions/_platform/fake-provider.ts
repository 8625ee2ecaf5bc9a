import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type LocalDynamoDb, startDynamoDb } from '../../../../local/runtime/emulators/dynamodb';
import { singleTable } from '../../../support/dynamodb-tables';
import { captureLogs } from '../../../support/log-capture';

/** A request as the fake provider received it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** performance.now() when the request was complete. */
  readonly receivedAt: number;
}

/** How the provider treats its `index`-th request (0-based): answer, hang, or drop the connection. */
export type Behaviour = (request: ReceivedRequest, response: ServerResponse, index: number) => void;

/** Answers with `status`, `body` and `headers`. */
export const answer =
  (status: number, body = '', headers: Record<string, string> = {}): Behaviour =>
  (_request, response) => {
    response.writeHead(status, headers).end(body);
  };

/** Never answers (the client's timeout has to end the call). */
export const hang: Behaviour = () => undefined;

/** Closes the connection after receiving the whole request, without answering. */
export const dropConnection: Behaviour = (_request, response) => {
  response.socket?.destroy();
};

/** One behaviour per request in turn; the last one repeats. */
export const inTurn =
  (...behaviours: Behaviour[]): Behaviour =>
  (request, response, index) =>
    behaviours[Math.min(index, behaviours.length - 1)](request, response, index);

/** A local HTTP server playing a provider, recording every request it receives. */
export const startFakeProvider = async (initial: Behaviour = answer(200, '{}')) => {
  const received: ReceivedRequest[] = [];
  let behaviour = initial;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: performance.now(),
      };
      received.push(entry);
      behaviour(entry, response, received.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** Changes how later requests are treated and forgets the requests so far. */
    behave(next: Behaviour) {
      behaviour = next;
      received.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

export type FakeProvider = Awaited<ReturnType<typeof startFakeProvider>>;

/**
 * For a test file of the resilient client's shared state (breakers, rate buckets, audit records): the local runtime's
 * DynamoDB with one single-table `table` reached through the real SDK, a fake provider, and each test's logs captured
 * (kept off the output). Registers its jest hooks; read `client` and `provider` inside tests, once they are started.
 */
export const sharedStateFixture = (table: string) => {
  const fixture = {} as { client: DynamoDBClient; provider: FakeProvider };
  let dynamo: LocalDynamoDb;
  let logs: ReturnType<typeof captureLogs>;
  beforeAll(async () => {
    [dynamo, fixture.provider] = await Promise.all([startDynamoDb({ host: '127.0.0.1' }), startFakeProvider()]);
    await dynamo.createTable(singleTable(table));
    fixture.client = new DynamoDBClient({ endpoint: dynamo.url, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  });
  afterAll(async () => {
    fixture.client.destroy();
    await Promise.all([dynamo.stop(), fixture.provider.close()]);
  });
  beforeEach(() => {
    logs = captureLogs();
  });
  afterEach(() => logs.stop());
  return fixture;
};

/** A URL on which nothing listens (connection refused). */
export const refusingUrl = async (): Promise<string> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
};

/** A clock the test moves by hand. */
export const manualClock = (start = Date.parse('2025-01-15T10:00:00Z')) => {
  let now = start;
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
};
