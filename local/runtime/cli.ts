import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { environmentConfig } from '../../lib/config/environments';
import { LOCAL_CREDENTIALS, LocalRuntime, startLocalRuntime } from './runtime';
import { seedDemoCatalog } from '../demo/seed-catalog';
import { seedDemoSellers } from '../demo/seed-sellers';
import type { ProviderSimulator } from '../simulators/contracts';
import { pointCarrierWebhooksAt, SIMULATED_PROVIDERS, startSimulators } from '../simulators';
import { startStorefront } from '../web/storefront';
import { synthesize } from './synth';
import { LocalRuntimeError } from './template';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const LOCAL_DIR = path.join(PROJECT_ROOT, '.local');

const USAGE = `Usage: npm start [-- --persist] [--port 4000] [--aws-port 4566] [--env dev|staging|prod]
  --persist    keep data (tables, queues, API keys) in .local/data across restarts
  --port       port of the REST API (default 4000); provider simulators take the ports from port+100 on, the demo
               storefront port+200
  --aws-port   port of the local AWS endpoint (default 4566)
  --env        which environment's configuration to synthesize (default dev)`;

const parseOptions = () => {
  try {
    const { values } = parseArgs({
      options: {
        persist: { type: 'boolean', default: false },
        port: { type: 'string', default: '4000' },
        'aws-port': { type: 'string', default: '4566' },
        env: { type: 'string', default: 'dev' },
        help: { type: 'boolean', default: false },
      },
    });
    const port = Number(values.port);
    const awsPort = Number(values['aws-port']);
    if (!Number.isInteger(port) || !Number.isInteger(awsPort)) throw new Error('ports must be integers');
    return { persist: values.persist, port, awsPort, env: environmentConfig(values.env), help: values.help };
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
};

/** One line saying what went wrong and what to do, instead of a stack trace, for the failures a user can fix. */
const explain = (err: unknown, ports: { port: number; awsPort: number }): string | undefined => {
  const e = err as NodeJS.ErrnoException & { port?: number };
  if (e?.code === 'EADDRINUSE') {
    const port = e.port ?? '';
    return `Port ${port} is already in use (another npm start?). Stop it, or pick free ports: npm start -- --port ${ports.port + 1} --aws-port ${ports.awsPort + 1}`;
  }
  if (e?.code === 'EACCES') return `Not allowed to listen on port ${e.port ?? ''}: pick a port above 1024 with --port / --aws-port`;
  if (err instanceof LocalRuntimeError) return err.message;
  if (e instanceof Error && /Cannot find entry file|Failed to bundle|Could not resolve/.test(e.message)) {
    return `The functions could not be built: ${e.message.split('\n')[0]}. Run \`npm ci\` and try again.`;
  }
  return undefined;
};

/** Fails before the (slow) synth when a port is taken; listening again later still reports a port lost meanwhile. */
const assertPortFree = (port: number): Promise<void> =>
  port === 0
    ? Promise.resolve()
    : new Promise((resolve, reject) => {
        const probe = createServer();
        probe.once('error', (err: NodeJS.ErrnoException) => reject(Object.assign(err, { port })));
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
      });

const main = async (): Promise<void> => {
  const options = parseOptions();
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const begun = Date.now();
  let runtime: LocalRuntime | undefined;
  let simulators: Record<string, ProviderSimulator> = {};
  let storefront: { stop(): Promise<void> } | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping…\n`);
    await storefront?.stop();
    await runtime?.stop();
    await Promise.all(Object.values(simulators).map((simulator) => simulator.stop()));
    process.stdout.write('Stopped.\n');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    await assertPortFree(options.port);
    await assertPortFree(options.awsPort);
    for (let n = 0; n < SIMULATED_PROVIDERS.length; n += 1) await assertPortFree(options.port + 100 + n);
    await assertPortFree(options.port + 200);
    process.stdout.write(`Synthesizing the ${options.env.name} app (CDK, esbuild bundles)…\n`);
    const cloudAssemblyDir = synthesize(options.env, path.join(PROJECT_ROOT, 'cdk.out'));
    const synthMs = Date.now() - begun;
    const running = await startSimulators({ firstPort: options.port + 100 });
    simulators = running;
    runtime = await startLocalRuntime({
      simulatorSecrets: Object.fromEntries(Object.entries(simulators).map(([provider, simulator]) => [provider, simulator.secret])),
      cloudAssemblyDir,
      apiPort: options.port,
      awsPort: options.awsPort,
      dataDir: options.persist ? path.join(LOCAL_DIR, 'data') : undefined,
      secretsFile: path.join(LOCAL_DIR, 'secrets.json'),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    const { endpoints } = runtime;
    // bKash pushes its IPN through SNS: subscribe our webhook, as a merchant does once per deployment.
    const ipn = await running.bkash.subscribeWebhook(`${endpoints.api.url}/webhooks/bkash`);
    if (!ipn.confirmed) process.stdout.write(`bKash IPN subscription not confirmed (HTTP ${ipn.status}): bKash webhooks will not arrive\n`);
    await pointCarrierWebhooksAt(simulators, endpoints.api.url);
    const seeded = await seedDemoCatalog(endpoints.api.url, endpoints.apiKeys[0].value, LOCAL_CREDENTIALS);
    const sellers = await seedDemoSellers(endpoints.api.url, LOCAL_CREDENTIALS);
    // Zalo sends its webhooks to the URL set on the OA, not one given per message.
    await fetch(`${simulators.zalo.url}/__control/webhook`, { method: 'POST', body: JSON.stringify({ url: `${endpoints.api.url}/webhooks/zalo` }) });
    const shop = await startStorefront({ port: options.port + 200, apiUrl: endpoints.api.url, storeKey: endpoints.apiKeys[0].value });
    storefront = shop;
    mkdirSync(LOCAL_DIR, { recursive: true });
    const simulatorUrls = Object.fromEntries(Object.entries(simulators).map(([provider, simulator]) => [provider, simulator.url]));
    writeFileSync(path.join(LOCAL_DIR, 'endpoints.json'), `${JSON.stringify({ ...endpoints, simulators: simulatorUrls }, null, 2)}\n`, { mode: 0o600 });
    const keys = endpoints.apiKeys.map((k) => `${k.value}  (${k.name})`).join('\n               ');
    process.stdout.write([
      '',
      `Commerce Hub is running locally (${options.env.name}${options.persist ? ', data kept in .local/data' : ', in memory'})`,
      `  Storefront   ${shop.url}   ← open this: products, a cart, checkout with bKash or Nagad, the order page`,
      `  API          ${endpoints.api.url}`,
      `  Health       ${endpoints.api.url}/health`,
      `  OpenAPI      ${endpoints.api.url}/openapi.json`,
      `  Store key    ${keys}   → send as x-api-key`,
      `  Mailbox      ${endpoints.aws.endpoint}/_mailbox   ← every e-mail sent through the local SES (headers, HTML, text)`,
      `  SMS inboxes  ${['twilio', 'sslwireless', 'esms', 'zalo', 'hifpt'].map((provider) => `${simulatorUrls[provider]}/__inbox`).join('  ')}`,
      `  AWS endpoint ${endpoints.aws.endpoint}  (DynamoDB, SQS, SNS, SES, Step Functions, Secrets Manager)`,
      `               AWS_ENDPOINT_URL=${endpoints.aws.endpoint} AWS_REGION=${endpoints.aws.region} AWS_ACCESS_KEY_ID=${LOCAL_CREDENTIALS.accessKeyId} AWS_SECRET_ACCESS_KEY=${LOCAL_CREDENTIALS.secretAccessKey}`,
      `  Functions    ${runtime.functionNames.length} (logs below, prefixed with their name)`,
      `  Simulators   ${Object.entries(simulatorUrls).map(([provider, url]) => `${provider} ${url}`).join(', ')} (hosted payer pages; POST /__control/scenario to inject faults)`,
      `  Catalog      ${seeded} demo products added through PUT /v1/products/{sku} (SigV4 with the local credentials above); ${sellers} demo sellers' contacts`,
      `  Endpoints    ${path.relative(PROJECT_ROOT, path.join(LOCAL_DIR, 'endpoints.json'))}; provider secrets in ${path.relative(PROJECT_ROOT, path.join(LOCAL_DIR, 'secrets.json'))}`,
      '',
      `Ready in ${((Date.now() - begun) / 1000).toFixed(1)} s (synth ${(synthMs / 1000).toFixed(1)} s). Ctrl-C stops everything.`,
      '',
    ].join('\n'));
  } catch (err) {
    await storefront?.stop();
    await runtime?.stop();
    await Promise.all(Object.values(simulators).map((simulator) => simulator.stop()));
    const line = explain(err, options);
    if (!line) throw err;
    process.stderr.write(`npm start: ${line}\n`);
    process.exit(1);
  }
};

void main().catch((err: unknown) => {
  process.stderr.write(`npm start failed unexpectedly: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

