import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import type { ApiHandler } from '../_platform/http-handler';

/** The request body as the client sent it (signatures and CSV need the text, not parsed JSON). */
export const rawBodyOf = (event: Pick<APIGatewayProxyEvent, 'body' | 'isBase64Encoded'>): string =>
  event.body === null || event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;

/**
 * One Lambda serving several routes: picks the handler by the API Gateway resource and method (`POST /webhooks/ghn`).
 * A pair it does not know cannot reach it (API Gateway only routes the ones it was given).
 */
export const byRoute =
  (handlers: Readonly<Record<string, ApiHandler>>): ApiHandler =>
  (event: APIGatewayProxyEvent, context: Context) => {
    const handle = handlers[`${event.httpMethod} ${event.resource}`];
    if (!handle) throw new Error(`no handler for ${event.httpMethod} ${event.resource}`);
    return handle(event, context);
  };
