// @middy/core 6 is ESM-only; jest's CommonJS loader cannot load it, Node's own require can (Node >= 20.19).
// jest.config.js maps the id here, so the real package runs in tests; nothing is faked.
module.exports = process.getBuiltinModule('node:module').createRequire(__filename)('@middy/core');
