/**
 * Serves one AwsService on a free local port, so an emulator can be tested with the real SDK client without the
 * shared endpoint.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AwsService } from '../../../../../local/runtime/contracts';

export interface ServedService {
  /** `http://127.0.0.1:<port>`, the client's `endpoint`. */
  url: string;
  close(): Promise<void>;
}

/** Dummy settings every SDK client in these tests uses besides the endpoint. */
export const LOCAL_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/** Starts an HTTP server that hands every request to `service.handle`. */
export async function serveAwsService(service: AwsService): Promise<ServedService> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (!service.matches(req)) {
        res.writeHead(404).end();
        return;
      }
      service.handle(req, Buffer.concat(chunks), res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
