import type { Clock } from '../../_platform/clock';
import { RuleViolationError } from '../../_platform/errors';
import { UnverifiedRequestError } from './errors';
import type { TokenSigner } from './ports';

/** What a signed account link is for. Kept apart from sending, so checking a link loads no template engine. */
export type LinkPurpose = 'account_verification' | 'password_reset';

/** The user and expiry of a link token for `purpose`. Throws UnverifiedRequestError (forged) or LINK_EXPIRED (422). */
export const verifyAccountLink = async (deps: { signer: TokenSigner; clock: Clock }, token: string, purpose: LinkPurpose) => {
  const payload = await deps.signer.verify(token);
  if (!payload || payload.p !== purpose || typeof payload.u !== 'string' || typeof payload.x !== 'number') {
    throw new UnverifiedRequestError('this link is not one we issued for this purpose');
  }
  const expiresAt = new Date(payload.x * 1000);
  if (expiresAt.getTime() <= deps.clock.now().getTime()) throw new RuleViolationError('LINK_EXPIRED', 'this link has expired; ask for a new one');
  return { userId: payload.u, purpose, expiresAt: expiresAt.toISOString() };
};
