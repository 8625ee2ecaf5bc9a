import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dynamoDbClient } from './aws-clients';

let documents: DynamoDBDocumentClient | undefined;

/** The DynamoDB document client (plain JS values, `undefined` attributes dropped) of this cold start. */
export function documentClient(): DynamoDBDocumentClient {
  return (documents ??= DynamoDBDocumentClient.from(dynamoDbClient(), { marshallOptions: { removeUndefinedValues: true } }));
}
