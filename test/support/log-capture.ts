/** One structured line a Powertools Logger or Metrics wrote. */
export type LogLine = Record<string, unknown>;

/**
 * Captures what the Powertools Logger and Metrics write to stdout/stderr (JSON lines) and keeps it off the test
 * output. Call `stop()` in afterEach/afterAll.
 */
export const captureLogs = () => {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(record);
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(record);
  const lines = (): LogLine[] =>
    chunks
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  return {
    /** Log lines (those with a `message`). */
    logs: () => lines().filter((line) => 'message' in line),
    /** EMF metric documents (those with `_aws`). */
    metrics: () => lines().filter((line) => '_aws' in line),
    clear: () => {
      chunks.length = 0;
    },
    stop: () => {
      stdout.mockRestore();
      stderr.mockRestore();
    },
  };
};
