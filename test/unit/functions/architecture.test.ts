import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

// STYLE.md §1 rule 1: a capability's domain never imports aws-lambda, @aws-sdk/*, @middy/*,
// @aws-lambda-powertools/*, its adapters or its handlers, not even for types, and not through a helper it imports.
const FUNCTIONS = path.resolve(__dirname, '../../../functions');
const FORBIDDEN_PACKAGES = [/^aws-lambda$/, /^@aws-sdk\//, /^@middy\//, /^@aws-lambda-powertools\//];
const FORBIDDEN_FOLDERS = /[\\/](adapters|handlers|gateways|carriers|channels)[\\/]/;

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;

/** Every module specifier a TypeScript source mentions: imports (type ones too), re-exports, require, import(). */
const specifiersOf = (source: string): string[] => [...source.matchAll(SPECIFIER)].map((match) => match[1]);

const resolveRelative = (from: string, specifier: string): string | undefined =>
  [`${specifier}.ts`, path.join(specifier, 'index.ts')].map((candidate) => path.resolve(path.dirname(from), candidate)).find(existsSync);

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });

/** What a domain file reaches that it must not: forbidden packages (directly or through relative imports) and adapter/handler files. */
const violationsOf = (file: string, root = FUNCTIONS): string[] => {
  const violations: string[] = [];
  const seen = new Set<string>();
  const visit = (current: string, chain: string[]) => {
    if (seen.has(current)) return;
    seen.add(current);
    for (const specifier of specifiersOf(readFileSync(current, 'utf8'))) {
      const via = [...chain, specifier].join(' → ');
      if (!specifier.startsWith('.')) {
        if (FORBIDDEN_PACKAGES.some((pattern) => pattern.test(specifier))) violations.push(via);
        continue;
      }
      const target = resolveRelative(current, specifier);
      if (!target) continue;
      if (FORBIDDEN_FOLDERS.test(path.sep + path.relative(root, target))) violations.push(via);
      else visit(target, [...chain, specifier]);
    }
  };
  visit(file, []);
  return violations;
};

const domainFiles = readdirSync(FUNCTIONS)
  .map((capability) => path.join(FUNCTIONS, capability, 'domain'))
  .filter(existsSync)
  .flatMap(filesUnder);

describe('the import rule for domain code', () => {
  it('finds domain files to check', () => {
    expect(domainFiles.length).toBeGreaterThan(5);
  });

  it.each(domainFiles.map((file) => [path.relative(FUNCTIONS, file), file]))('%s imports no AWS, middy, Powertools, adapter or handler code', (_name, file) => {
    expect(violationsOf(file)).toEqual([]);
  });

  it('sees every form of import, so the rule cannot be dodged', () => {
    const source = [
      "import type { Context } from 'aws-lambda';",
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "export { x } from '../adapters/x.dynamo';",
      "const m = require('@middy/core');",
      "const p = import('@aws-lambda-powertools/logger');",
      "import './side-effect';",
    ].join('\n');
    expect(specifiersOf(source)).toEqual(['aws-lambda', '@aws-sdk/client-dynamodb', '../adapters/x.dynamo', '@middy/core', '@aws-lambda-powertools/logger', './side-effect']);
  });

  it('flags an adapter import and an SDK reached through a helper', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'architecture-'));
    try {
      const write = (file: string, source: string) => {
        mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
        writeFileSync(path.join(root, file), source);
      };
      write('shop/domain/place-order.ts', "import { helper } from './helper';\nimport { repo } from '../adapters/orders.dynamo';\n");
      write('shop/domain/helper.ts', "import { SNSClient } from '@aws-sdk/client-sns';\n");
      write('shop/adapters/orders.dynamo.ts', 'export const repo = 1;\n');

      expect(violationsOf(path.join(root, 'shop/domain/place-order.ts'), root)).toEqual([
        './helper → @aws-sdk/client-sns',
        '../adapters/orders.dynamo',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
