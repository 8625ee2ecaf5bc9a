import { buildSync } from 'esbuild';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as errors from '../../../../functions/_platform/errors';

const ERROR_CLASSES = [
  'ValidationError',
  'UnauthorizedError',
  'UnverifiedError',
  'ForbiddenError',
  'NotFoundError',
  'ConflictError',
  'ConcurrentUpdateError',
  'RuleViolationError',
  'IdempotencyKeyReusedError',
  'RequestInProgressError',
  'ProviderRetryableError',
  'ProviderTerminalError',
  'ProviderIndeterminateError',
] as const;

const instanceOf = (name: (typeof ERROR_CLASSES)[number], module: Record<string, unknown> = errors): Error => {
  const ErrorClass = module[name] as new (...args: unknown[]) => Error;
  if (name === 'RuleViolationError') return new ErrorClass('RULE', 'message');
  if (name === 'ProviderTerminalError') return new ErrorClass('bkash', 'payment', 'message');
  if (name.startsWith('Provider')) return new ErrorClass('bkash', 'message');
  return new ErrorClass('message');
};

describe('domain errors', () => {
  it('carry a cause and their message', () => {
    const cause = new Error('socket hang up');
    const error = new errors.ProviderRetryableError('nagad', 'nagad unreachable', { cause });
    expect(error).toMatchObject({ message: 'nagad unreachable', cause, provider: 'nagad', details: { provider: 'nagad' } });
  });

  it('are named after their class, which is the error type Step Functions matches in Retry and Catch', () => {
    for (const name of ERROR_CLASSES) expect(instanceOf(name).name).toBe(name);
  });

  it('keep those names in a minified bundle, where class names are mangled', () => {
    const bundle = buildSync({
      entryPoints: [path.resolve(__dirname, '../../../../functions/_platform/errors.ts')],
      bundle: true,
      minify: true,
      format: 'cjs',
      platform: 'node',
      write: false,
    });
    const module = { exports: {} as Record<string, unknown> };
    vm.runInNewContext(bundle.outputFiles[0].text, { module, exports: module.exports });

    for (const name of ERROR_CLASSES) expect(instanceOf(name, module.exports).name).toBe(name);
  });
});
