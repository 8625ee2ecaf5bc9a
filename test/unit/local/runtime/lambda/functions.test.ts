import type { InvokeResult } from '../../../../../local/runtime/contracts';
import type { FunctionPool } from '../../../../../local/runtime/lambda/function-pool';
import { createFunctionRegistry } from '../../../../../local/runtime/lambda/functions';

/** A pool that answers with its own name, so a test sees which function an invocation reached. */
function namedPool(name: string): FunctionPool & { stopped: boolean } {
  return {
    name,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    stopped: false,
    invoke: async (event): Promise<InvokeResult> => ({ ok: true, payload: { name, event } }),
    stats: () => ({ instances: 0, busy: 0, queued: 0, invocations: 0, coldStarts: 0 }),
    async stop() {
      this.stopped = true;
    },
  };
}

describe('createFunctionRegistry', () => {
  const orders = namedPool('CommerceHub-dev-Service-PlaceOrderFn1A2B3C');
  const health = namedPool('GetHealthFn');
  const registry = createFunctionRegistry([orders, health]);

  it.each([
    ['a function name', 'GetHealthFn'],
    ['a full ARN', 'arn:aws:lambda:us-east-1:000000000000:function:GetHealthFn'],
    ['a qualified ARN', 'arn:aws:lambda:us-east-1:000000000000:function:GetHealthFn:$LATEST'],
    ['a partial ARN', '000000000000:function:GetHealthFn'],
    ['a name with a qualifier', 'GetHealthFn:live'],
  ])('invokes by %s', async (_, reference) => {
    expect(await registry.invoke(reference, { ping: 1 })).toEqual({ ok: true, payload: { name: 'GetHealthFn', event: { ping: 1 } } });
    expect(registry.get(reference)).toBe(health);
  });

  it.each([
    ['an unknown name', 'NoSuchFn', 'NoSuchFn'],
    ['another account', 'arn:aws:lambda:us-east-1:111111111111:function:GetHealthFn', 'GetHealthFn'],
    ['another region', 'arn:aws:lambda:eu-west-1:000000000000:function:GetHealthFn', 'GetHealthFn'],
  ])('answers ResourceNotFoundException for %s', async (_, reference, name) => {
    expect(await registry.invoke(reference, {})).toEqual({
      ok: false,
      errorType: 'ResourceNotFoundException',
      errorMessage: `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    });
    expect(registry.get(reference)).toBeUndefined();
  });

  it('stops every pool', async () => {
    await registry.stop();
    expect([orders.stopped, health.stopped]).toEqual([true, true]);
  });
});
