import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ENVIRONMENTS, type EnvironmentConfig } from '../../lib/config/environments';
import { TemplateResolver } from '../../local/runtime/intrinsics';
import { startLocalRuntime } from '../../local/runtime/runtime';
import { synthesize } from '../../local/runtime/synth';
import { readCloudAssembly, resourcesOfType } from '../../local/runtime/template';
import { startSimulators } from '../../local/simulators';
import { buildBaseline, importTimeMs, median, sizeOf } from './bundles';
import { benchCheckoutBaseline, benchCheckouts } from './checkout';
import { benchSnsVerification } from './sns-verify';
import { benchQuotes } from './quotes';
import { benchNotifications } from './notifications';

/**
 * The dev configuration with the store usage plan's throttle raised far above the load: the bench measures what the
 * stack can do, and the default throttle (50 requests/s) would answer most of it with 429, as it should.
 */
const BENCH_CONFIG: EnvironmentConfig = { ...ENVIRONMENTS.dev, api: { throttle: { rateLimit: 10_000, burstLimit: 10_000 }, dailyQuota: 10_000_000 } };

/** Targets from the foundation issue. */
const MAX_BUNDLE_BYTES = 400 * 1024;
const MAX_IMPORT_RATIO = 2;
/** Checkout targets from the checkout issue. */
const MAX_CHECKOUT_RATIO = 1.5;
const MAX_CHECKOUT_P99_MS = 150;
const RUNS = 7;
/** Shipping quotes: the deadline (functions/shipping/adapters/deps.ts) plus the API's own overhead. */
const MAX_QUOTE_P99_WITH_SLOW_CARRIER_MS = 2_500 + 750;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const main = async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'commerce-hub-bench-'));
  let missed = 0;
  try {
    const synthStarted = Date.now();
    const cloudAssemblyDir = synthesize(BENCH_CONFIG, path.join(work, 'cdk.out'));
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

    const sns = await benchSnsVerification();
    console.log(`\nSNS webhook verification (bKash IPN), in process, certificate cached, ${sns.messages} messages each`);
    console.log(`  baseline (JSON.parse + the route schema): ${sns.baselineUs.toFixed(1)} µs/message`);
    console.log(`  + RSA signature check: v1 (SHA1) ${sns.verifyUs.v1.toFixed(1)} µs, v2 (SHA256) ${sns.verifyUs.v2.toFixed(1)} µs per message`);

    const simulators = await startSimulators();
    const startBegun = Date.now();
    const runtime = await startLocalRuntime({
      cloudAssemblyDir, apiPort: 0, awsPort: 0, secretsFile: path.join(work, 'secrets.json'), log: () => undefined,
      simulatorSecrets: Object.fromEntries(Object.entries(simulators).map(([provider, simulator]) => [provider, simulator.secret])),
    });
    const startMs = Date.now() - startBegun;
    try {
      const healthBegun = Date.now();
      const health = await fetch(`${runtime.endpoints.api.url}/health`);
      const firstHealthMs = Date.now() - healthBegun;
      console.log(`\nLocal runtime: synth ${synthMs} ms (in process, ${functions.length} esbuild bundles), start ${startMs} ms, first GET /v1/health ${firstHealthMs} ms (cold) → ${health.status}`);

      // Warm every execution environment at the measured concurrency (a warm-up at low concurrency leaves most
      // instances cold, and their cold starts and JIT warm-up then land in the steady-state numbers), and the
      // baseline's client the same way; measure at 200 concurrent buyers; then 1000 at once to prove nothing is lost
      // or doubled.
      await benchCheckouts(runtime.endpoints, 400, 200);
      const at200 = await benchCheckouts(runtime.endpoints, 600, 200);
      await benchCheckoutBaseline(runtime.endpoints, simulators.bkash, 400, 200);
      const baseline = await benchCheckoutBaseline(runtime.endpoints, simulators.bkash, 600, 200);
      const at1000 = await benchCheckouts(runtime.endpoints, 1000, 1000);
      const ratio = at200.latencyMs.p50 / baseline.latencyMs.p50;
      const fmt = (l: { p50: number; p95: number; p99: number }) => `p50 ${l.p50.toFixed(0)} ms, p95 ${l.p95.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms`;
      console.log(`\nCheckouts through the local stack (instant simulators), Node ${process.version}, ${os.cpus().length} cores`);
      console.log(`  ${at200.requests} at ${at200.concurrency} concurrent: ${at200.ordersPerSecond.toFixed(0)} orders/s, ${fmt(at200.latencyMs)}, statuses ${JSON.stringify(at200.statuses)} (retried ${JSON.stringify(at200.retried)}), lost ${at200.lost}, doubled ${at200.doubled}, stock leaked ${at200.stockLeaked}`);
      console.log(`  baseline (the DynamoDB writes and gateway round trip alone, same concurrency): ${baseline.ordersPerSecond.toFixed(0)} orders/s, ${fmt(baseline.latencyMs)}`);
      console.log(`  ratio (checkout p50 / baseline p50): ${ratio.toFixed(2)}`);
      console.log(`  ${at1000.requests} at ${at1000.concurrency} concurrent: ${fmt(at1000.latencyMs)}, statuses ${JSON.stringify(at1000.statuses)} (retried ${JSON.stringify(at1000.retried)}), lost ${at1000.lost}, doubled ${at1000.doubled}, stock leaked ${at1000.stockLeaked}`);
      console.log(`targets: ratio ≤ ${MAX_CHECKOUT_RATIO}, p99 ≤ ${MAX_CHECKOUT_P99_MS} ms at 200 concurrent, 0 lost, 0 doubled, 0 stock leaked`);
      for (const [missedTarget, what] of [
        [ratio > MAX_CHECKOUT_RATIO, 'checkout/baseline ratio'],
        [at200.latencyMs.p99 > MAX_CHECKOUT_P99_MS, 'checkout p99 at 200 concurrent'],
        [at200.lost + at200.doubled + at200.stockLeaked + at1000.lost + at1000.doubled + at1000.stockLeaked > 0, 'nothing lost, doubled or leaked'],
      ] as const) {
        if (missedTarget) {
          console.log(`  MISSED: ${what}`);
          missed += 1;
        }
      }

      // Quotes: every carrier answering, then Pathao answering only after 6 s (past the 2.5 s deadline). At most 4 at
      // once: the local runtime runs 4 instances of a function, so more would measure its queue, not the deadline.
      await benchQuotes(runtime.endpoints, { requests: 8, concurrency: 4 });
      const quotesNormal = await benchQuotes(runtime.endpoints, { requests: 100, concurrency: 4 });
      const quotesSlow = await benchQuotes(runtime.endpoints, { requests: 40, concurrency: 4, slow: simulators.pathao, slowMs: 6_000 });
      const q = (r: typeof quotesNormal) => `p50 ${r.latencyMs.p50.toFixed(0)} ms, p99 ${r.latencyMs.p99.toFixed(0)} ms, max ${r.latencyMs.max.toFixed(0)} ms, degraded ${r.degraded}/${r.requests}, statuses ${JSON.stringify(r.statuses)}`;
      console.log(`\nShipping quotes (Pathao, Steadfast, EasyPost eligible), 4 concurrent`);
      console.log(`  every carrier answering: ${q(quotesNormal)}`);
      console.log(`  Pathao slow (6 s):       ${q(quotesSlow)}`);
      console.log(`target: p99 ≤ ${MAX_QUOTE_P99_WITH_SLOW_CARRIER_MS} ms with a slow carrier (deadline 2.5 s), every such answer degraded`);
      if (quotesSlow.latencyMs.p99 > MAX_QUOTE_P99_WITH_SLOW_CARRIER_MS || quotesSlow.degraded !== quotesSlow.requests) {
        console.log('  MISSED: quote deadline with a slow carrier');
        missed += 1;
      }

      const notifications = await benchNotifications(runtime.endpoints, 200);
      console.log(`\nNotifications through the queue (order.paid → confirmation e-mail + seller SMS, instant simulators): ${notifications.perSecond.toFixed(1)} notifications/s (${notifications.delivered}/${notifications.count} delivered); baseline bare SES SendEmail ${notifications.baselinePerSecond.toFixed(0)}/s`);
      if (notifications.delivered < notifications.count) {
        console.log('  MISSED: every notification delivered');
        missed += 1;
      }
    } finally {
      await runtime.stop();
      await Promise.all(Object.values(simulators).map((simulator) => simulator.stop()));
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (missed > 0) {
    console.log(`\n${missed} target(s) missed`);
    process.exitCode = 1;
  }
};

void main();
