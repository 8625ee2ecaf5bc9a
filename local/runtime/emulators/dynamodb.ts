import { Agent, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand, CreateTableCommandInput, DescribeTableCommand, DynamoDBClient, ResourceInUseException,
  ScanCommand, DeleteItemCommand, AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { LOCAL_REGION, type AwsService } from '../contracts';

/** A table as the template declares it (properties already resolved). */
export interface TableDefinition {
  readonly tableName: string;
  readonly keySchema: CreateTableCommandInput['KeySchema'];
  readonly attributeDefinitions: CreateTableCommandInput['AttributeDefinitions'];
  readonly globalSecondaryIndexes?: CreateTableCommandInput['GlobalSecondaryIndexes'];
  /** Attribute with an epoch-seconds expiry, when TTL is enabled. */
  readonly timeToLiveAttribute?: string;
}

export interface LocalDynamoDb {
  /** dynalite's own URL: the functions' AWS_ENDPOINT_URL_DYNAMODB (the shortest path for the hottest calls). */
  readonly url: string;
  /** DynamoDB on the shared AWS endpoint too, so `AWS_ENDPOINT_URL` alone reaches every service from any tool. */
  readonly service: AwsService;
  /** Creates the table unless it exists (a persisted one from an earlier run is kept as it is). */
  createTable(definition: TableDefinition): Promise<'created' | 'existing'>;
  /** Deletes expired items once; the sweeper calls it on an interval. */
  sweepExpiredItems(): Promise<number>;
  stop(): Promise<void>;
}

const SWEEP_INTERVAL_MS = 15_000;

/**
 * DynamoDB through dynalite (in-process, LevelDB on disk when `dataDir` is given). dynalite has no TTL, so a sweeper
 * deletes expired items, as DynamoDB does, only sooner (DynamoDB takes up to a few days). It also has no transactions:
 * the project writes with conditional single-item operations.
 */
export const startDynamoDb = async (opts: { host: string; dataDir?: string }): Promise<LocalDynamoDb> => {
  // dynalite ships no type definitions; its factory returns a plain http.Server.
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, path: opts.dataDir });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, opts.host, () => resolve());
  });
  const url = `http://${opts.host}:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint: url, region: LOCAL_REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const ttlTables = new Map<string, { attribute: string; keys: string[] }>();

  const sweepExpiredItems = async (): Promise<number> => {
    const now = Math.floor(Date.now() / 1000);
    let deleted = 0;
    for (const [tableName, { attribute, keys }] of ttlTables) {
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(new ScanCommand({
          TableName: tableName,
          FilterExpression: '#ttl < :now',
          ExpressionAttributeNames: { '#ttl': attribute },
          ExpressionAttributeValues: { ':now': { N: String(now) } },
          ExclusiveStartKey: startKey,
        }));
        for (const item of page.Items ?? []) {
          const key = Object.fromEntries(keys.map((k) => [k, item[k]]));
          await client.send(new DeleteItemCommand({ TableName: tableName, Key: key }));
          deleted += 1;
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    return deleted;
  };

  let sweeping = false;
  const sweeper = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweepExpiredItems()
      .catch((err: Error) => process.stderr.write(`[dynamodb] TTL sweep failed: ${err.message}\n`))
      .finally(() => { sweeping = false; });
  }, SWEEP_INTERVAL_MS);
  sweeper.unref();

  const agent = new Agent({ keepAlive: true });
  const service: AwsService = {
    name: 'dynamodb',
    matches: (req: IncomingMessage) => String(req.headers['x-amz-target'] ?? '').startsWith('DynamoDB_20120810.'),
    handle: (req: IncomingMessage, body: Buffer, res: ServerResponse) =>
      new Promise<void>((resolve, reject) => {
        const forwarded = request(`${url}${req.url ?? '/'}`, { method: req.method, headers: req.headers, agent }, (answer) => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res).on('finish', resolve).on('error', reject);
        });
        forwarded.on('error', reject);
        forwarded.end(body);
      }),
  };

  return {
    url,
    service,
    async createTable(def) {
      if (def.timeToLiveAttribute) {
        ttlTables.set(def.tableName, { attribute: def.timeToLiveAttribute, keys: (def.keySchema ?? []).map((k) => k.AttributeName!) });
      }
      try {
        await client.send(new CreateTableCommand({
          TableName: def.tableName,
          KeySchema: def.keySchema,
          AttributeDefinitions: def.attributeDefinitions,
          GlobalSecondaryIndexes: def.globalSecondaryIndexes?.map((gsi) => ({ ...gsi, ProvisionedThroughput: undefined })),
          BillingMode: 'PAY_PER_REQUEST',
        }));
        await client.send(new DescribeTableCommand({ TableName: def.tableName }));
        return 'created';
      } catch (err) {
        if (err instanceof ResourceInUseException) return 'existing';
        throw err;
      }
    },
    sweepExpiredItems,
    async stop() {
      clearInterval(sweeper);
      client.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
