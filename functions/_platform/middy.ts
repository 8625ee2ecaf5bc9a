import type middyCore from '@middy/core' with { 'resolution-mode': 'import' };

export type { MiddlewareObj, MiddyfiedHandler } from '@middy/core' with { 'resolution-mode': 'import' };

// @middy/core 6 is ESM-only and this project compiles to CommonJS. Node ≥ 20.19 / 22.12 loads an ES module
// through require() natively, and esbuild bundles the require like any import, so this one line is the only
// place that knows. (jest's own module loader cannot; tests route this id to Node's loader.)
const loaded = require('@middy/core') as { default: typeof middyCore };

/** The middy engine; used only by the handler factories in this folder. */
export const middy = loaded.default;
