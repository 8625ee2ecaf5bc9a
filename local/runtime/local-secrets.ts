import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { LocalRuntimeError } from './template';

/** Provider id → the JSON object its secret holds locally. */
export type LocalSecretValues = Record<string, Record<string, unknown>>;

/**
 * The values of the provider secrets in local mode, from a git-ignored file. On first start the file is written with
 * the template's sandbox values; a provider added later is appended with its template value, and whatever the user
 * edited is kept. Secrets never go into the repository or the template.
 */
export const loadLocalSecrets = (file: string, templateValues: Readonly<LocalSecretValues>): LocalSecretValues => {
  let stored: LocalSecretValues = {};
  const exists = existsSync(file);
  if (exists) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as LocalSecretValues;
    } catch (err) {
      throw new LocalRuntimeError(`${file} is not valid JSON (${(err as Error).message}): fix it or delete it to start from sandbox values`);
    }
  }
  const merged: LocalSecretValues = { ...templateValues, ...stored };
  if (!exists || Object.keys(merged).some((provider) => !(provider in stored))) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  }
  return merged;
};
