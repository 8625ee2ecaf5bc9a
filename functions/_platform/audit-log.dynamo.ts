import { type AttributeValue, type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { AuditLog, AuditRecord } from './audit-log';
import { dynamoDbClient } from './aws-clients';

/** Audit records are kept 7 years, then DynamoDB's TTL removes them. */
export const AUDIT_RETENTION_YEARS = 7;

const expiresAtOf = (at: string): number => {
  const expiry = new Date(at);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + AUDIT_RETENTION_YEARS);
  return Math.floor(expiry.getTime() / 1000);
};

/** The item of one record; absent optional fields are left out. */
const auditItemOf = (record: AuditRecord): Record<string, AttributeValue> => {
  const sortKey = `${record.at}#${record.id}`;
  const item: Record<string, AttributeValue> = {
    pk: { S: `AUDIT#${record.provider}#${record.at.slice(0, 10)}` },
    sk: { S: sortKey },
    expiresAt: { N: String(expiresAtOf(record.at)) },
  };
  if (record.orderId) {
    item.gsi1pk = { S: `ORDER#${record.orderId}` };
    item.gsi1sk = { S: `AUDIT#${sortKey}` };
  }
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === 'string') item[name] = { S: value };
    else if (typeof value === 'number') item[name] = { N: String(value) };
  }
  return item;
};

/**
 * Audit records in the AUDIT_TABLE (single-table keys pk/sk, index gsi1, TTL `expiresAt`), one put per call:
 * pk `AUDIT#<provider>#<yyyy-mm-dd>`, sk `<at>#<id>` (a provider's calls of a day in time order);
 * gsi1pk `ORDER#<orderId>`, gsi1sk `AUDIT#<at>#<id>` (an order's calls); expiresAt 7 years after the call.
 */
export const dynamoAuditLog = (tableName: string, client: DynamoDBClient = dynamoDbClient()): AuditLog => ({
  async append(record) {
    await client.send(new PutItemCommand({ TableName: tableName, Item: auditItemOf(record) }));
  },
});

/** What an operator's health view needs of a call. */
export type AuditSummary = Pick<AuditRecord, 'at' | 'latencyMs' | 'outcome' | 'status' | 'errorKind'>;

/** A provider's latest calls of one UTC day (`yyyy-mm-dd`), newest first: one Query on its day partition. */
export const recentAuditSummaries = async (
  tableName: string,
  provider: string,
  day: string,
  limit: number,
  client: DynamoDBClient = dynamoDbClient(),
): Promise<AuditSummary[]> => {
  const { Items = [] } = await client.send(new QueryCommand({
    TableName: tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': { S: `AUDIT#${provider}#${day}` } },
    ExpressionAttributeNames: { '#at': 'at', '#status': 'status' },
    ProjectionExpression: '#at, latencyMs, outcome, #status, errorKind',
    ScanIndexForward: false,
    Limit: limit,
  }));
  return Items.map((item) => ({
    at: item.at?.S ?? '',
    latencyMs: Number(item.latencyMs?.N ?? 0),
    outcome: (item.outcome?.S ?? 'answered') as AuditRecord['outcome'],
    ...(item.status?.N !== undefined && { status: Number(item.status.N) }),
    ...(item.errorKind?.S !== undefined && { errorKind: item.errorKind.S as AuditRecord['errorKind'] }),
  }));
};
