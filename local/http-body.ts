import type { IncomingMessage } from 'node:http';

/**
 * Reads a request body of at most `maxBytes`. Past the limit it stops keeping chunks but reads to the end, so the
 * caller can still answer (413 or its protocol's equivalent), and then rejects with `tooLarge()`. Every local server
 * (API Gateway, the AWS endpoint, the simulators, the storefront) reads bodies through this.
 */
export const readBoundedBody = (req: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => (size > maxBytes ? reject(tooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
