import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { commonConfigShape, loadConfig } from './config';

export { MetricUnit } from '@aws-lambda-powertools/metrics';

const config = loadConfig(z.object(commonConfigShape));

/**
 * The function's one Logger. JSON lines with the Lambda context injected per invocation by the handler
 * factories, which also reset appended keys afterwards. Never log whole events, secrets or card data;
 * pass personal data through `maskPii` first.
 */
export const logger = new Logger({
  serviceName: config.POWERTOOLS_SERVICE_NAME,
  persistentKeys: { environment: config.APP_ENV },
});

// Metrics reports its own problems through this logger, as JSON at the configured level. It warns on every
// invocation that adds no metric, which is normal for most handlers: that one notice is dropped (at debug level it
// was a line per invocation in every dev log, saying nothing).
const NO_METRICS_NOTICE = 'No application metrics to publish';
const metricsLogger = {
  debug: (message: string) => logger.debug(message),
  info: (message: string) => logger.info(message),
  warn: (message: string) => {
    if (!message.startsWith(NO_METRICS_NOTICE)) logger.warn(message);
  },
  error: (message: string) => logger.error(message),
};

/** The function's one Metrics instance (EMF); flushed by the handler factories after every invocation. */
export const metrics = new Metrics({
  namespace: config.POWERTOOLS_METRICS_NAMESPACE,
  serviceName: config.POWERTOOLS_SERVICE_NAME,
  logger: metricsLogger,
});

// Tracing: the Powertools Tracer is deliberately absent. Measured on list-products: +124 KB minified (aws-xray-sdk-core,
// semver, cls-hooked), +12 ms cold import (+24 %), and its CommonJS requires of Node built-ins break an ESM bundle
// without a createRequire banner. Lambda active tracing still records every invocation's segment.

export { maskPii } from './pii';
