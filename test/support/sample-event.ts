import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** A sample invocation payload from events/ (the same files a developer feeds a function by hand). */
export const sampleEvent = <T>(relativePath: string): T =>
  JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'events', relativePath), 'utf8')) as T;
