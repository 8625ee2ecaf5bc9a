/**
 * Task deadlines (TimeoutSeconds / HeartbeatSeconds) and the registry of callback task tokens that
 * SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat address. Every task attempt gets a fresh token; a token
 * stays known after its task closed so late callers get AWS's answer (TaskTimedOut or TaskDoesNotExist).
 */
import { randomBytes } from 'node:crypto';
import { AwsServiceError } from '../aws-protocol';
import type { Json } from './definition';

export type DeadlineKind = 'timeout' | 'heartbeat';

export interface TaskLimits {
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

/**
 * Rejects `expired` when the task runs past `timeoutSeconds` or goes `heartbeatSeconds` without `beat()`.
 * Timers are unref'd: a deadline alone never keeps the process alive.
 */
export class TaskDeadline {
  readonly expired: Promise<never>;
  private timeoutTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private expire!: (error: Error) => void;

  constructor(
    private readonly limits: TaskLimits,
    private readonly timeoutError: (kind: DeadlineKind, seconds: number) => Error,
  ) {
    this.expired = new Promise<never>((_resolve, reject) => {
      this.expire = reject;
    });
    // Raced by the caller; this only keeps a deadline that nobody awaits any more from being "unhandled".
    this.expired.catch(() => undefined);
    if (limits.timeoutSeconds !== undefined) {
      this.timeoutTimer = this.arm('timeout', limits.timeoutSeconds);
    }
    this.beat();
  }

  /** Restarts the heartbeat clock (SendTaskHeartbeat). */
  beat(): void {
    if (this.limits.heartbeatSeconds === undefined) return;
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = this.arm('heartbeat', this.limits.heartbeatSeconds);
  }

  clear(): void {
    clearTimeout(this.timeoutTimer);
    clearTimeout(this.heartbeatTimer);
  }

  private arm(kind: DeadlineKind, seconds: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.clear();
      this.expire(this.timeoutError(kind, seconds));
    }, seconds * 1000);
    timer.unref();
    return timer;
  }
}

interface OpenTask {
  owner: string;
  deadline: TaskDeadline;
  resolve: (output: Json) => void;
  reject: (error: Error) => void;
}

type ClosedReason = 'timed-out' | 'closed';

export interface IssuedTask {
  token: string;
  /** Settles with SendTaskSuccess's output, or rejects with the failure, timeout or close error. */
  outcome: Promise<Json>;
}

export class TaskTokenRegistry {
  private readonly open = new Map<string, OpenTask>();
  private readonly closed = new Map<string, ClosedReason>();

  /** Opens a callback task owned by `owner` (an execution ARN) with its own deadline. */
  issue(owner: string, deadline: TaskDeadline): IssuedTask {
    const token = randomBytes(48).toString('base64url');
    const outcome = new Promise<Json>((resolve, reject) => {
      this.open.set(token, { owner, deadline, resolve, reject });
    });
    deadline.expired.catch((error: Error) => this.settle(token, 'timed-out', (task) => task.reject(error)));
    return { token, outcome };
  }

  /** SendTaskSuccess. */
  succeed(token: string, output: Json): void {
    this.openTask(token);
    this.settle(token, 'closed', (task) => task.resolve(output));
  }

  /** SendTaskFailure. */
  fail(token: string, error: Error): void {
    this.openTask(token);
    this.settle(token, 'closed', (task) => task.reject(error));
  }

  /** SendTaskHeartbeat. */
  heartbeat(token: string): void {
    this.openTask(token).deadline.beat();
  }

  isOpen(token: string): boolean {
    return this.open.has(token);
  }

  /** Fails the task if it is still open (its invocation failed); a no-op once it closed. */
  abandon(token: string, error: Error): void {
    this.settle(token, 'closed', (task) => task.reject(error));
  }

  /** Closes every open task of `owner` (its execution ended or was stopped), rejecting their waits with `error`. */
  closeOwner(owner: string, error: Error): void {
    for (const [token, task] of this.open) {
      if (task.owner === owner) this.settle(token, 'closed', (open) => open.reject(error));
    }
  }

  closeAll(error: Error): void {
    for (const token of [...this.open.keys()]) this.settle(token, 'closed', (task) => task.reject(error));
  }

  private openTask(token: string): OpenTask {
    const task = this.open.get(token);
    if (task) return task;
    const reason = this.closed.get(token);
    if (reason === 'timed-out') {
      throw new AwsServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    }
    if (reason === 'closed') {
      throw new AwsServiceError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist anymore'");
    }
    throw new AwsServiceError('InvalidToken', "Invalid Token: 'Invalid token'");
  }

  private settle(token: string, reason: ClosedReason, settle: (task: OpenTask) => void): void {
    const task = this.open.get(token);
    if (!task) return;
    this.open.delete(token);
    this.closed.set(token, reason);
    task.deadline.clear();
    settle(task);
  }
}
