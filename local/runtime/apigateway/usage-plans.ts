import { GatewayError } from './gateway-responses';

/** One AWS::ApiGateway::ApiKey with the usage plans it is attached to (AWS::ApiGateway::UsagePlanKey). */
export interface ApiKeyDefinition {
  id: string;
  name: string;
  value: string;
  usagePlanIds: string[];
}

/** One AWS::ApiGateway::UsagePlan that covers this API's stage. */
export interface UsagePlanDefinition {
  id: string;
  throttle?: { rateLimit: number; burstLimit: number };
  quota?: { limit: number; period: 'DAY' | 'WEEK' | 'MONTH' };
}

interface KeyUsage {
  tokens: number;
  refilledAt: number;
  quotaWindow: number;
  quotaUsed: number;
}

/** Start (ms) of the UTC quota window that contains `now`; weeks start on Monday. */
function quotaWindowStart(period: 'DAY' | 'WEEK' | 'MONTH', now: number): number {
  const d = new Date(now);
  if (period === 'MONTH') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return period === 'DAY' ? day : day - ((d.getUTCDay() + 6) % 7) * 86_400_000;
}

/**
 * API keys and usage plans of one stage: which keys are valid, and each key's throttle (a token bucket of
 * `burstLimit` tokens refilled at `rateLimit` per second) and quota.
 */
export function createUsagePlans(
  keys: readonly ApiKeyDefinition[],
  plans: readonly UsagePlanDefinition[],
  clock: () => number = Date.now,
) {
  const planById = new Map(plans.map((plan) => [plan.id, plan]));
  const usage = new Map<string, KeyUsage>();

  return {
    /**
     * The key whose value the request sent (x-api-key). A missing key, an unknown one or one in no usage plan
     * of this stage is rejected with INVALID_API_KEY, AWS's plain 403 "Forbidden".
     */
    identify(apiKeyValue: string | undefined): { key: ApiKeyDefinition; plan: UsagePlanDefinition } {
      const key = apiKeyValue ? keys.find((k) => k.value === apiKeyValue) : undefined;
      const plan = key?.usagePlanIds.map((id) => planById.get(id)).find((p) => p !== undefined);
      if (!key || !plan) throw new GatewayError('INVALID_API_KEY', 'Forbidden', 'ForbiddenException');
      return { key, plan };
    },

    /** Counts one request against the key's plan; throws THROTTLED or QUOTA_EXCEEDED (both 429) when over. */
    admit(key: ApiKeyDefinition, plan: UsagePlanDefinition): void {
      const now = clock();
      const capacity = Math.max(1, plan.throttle?.burstLimit ?? 1);
      const state = usage.get(key.id) ?? { tokens: capacity, refilledAt: now, quotaWindow: 0, quotaUsed: 0 };
      usage.set(key.id, state);
      if (plan.throttle) {
        state.tokens = Math.min(capacity, state.tokens + ((now - state.refilledAt) / 1000) * plan.throttle.rateLimit);
        state.refilledAt = now;
        if (state.tokens < 1) throw new GatewayError('THROTTLED', 'Too Many Requests', 'TooManyRequestsException');
      }
      if (plan.quota) {
        const window = quotaWindowStart(plan.quota.period, now);
        if (window !== state.quotaWindow) {
          state.quotaWindow = window;
          state.quotaUsed = 0;
        }
        if (state.quotaUsed >= plan.quota.limit) throw new GatewayError('QUOTA_EXCEEDED', 'Limit Exceeded', 'LimitExceededException');
        state.quotaUsed += 1;
      }
      if (plan.throttle) state.tokens -= 1;
    },
  };
}
