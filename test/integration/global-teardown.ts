export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as { __COMMERCE_HUB_RUNTIME__?: { stop(): Promise<void>; flushLog(): void; logFile: string } }).__COMMERCE_HUB_RUNTIME__;
  if (!state) return;
  // Function logs are kept in a file rather than interleaved with jest's output.
  state.flushLog();
  process.stdout.write(`\nlocal runtime log: ${state.logFile}\n`);
  await state.stop();
}
