import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import * as z from 'zod/mini';
import { dynamoDbClient } from './aws-clients';
import { loadConfig } from './config';

/**
 * The Powertools idempotency records in the IDEMPOTENCY_TABLE table (env): key attribute `id`
 * (`<scope>#<hash of the key>`), TTL attribute `expiration` (epoch seconds), plus `status`, `data`,
 * `validation` and `in_progress_expiration` as Powertools writes them. Call once per cold start.
 */
export const dynamoIdempotencyStore = (): BasePersistenceLayer => {
  const { IDEMPOTENCY_TABLE } = loadConfig(z.object({ IDEMPOTENCY_TABLE: z.string().check(z.minLength(1)) }));
  return new DynamoDBPersistenceLayer({
    tableName: IDEMPOTENCY_TABLE,
    keyAttr: 'id',
    expiryAttr: 'expiration',
    awsSdkV3Client: dynamoDbClient(),
  });
};
