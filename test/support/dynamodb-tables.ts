import type { TableDefinition } from '../../local/runtime/emulators/dynamodb';

/** The single-table layout of the orders and catalog tables (DataTable `keys: 'single'`): pk/sk plus index gsi1. */
export const singleTable = (tableName: string): TableDefinition => ({
  tableName,
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  attributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk'].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
  globalSecondaryIndexes: [
    {
      IndexName: 'gsi1',
      KeySchema: [
        { AttributeName: 'gsi1pk', KeyType: 'HASH' },
        { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
});

/** The idempotency table (DataTable `keys: 'keyValue'`): key `id`, TTL `expiration`. */
export const idempotencyTable = (tableName: string): TableDefinition => ({
  tableName,
  keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  timeToLiveAttribute: 'expiration',
});
