import type { Clock } from '../../_platform/clock';
import { NotFoundError } from '../../_platform/errors';
import { UnverifiedRequestError } from './errors';
import { DEFAULT_CHANNELS, type Language, type Preferences } from './model';
import type { NotificationStore, TokenSigner } from './ports';

export interface PreferencesDeps {
  store: NotificationStore;
  clock: Clock;
}

export interface PreferencesChange {
  channels?: Partial<Preferences['channels']>;
  marketing?: boolean;
  language?: Language;
}

/** Sets what a recipient allows; fields left out keep their value (every channel, no marketing, when never set). */
export const updatePreferences = async (deps: PreferencesDeps, recipientId: string, change: PreferencesChange): Promise<Preferences> => {
  const current = await deps.store.getPreferences(recipientId);
  const next: Preferences = {
    recipientId,
    channels: { ...(current?.channels ?? DEFAULT_CHANNELS), ...change.channels },
    marketing: change.marketing ?? current?.marketing ?? false,
    ...((change.language ?? current?.language) !== undefined && { language: change.language ?? current?.language }),
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.store.putPreferences(next);
  return next;
};

export interface UnsubscribeDeps extends PreferencesDeps {
  signer: TokenSigner;
}

/** The recipient an unsubscribe token was issued for; throws UnverifiedRequestError for a forged or malformed one. */
export const recipientOfUnsubscribeToken = async (deps: Pick<UnsubscribeDeps, 'signer'>, token: string): Promise<string> => {
  const payload = await deps.signer.verify(token);
  if (!payload || payload.s !== 'marketing' || typeof payload.r !== 'string') throw new UnverifiedRequestError('this unsubscribe link is not valid');
  return payload.r;
};

/**
 * RFC 8058 one-click unsubscribe: the signed token alone names the recipient (no login, no confirmation page);
 * marketing is switched off. Repeating it changes nothing more. Throws UnverifiedRequestError for a bad token.
 */
export const unsubscribe = async (deps: UnsubscribeDeps, token: string): Promise<Preferences> => {
  const recipientId = await recipientOfUnsubscribeToken(deps, token);
  return updatePreferences(deps, recipientId, { marketing: false });
};

/** A recipient's preferences as stored; NotFoundError when none were ever set. */
export const getPreferences = async (deps: PreferencesDeps, recipientId: string): Promise<Preferences> => {
  const preferences = await deps.store.getPreferences(recipientId);
  if (!preferences) throw new NotFoundError(`no preferences for ${recipientId}`);
  return preferences;
};
