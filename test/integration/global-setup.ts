import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalRuntime } from '../../local/runtime/runtime';
import { synthesize } from '../../local/runtime/synth';
import { pointCarrierWebhooksAt, startSimulators } from '../../local/simulators';
import { ENDPOINTS_FILE_ENV, INTEGRATION_CONFIG } from '../support/local-stack';

/** Synthesizes the app and starts the local runtime once for every integration test file. */
export default async function globalSetup(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'commerce-hub-it-'));
  const cloudAssemblyDir = synthesize(INTEGRATION_CONFIG, path.join(work, 'cdk.out'));
  const logFile = path.join(work, 'runtime.log');
  const lines: string[] = [];
  const simulators = await startSimulators();
  const runtime = await startLocalRuntime({
    simulatorSecrets: Object.fromEntries(Object.entries(simulators).map(([provider, simulator]) => [provider, simulator.secret])),
    cloudAssemblyDir,
    apiPort: 0,
    awsPort: 0,
    secretsFile: path.join(work, 'secrets.json'),
    log: (line) => lines.push(line),
  });
  // bKash pushes its IPN through SNS: subscribe our webhook, as a merchant does once per deployment.
  await simulators.bkash.subscribeWebhook(`${runtime.endpoints.api.url}/webhooks/bkash`);
  await pointCarrierWebhooksAt(simulators, runtime.endpoints.api.url);
  const endpointsFile = path.join(work, 'endpoints.json');
  const simulatorUrls = Object.fromEntries(Object.entries(simulators).map(([provider, simulator]) => [provider, simulator.url]));
  writeFileSync(endpointsFile, JSON.stringify({ ...runtime.endpoints, simulators: simulatorUrls }));
  process.env[ENDPOINTS_FILE_ENV] = endpointsFile;
  const stop = async () => {
    await runtime.stop();
    await Promise.all(Object.values(simulators).map((simulator) => simulator.stop()));
  };
  Object.assign(globalThis, { __COMMERCE_HUB_RUNTIME__: { stop, flushLog: () => writeFileSync(logFile, lines.join('\n')), logFile } });
}
