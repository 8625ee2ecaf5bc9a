import { ConflictError } from '../../_platform/errors';

/** Another writer changed the attempt between our read and our write; reading again and retrying is safe. */
export class ConcurrentUpdateError extends ConflictError {
  override readonly name = 'ConcurrentUpdateError';
  override readonly code = 'CONCURRENT_UPDATE';
}
