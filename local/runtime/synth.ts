import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addCommerceHub } from '../../lib/app';
import { EnvironmentConfig } from '../../lib/config/environments';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** cdk.json's context (feature flags): what `cdk synth` and `cdk deploy` apply, and so every in-process synth too. */
export const cdkJsonContext = (): Record<string, unknown> =>
  (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> }).context ?? {};

/**
 * Synthesizes the app in this process, offline, exactly as `cdk synth` would: the same stacks, cdk.json's feature
 * flags, and esbuild bundles in `<outdir>/asset.<hash>/`. Asset and path metadata are on, as the CLI sets them, so
 * each function names its bundle directory and each resource its construct path. cdk-nag is not run here (the tests
 * run it); it changes no template.
 */
export const synthesize = (config: EnvironmentConfig, outdir: string): string => {
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), env: config.name, 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true },
  });
  addCommerceHub(app, config);
  return app.synth().directory;
};
