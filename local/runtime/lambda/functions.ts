import { LOCAL_ACCOUNT_ID, LOCAL_REGION, type InvokeFunction, type Stoppable } from '../contracts';
import type { FunctionPool } from './function-pool';

export interface FunctionRegistry extends Stoppable {
  /** Invokes a function by name, full ARN or partial ARN; an unknown one gives ResourceNotFoundException. */
  invoke: InvokeFunction;
  /** The pool behind a name, full ARN or partial ARN (`000000000000:function:Name`), if there is one. */
  get(functionNameOrArn: string): FunctionPool | undefined;
}

// The forms Lambda accepts for FunctionName, each with an optional :qualifier.
const FULL_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/;
const PARTIAL_ARN = /^(\d{12}):function:([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/;
const NAME = /^([A-Za-z0-9_-]+)(?::[A-Za-z0-9_$-]+)?$/;

interface FunctionReference {
  name: string;
  region: string;
  accountId: string;
}

function parseReference(functionNameOrArn: string): FunctionReference | undefined {
  const full = FULL_ARN.exec(functionNameOrArn);
  if (full) return { region: full[1], accountId: full[2], name: full[3] };
  const partial = PARTIAL_ARN.exec(functionNameOrArn);
  if (partial) return { region: LOCAL_REGION, accountId: partial[1], name: partial[2] };
  const name = NAME.exec(functionNameOrArn);
  return name ? { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, name: name[1] } : undefined;
}

/**
 * Indexes the function pools of the local runtime. Qualifiers (`:$LATEST`, a version or an alias) are accepted
 * and ignored: locally every function has only its latest code.
 */
export function createFunctionRegistry(pools: readonly FunctionPool[]): FunctionRegistry {
  const byName = new Map(pools.map((pool) => [pool.name, pool]));

  function get(functionNameOrArn: string): FunctionPool | undefined {
    const ref = parseReference(functionNameOrArn);
    if (!ref || ref.region !== LOCAL_REGION || ref.accountId !== LOCAL_ACCOUNT_ID) return undefined;
    return byName.get(ref.name);
  }

  return {
    get,
    async invoke(functionNameOrArn, payload) {
      const pool = get(functionNameOrArn);
      if (!pool) {
        const name = parseReference(functionNameOrArn)?.name ?? functionNameOrArn;
        return {
          ok: false,
          errorType: 'ResourceNotFoundException',
          errorMessage: `Function not found: arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${name}`,
        };
      }
      return pool.invoke(payload);
    },
    async stop() {
      await Promise.all(pools.map((pool) => pool.stop()));
    },
  };
}
