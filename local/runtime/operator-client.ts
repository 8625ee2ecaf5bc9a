import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { Checksum, SourceData } from '@smithy/types';

const toBytes = (data: SourceData): string | Buffer =>
  typeof data === 'string' ? data : ArrayBuffer.isView(data) ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : Buffer.from(data);

/** The SHA-256 the SDK's signer needs, from node:crypto (the SDK's own @aws-crypto package is not hoisted). */
export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  update(data: SourceData): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(this.secret));
  }
}

export interface OperatorCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Calls an operator (AWS_IAM) route with a SigV4-signed request, as the AWS CLI or an SDK would against API
 * Gateway: service `execute-api`, the local region. Answers the fetch Response.
 */
export const operatorFetch = async (
  url: string,
  request: { method: string; body?: unknown; headers?: Readonly<Record<string, string>> },
  credentials: OperatorCredentials,
  region = 'us-east-1',
): Promise<Response> => {
  const target = new URL(url);
  // A body with its own content type (a CSV upload) is sent as it is; anything else as JSON.
  const body = request.body === undefined ? undefined : request.headers?.['content-type'] ? String(request.body) : JSON.stringify(request.body);
  const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: request.method,
    protocol: target.protocol,
    hostname: target.hostname,
    port: target.port ? Number(target.port) : undefined,
    path: target.pathname,
    query: Object.fromEntries(target.searchParams),
    headers: { host: target.host, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
    body,
  });
  // fetch sets Host itself (to the same value).
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  return fetch(url, { method: request.method, headers, body });
};
