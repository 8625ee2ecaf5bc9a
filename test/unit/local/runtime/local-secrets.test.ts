import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadLocalSecrets } from '../../../../local/runtime/local-secrets';
import { LocalRuntimeError } from '../../../../local/runtime/template';

const aFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'secrets-')), 'nested', 'secrets.json');

describe('loadLocalSecrets', () => {
  it('creates the file with the template’s sandbox values on first start, readable by the owner only', () => {
    const file = aFile();
    const values = loadLocalSecrets(file, { bkash: { baseUrl: 'https://sandbox' } });
    expect(values).toEqual({ bkash: { baseUrl: 'https://sandbox' } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(values);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps what the user edited and adds providers that are new in the template', () => {
    const file = aFile();
    loadLocalSecrets(file, { bkash: { baseUrl: 'https://sandbox' } });
    writeFileSync(file, JSON.stringify({ bkash: { baseUrl: 'http://127.0.0.1:9000', appKey: 'mine' } }));
    const values = loadLocalSecrets(file, { bkash: { baseUrl: 'https://sandbox' }, nagad: { baseUrl: 'https://nagad' } });
    expect(values).toEqual({ bkash: { baseUrl: 'http://127.0.0.1:9000', appKey: 'mine' }, nagad: { baseUrl: 'https://nagad' } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(values);
  });

  it('switches a provider the user never configured to its simulator once it has one, and leaves edited ones alone', () => {
    const file = aFile();
    const sandbox = { pathao: { baseUrl: 'https://pathao-sandbox' }, ghn: { baseUrl: 'https://ghn-sandbox' } };
    loadLocalSecrets(file, sandbox, sandbox);
    writeFileSync(file, JSON.stringify({ ...sandbox, ghn: { baseUrl: 'https://ghn-sandbox', token: 'mine' } }));

    const values = loadLocalSecrets(file, { pathao: { simulator: true }, ghn: { simulator: true } }, sandbox);

    expect(values).toEqual({ pathao: { simulator: true }, ghn: { baseUrl: 'https://ghn-sandbox', token: 'mine' } });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(values);
  });

  it('says what to do with a file that is not JSON', () => {
    const file = aFile();
    loadLocalSecrets(file, {});
    writeFileSync(file, '{ not json');
    expect(() => loadLocalSecrets(file, {})).toThrow(LocalRuntimeError);
    expect(() => loadLocalSecrets(file, {})).toThrow(/delete it to start from sandbox values/);
  });
});
