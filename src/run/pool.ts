// Runs async jobs with at most N at a time, in order of submission, never two of one key at once; stops taking
// new jobs once aborted.

export interface PoolOptions<T> {
  /** Items with the same key never run at the same time (probes sharing a client ID would kick each other). */
  keyOf?: (item: T) => string | undefined;
  signal?: AbortSignal;
}

/**
 * Calls `worker` for each item, at most `concurrency` at once, starting each item as soon as a slot is free and no
 * running item has its key. Items not started before `signal` aborts are skipped.
 */
export function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, index: number) => Promise<void>,
  options: PoolOptions<T> = {},
): Promise<void> {
  const { keyOf, signal } = options;
  const limit = Math.max(1, concurrency);
  const waiting = items.map((_, index) => index);
  const busyKeys = new Set<string>();
  let running = 0;
  return new Promise<void>((resolve, reject) => {
    const fill = () => {
      if (signal?.aborted) waiting.length = 0;
      for (let i = 0; i < waiting.length && running < limit; ) {
        const index = waiting[i]!;
        const key = keyOf?.(items[index]!);
        if (key !== undefined && busyKeys.has(key)) {
          i++;
          continue;
        }
        waiting.splice(i, 1);
        if (key !== undefined) busyKeys.add(key);
        running++;
        worker(items[index]!, index).then(() => {
          running--;
          if (key !== undefined) busyKeys.delete(key);
          fill();
        }, reject);
      }
      if (running === 0) resolve();
    };
    fill();
  });
}
