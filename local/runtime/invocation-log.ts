import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsService, InvokeFunction } from './contracts';

/** Who invoked a function locally. */
export type InvocationSource = 'apigateway' | 'sqs' | 'stepfunctions' | 'events';

export interface InvocationRecord {
  readonly functionName: string;
  readonly source: InvocationSource;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly ok: boolean;
  readonly errorType?: string;
  /** For SQS batches: each message (by a digest of its body, never the body) and whether the function failed it. */
  readonly messages?: ReadonlyArray<{ readonly messageId: string; readonly bodySha256: string; readonly failed: boolean }>;
}

export interface BatchRecord {
  readonly functionName: string;
  readonly queueArn: string;
  readonly at: string;
  readonly messageIds: readonly string[];
  readonly failedMessageIds: readonly string[];
  readonly error?: string;
}

const KEEP = 2000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Which messages of an SQS event the function handled: all on success, none on error, else all but batchItemFailures. */
const sqsOutcome = (payload: unknown, result: Awaited<ReturnType<InvokeFunction>>) => {
  const records = (payload as { Records?: Array<{ messageId: string; body: string }> }).Records ?? [];
  const failures = result.ok
    ? new Set(((result.payload as { batchItemFailures?: Array<{ itemIdentifier: string }> } | null)?.batchItemFailures ?? []).map((f) => f.itemIdentifier))
    : undefined;
  return records.map((r) => ({ messageId: r.messageId, bodySha256: sha256(r.body), failed: failures ? failures.has(r.messageId) : true }));
};

/**
 * The last invocations and SQS batches of the local runtime: what CloudWatch's Lambda metrics and logs would tell in
 * AWS. Served at `GET /_local/invocations` on the AWS endpoint for tests and the operator console.
 */
export class InvocationLog {
  private readonly records: InvocationRecord[] = [];
  private readonly batches: BatchRecord[] = [];

  /** Wraps an invoker so every call is recorded with its source. */
  wrap(invoke: InvokeFunction, source: InvocationSource): InvokeFunction {
    return async (functionName, payload) => {
      const started = Date.now();
      const result = await invoke(functionName, payload);
      this.push(this.records, {
        functionName: functionName.replace(/^.*:function:/, '').replace(/:.*$/, ''),
        source,
        startedAt: new Date(started).toISOString(),
        durationMs: Date.now() - started,
        ok: result.ok,
        errorType: result.ok ? undefined : result.errorType,
        messages: source === 'sqs' ? sqsOutcome(payload, result) : undefined,
      });
      return result;
    };
  }

  recordBatch(report: { functionName: string; queueArn: string; messageIds: string[]; failedMessageIds: string[]; error?: string }): void {
    this.push(this.batches, { ...report, at: new Date().toISOString() });
  }

  snapshot(functionName?: string): { invocations: InvocationRecord[]; batches: BatchRecord[] } {
    const match = (r: { functionName: string }) => !functionName || r.functionName === functionName;
    return { invocations: this.records.filter(match), batches: this.batches.filter(match) };
  }

  private push<T>(list: T[], item: T): void {
    list.push(item);
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
  }
}

/** `GET /_local/invocations[?function=<name>]` on the shared AWS endpoint. */
export const invocationLogService = (log: InvocationLog): AwsService => ({
  name: 'local-invocations',
  matches: (req: IncomingMessage) => req.method === 'GET' && (req.url ?? '').startsWith('/_local/invocations'),
  async handle(req: IncomingMessage, _body: Buffer, res: ServerResponse) {
    const functionName = new URL(req.url ?? '/', 'http://local').searchParams.get('function') ?? undefined;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(log.snapshot(functionName)));
  },
});
