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

/** Every route of the operations capability. */
export const operationsRoutes = [getHealthRoute, getOpenApiRoute];
