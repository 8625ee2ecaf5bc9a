import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { startLocalRuntime } from '../../local/runtime/runtime';
import { synthesize } from '../../local/runtime/synth';
import { ENDPOINTS_FILE_ENV, INTEGRATION_CONFIG } from '../support/local-stack';

/** Synthesizes the app and starts the local runtime once for every integration test file. */
export default async function globalSetup(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'commerce-hub-it-'));
  const cloudAssemblyDir = synthesize(INTEGRATION_CONFIG, path.join(work, 'cdk.out'));
  const logFile = path.join(work, 'runtime.log');
  const lines: string[] = [];
  const runtime = await startLocalRuntime({
    cloudAssemblyDir,
    apiPort: 0,
    awsPort: 0,
    secretsFile: path.join(work, 'secrets.json'),
    log: (line) => lines.push(line),
  });
  const endpointsFile = path.join(work, 'endpoints.json');
  writeFileSync(endpointsFile, JSON.stringify(runtime.endpoints));
  process.env[ENDPOINTS_FILE_ENV] = endpointsFile;
  Object.assign(globalThis, { __COMMERCE_HUB_RUNTIME__: { runtime, flushLog: () => writeFileSync(logFile, lines.join('\n')), logFile } });
}
