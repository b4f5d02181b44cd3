/** Runs a task every `intervalMs`, never two runs at once; close() stops it and waits for a run in flight. */
export interface Periodic {
  close(): Promise<void>;
}

export function every(intervalMs: number, run: () => Promise<unknown>, onError: (error: unknown) => void): Periodic {
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const tick = () => {
    running = running.then(async () => {
      if (closed) return;
      try {
        await run();
      } catch (error) {
        onError(error);
      }
    });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return {
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
