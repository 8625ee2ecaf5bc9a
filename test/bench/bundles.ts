import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { BUNDLE_SETTINGS } from '../../lib/constructs/service-function';

/** Bundles the baseline handler with the esbuild settings every function bundle uses. */
export const buildBaseline = async (outdir: string): Promise<string> => {
  const outfile = path.join(outdir, 'baseline', 'index.mjs');
  await build({
    entryPoints: [path.join(__dirname, 'baseline-handler.ts')],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_SETTINGS.target,
    mainFields: [...BUNDLE_SETTINGS.mainFields],
    banner: { js: BUNDLE_SETTINGS.banner },
    alias: { ...BUNDLE_SETTINGS.alias },
    external: [...BUNDLE_SETTINGS.external],
    logLevel: 'warning',
  });
  return outfile;
};

export const sizeOf = (file: string): number => statSync(file).size;

/**
 * Milliseconds a fresh Node process spends importing the bundle (the module-load part of a cold start), measured
 * inside that process so process start-up is not counted.
 */
export const importTimeMs = (file: string, env: Record<string, string>): number => {
  const script = `const t=process.hrtime.bigint();await import(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`importing ${file} failed: ${run.stderr.split('\n').slice(0, 3).join(' ')}`);
  return Number(run.stdout);
};

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
