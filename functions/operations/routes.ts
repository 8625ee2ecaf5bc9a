import * as z from 'zod/mini';
import { defineRoute } from '../_platform/openapi';

const dependencyHealthSchema = z.object({
  name: z.string(),
  status: z.enum(['ok', 'error']),
  latencyMs: z.int(),
  error: z.optional(z.string()),
});

/** The health report, the same shape for 200 and 503. */
export const healthReportSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  checkedAt: z.iso.datetime(),
  dependencies: z.array(dependencyHealthSchema),
});

export const getHealthRoute = defineRoute({
  operationId: 'getHealth',
  method: 'GET',
  path: '/health',
  summary: 'Probe the tables, the events topic and the provider secrets',
  auth: 'none',
  responses: {
    200: { description: 'Every dependency answered in time', schema: healthReportSchema },
    503: { description: 'At least one dependency failed or timed out', schema: healthReportSchema },
  },
});

export const getOpenApiRoute = defineRoute({
  operationId: 'getOpenApi',
  method: 'GET',
  path: '/openapi.json',
  summary: 'This document',
  auth: 'none',
  responses: { 200: { description: 'The OpenAPI 3.1 document of the API' } },
});

const providerHealthSchema = z.object({
  provider: z.string(),
  breaker: z.object({
    state: z.enum(['closed', 'open', 'half_open']),
    consecutiveFailures: z.int(),
    openedAt: z.optional(z.string()),
    lastFailureAt: z.optional(z.string()),
  }),
  calls: z.int(),
  errorRate: z.nullable(z.number()),
  latencyMs: z.nullable(z.object({ p50: z.number(), p95: z.number() })),
});

export const getIntegrationHealthRoute = defineRoute({
  operationId: 'getIntegrationHealth',
  method: 'GET',
  path: '/ops/health',
  summary: 'Operators: every provider’s circuit breaker, error rate and latency over its latest calls',
  auth: 'iam',
  responses: {
    200: { description: 'One entry per provider', schema: z.object({ checkedAt: z.iso.datetime(), providers: z.array(providerHealthSchema) }) },
  },
});

/** Every route of the operations capability. */
export const operationsRoutes = [getHealthRoute, getOpenApiRoute, getIntegrationHealthRoute];
