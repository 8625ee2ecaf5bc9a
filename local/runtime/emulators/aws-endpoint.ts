/**
 * The single HTTP endpoint every local AWS client talks to (`AWS_ENDPOINT_URL=<url>`). Each request goes to the
 * first mounted service that claims it (X-Amz-Target prefix, SNS query form …).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsService } from '../contracts';
import { AwsServiceError, writeAwsJsonError } from './aws-protocol';
import { readBoundedBody } from '../../http-body';

export interface AwsEndpointOptions {
  /** Interface to bind; 127.0.0.1 unless given. */
  host?: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /**
   * Services consulted in order for every request. The array is read per request, not copied, so a caller that
   * needs the endpoint's URL to build a service (SQS QueueUrls) can start on port 0 and push the service after.
   */
  services: AwsService[];
  /** Where unexpected service failures are reported (once per failure); console.error unless given. */
  onServiceError?: (serviceName: string, error: unknown) => void;
}

export interface AwsEndpoint {
  /** `http://<host>:<port>`, the value for AWS_ENDPOINT_URL. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Request bodies above this are refused (413); the largest AWS payload we emulate, an SQS batch, is 1 MiB. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
const JSON_ERROR_STYLE = { contentType: 'application/x-amz-json-1.0' };

/**
 * Starts the shared AWS endpoint.
 * Rejects with the listen error when the port is taken (its `code` is 'EADDRINUSE').
 */
export async function startAwsEndpoint(options: AwsEndpointOptions): Promise<AwsEndpoint> {
  const host = options.host ?? '127.0.0.1';
  const reportError =
    options.onServiceError ??
    ((serviceName: string, error: unknown) => console.error(`[aws-endpoint] ${serviceName} failed:`, error));

  const server = createServer((req, res) => {
    void dispatch(req, res, options.services, reportError);
  });
  // Long polls (ReceiveMessage WaitTimeSeconds=20) must not be cut by Node's default request timeouts.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function dispatch(
  req: IncomingMessage,
  res: ServerResponse,
  services: AwsService[],
  reportError: (serviceName: string, error: unknown) => void,
): Promise<void> {
  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    if (error instanceof AwsServiceError) writeAwsJsonError(res, error, JSON_ERROR_STYLE);
    else res.destroy();
    return;
  }

  const service = services.find((candidate) => candidate.matches(req));
  if (!service) {
    const target = req.headers['x-amz-target'];
    const what = typeof target === 'string' ? target : `${req.method} ${req.url}`;
    writeAwsJsonError(
      res,
      new AwsServiceError('UnknownOperationException', `No local service handles ${what}`),
      JSON_ERROR_STYLE,
    );
    return;
  }

  try {
    await service.handle(req, body, res);
  } catch (error) {
    reportError(service.name, error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    writeAwsJsonError(
      res,
      new AwsServiceError('InternalFailure', 'The local emulator failed to process the request', { statusCode: 500 }),
      JSON_ERROR_STYLE,
    );
  }
}

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  readBoundedBody(req, MAX_BODY_BYTES, () => new AwsServiceError('RequestEntityTooLarge', 'Request body too large', { statusCode: 413 }));
