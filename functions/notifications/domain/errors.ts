import { ProviderTerminalError, UnauthorizedError } from '../../_platform/errors';

/**
 * The provider refused the address itself (invalid number, recipient replied STOP, number blocked): no other provider
 * of the channel is tried, the next channel is.
 */
export class RecipientRejectedError extends ProviderTerminalError {
  constructor(provider: string, readonly reason: 'invalid_address' | 'unsubscribed' | 'blocked', message: string, options?: ErrorOptions) {
    super(provider, 'messaging', message, options);
    // ProviderTerminalError fixes its name's type; logs show this one's own.
    Object.defineProperty(this, 'name', { value: 'RecipientRejectedError' });
  }
}

/** A webhook or a link we cannot verify (bad or missing signature, expired token): 401, nothing changed. */
export class UnverifiedRequestError extends UnauthorizedError {
  constructor(message: string) {
    super(message);
    Object.defineProperty(this, 'code', { value: 'UNVERIFIED' });
  }
}
