import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';

// The smallest useful Lambda: one DynamoDB read. Every function's bundle is compared with this one.
const client = new DynamoDBClient({});

export const handler = async (event: { id: string }) =>
  client.send(new GetItemCommand({ TableName: process.env.TABLE_NAME, Key: { pk: { S: event.id } } }));
