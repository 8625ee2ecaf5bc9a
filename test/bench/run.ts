import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ENVIRONMENTS } from '../../lib/config/environments';
import { TemplateResolver } from '../../local/runtime/intrinsics';
import { startLocalRuntime } from '../../local/runtime/runtime';
import { synthesize } from '../../local/runtime/synth';
import { readCloudAssembly, resourcesOfType } from '../../local/runtime/template';
import { buildBaseline, importTimeMs, median, sizeOf } from './bundles';

/** Targets from the foundation issue. */
const MAX_BUNDLE_BYTES = 400 * 1024;
const MAX_IMPORT_RATIO = 2;
const RUNS = 7;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const main = async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'commerce-hub-bench-'));
  let missed = 0;
  try {
    const synthStarted = Date.now();
    const cloudAssemblyDir = synthesize(ENVIRONMENTS.dev, path.join(work, 'cdk.out'));
    const synthMs = Date.now() - synthStarted;
    const assembly = readCloudAssembly(cloudAssemblyDir);
    const resolver = new TemplateResolver(assembly, { awsEndpointUrl: 'http://127.0.0.1:1' });
    const baseline = await buildBaseline(work);
    const localEnv = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_ENDPOINT_URL: 'http://127.0.0.1:1' };

    const functions = resourcesOfType(assembly, 'AWS::Lambda::Function').map((fn) => {
      const props = resolver.resolve(fn.stackName, fn.resource.Properties) as { Environment?: { Variables?: Record<string, string> } };
      const cdkPath = fn.resource.Metadata?.['aws:cdk:path'];
      return {
        name: typeof cdkPath === 'string' ? cdkPath.split('/').slice(1, -1).join('/') : fn.logicalId,
        file: path.join(cloudAssemblyDir, String(fn.resource.Metadata?.['aws:asset:path']), 'index.mjs'),
        env: { ...localEnv, ...props.Environment?.Variables },
      };
    });

    // Interleave baseline and function runs so drift on a shared machine hits both alike.
    const baselineTimes: number[] = [];
    const times = new Map<string, number[]>(functions.map((f) => [f.name, []]));
    for (let run = 0; run < RUNS; run += 1) {
      for (const fn of functions) {
        baselineTimes.push(importTimeMs(baseline, { ...localEnv, TABLE_NAME: 'bench' }));
        times.get(fn.name)!.push(importTimeMs(fn.file, fn.env));
      }
    }
    const baselineMs = median(baselineTimes);
    const baselineBytes = sizeOf(baseline);

    console.log(`\nBundles (minified ESM, AWS SDK bundled) and module load time, median of ${RUNS} fresh Node ${process.version} processes`);
    console.log(`${'function'.padEnd(58)} ${'size'.padStart(10)} ${'load ms'.padStart(9)} ${'× baseline'.padStart(11)}`);
    console.log(`${'baseline (DynamoDB client only)'.padEnd(58)} ${kb(baselineBytes).padStart(10)} ${baselineMs.toFixed(1).padStart(9)} ${'1.00'.padStart(11)}`);
    for (const fn of functions) {
      const bytes = sizeOf(fn.file);
      const ms = median(times.get(fn.name)!);
      const ratio = ms / baselineMs;
      const verdict = bytes > MAX_BUNDLE_BYTES || ratio > MAX_IMPORT_RATIO ? '  MISSED' : '';
      if (verdict) missed += 1;
      console.log(`${fn.name.padEnd(58)} ${kb(bytes).padStart(10)} ${ms.toFixed(1).padStart(9)} ${ratio.toFixed(2).padStart(11)}${verdict}`);
    }
    console.log(`targets: ≤ ${kb(MAX_BUNDLE_BYTES)} per bundle, load ≤ ${MAX_IMPORT_RATIO}× baseline`);

    const startBegun = Date.now();
    const runtime = await startLocalRuntime({
      cloudAssemblyDir, apiPort: 0, awsPort: 0, secretsFile: path.join(work, 'secrets.json'), log: () => undefined,
    });
    const startMs = Date.now() - startBegun;
    const healthBegun = Date.now();
    const health = await fetch(`${runtime.endpoints.api.url}/health`);
    const firstHealthMs = Date.now() - healthBegun;
    await runtime.stop();
    console.log(`\nLocal runtime: synth ${synthMs} ms (in process, ${functions.length} esbuild bundles), start ${startMs} ms, first GET /v1/health ${firstHealthMs} ms (cold) → ${health.status}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (missed > 0) {
    console.log(`\n${missed} function(s) missed a target`);
    process.exitCode = 1;
  }
};

void main();
