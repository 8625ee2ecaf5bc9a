/**
 * Waits a simulator can cancel when it stops, so a slow scenario's pending timers never keep a test process alive.
 * A cancelled wait never resolves: its request is abandoned with the server.
 */
export const cancellableDelays = () => {
  const timers = new Set<NodeJS.Timeout>();
  return {
    delay: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
    cancelAll: () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
};
