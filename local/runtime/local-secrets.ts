import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalRuntimeError } from './template';

/** Provider id → the JSON object its secret holds locally. */
export type LocalSecretValues = Record<string, Record<string, unknown>>;

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The values of the provider secrets in local mode, from a git-ignored file. On first start the file is written with
 * `defaults` (`{"simulator": true}` for a simulated provider, else the template's sandbox value); a provider added
 * later is appended with its default, and whatever the user edited is kept. An entry still holding the template's
 * own value (`untouched`: never edited) follows the current default, so a provider that has gained a simulator since
 * the file was written switches to it. Secrets never go into the repository or the template.
 */
export const loadLocalSecrets = (
  file: string,
  defaults: Readonly<LocalSecretValues>,
  untouched: Readonly<LocalSecretValues> = {},
): LocalSecretValues => {
  let stored: LocalSecretValues = {};
  const exists = existsSync(file);
  if (exists) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as LocalSecretValues;
    } catch (err) {
      throw new LocalRuntimeError(`${file} is not valid JSON (${(err as Error).message}): fix it or delete it to start from sandbox values`);
    }
  }
  const upgraded = Object.fromEntries(Object.entries(stored).map(([provider, value]) =>
    [provider, provider in untouched && sameJson(value, untouched[provider]) && provider in defaults ? defaults[provider] : value]));
  const merged: LocalSecretValues = { ...defaults, ...upgraded };
  if (!exists || Object.keys(merged).some((provider) => !sameJson(merged[provider], stored[provider]))) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  }
  return merged;
};
