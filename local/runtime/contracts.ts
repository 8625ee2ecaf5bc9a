/**
 * The seams between the parts of the local runtime. The orchestrator (runtime.ts) reads the synthesized
 * template, resolves intrinsics to local names/URLs and hands each emulator plain resource descriptions;
 * emulators never read the template themselves.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** One AWS service speaking its wire protocol, mounted on the shared AWS endpoint (one port for all services). */
export interface AwsService {
  readonly name: string;
  /** True when the request belongs to this service (X-Amz-Target prefix, SNS query Action, path …). */
  matches(req: IncomingMessage): boolean;
  handle(req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void>;
}

/** Outcome of invoking a local Lambda function, shaped like Lambda's Invoke (FunctionError = "Unhandled"). */
export type InvokeResult =
  | { ok: true; payload: unknown }
  | { ok: false; errorType: string; errorMessage: string; trace?: string[] };

/** Invokes a local function by name or ARN (what a template's Ref/GetAtt resolved to). */
export type InvokeFunction = (functionNameOrArn: string, payload: unknown) => Promise<InvokeResult>;

/** Something started that must be stopped on Ctrl-C. */
export interface Stoppable {
  stop(): Promise<void>;
}
