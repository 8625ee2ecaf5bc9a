import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsService } from '../../../../../local/runtime/contracts';
import { type AwsEndpoint, startAwsEndpoint } from '../../../../../local/runtime/emulators/aws-endpoint';

/** A service that claims requests with `X-Amz-Target: Echo.*` and answers with what it received. */
const echo: AwsService = {
  name: 'echo',
  matches: (req) => String(req.headers['x-amz-target'] ?? '').startsWith('Echo.'),
  async handle(req: IncomingMessage, body: Buffer, res: ServerResponse) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ target: req.headers['x-amz-target'], body: body.toString('utf8') }));
  },
};

const broken: AwsService = {
  name: 'broken',
  matches: (req) => req.headers['x-amz-target'] === 'Broken.Call',
  handle: async () => {
    throw new Error('boom');
  },
};

describe('startAwsEndpoint', () => {
  let endpoint: AwsEndpoint;
  const failures: { service: string; error: unknown }[] = [];

  beforeAll(async () => {
    endpoint = await startAwsEndpoint({
      port: 0,
      services: [echo, broken],
      onServiceError: (service, error) => failures.push({ service, error }),
    });
  });

  afterAll(async () => {
    await endpoint.stop();
  });

  const post = (target: string, body: string) =>
    fetch(endpoint.url, { method: 'POST', headers: { 'x-amz-target': target }, body });

  it('listens on an ephemeral port on 127.0.0.1', () => {
    expect(endpoint.port).toBeGreaterThan(0);
    expect(endpoint.url).toBe(`http://127.0.0.1:${endpoint.port}`);
  });

  it('hands the request and its whole body to the service that claims it', async () => {
    const body = 'x'.repeat(200_000);
    const response = await post('Echo.Ping', body);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ target: 'Echo.Ping', body });
  });

  it('answers UnknownOperationException when no service claims the request', async () => {
    const response = await post('Nobody.Home', '{}');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ __type: 'UnknownOperationException', message: expect.stringContaining('Nobody.Home') });
  });

  it('turns an unexpected service failure into a 500 InternalFailure and reports it once', async () => {
    const response = await post('Broken.Call', '{}');
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ __type: 'InternalFailure' });
    expect(failures).toEqual([{ service: 'broken', error: expect.objectContaining({ message: 'boom' }) }]);
  });

  it('rejects with EADDRINUSE when the port is taken', async () => {
    await expect(startAwsEndpoint({ port: endpoint.port, services: [] })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('routes to a service pushed after start (the list is read per request)', async () => {
    const services: AwsService[] = [];
    const late = await startAwsEndpoint({ port: 0, services });
    try {
      expect((await fetch(late.url, { method: 'POST', headers: { 'x-amz-target': 'Echo.A' } })).status).toBe(400);
      services.push(echo);
      expect((await fetch(late.url, { method: 'POST', headers: { 'x-amz-target': 'Echo.A' } })).status).toBe(200);
    } finally {
      await late.stop();
    }
  });
});
