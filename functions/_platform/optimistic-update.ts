import { ConcurrentUpdateError } from './errors';

const MAX_TRIES = 3;

/**
 * Read, apply `transition`, save conditionally; on a lost race (ConcurrentUpdateError) read again and re-apply
 * (transitions are idempotent, so this is safe). A transition that returns what it was given saves nothing.
 * Throws what the transition or the save throws, or ConcurrentUpdateError after three lost races.
 */
export const optimisticUpdate = async <Current, Next extends Current>(
  read: () => Promise<Current>,
  transition: (current: Current) => Next,
  save: (next: Next) => Promise<void>,
): Promise<Next> => {
  for (let attempt = 1; ; attempt += 1) {
    const current = await read();
    const next = transition(current);
    if (next === current) return next;
    try {
      await save(next);
      return next;
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_TRIES) throw error;
    }
  }
};
