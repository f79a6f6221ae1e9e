/**
 * Runs tasks that share a key one after another (tasks with different keys run in parallel), so two
 * deliveries of the same alert cannot both decide "no incident yet" and open two issues.
 * In-process only; several replicas need a shared lock (issue 4: Redis).
 */
export function serializeByKey() {
  const tails = new Map<string, Promise<unknown>>();
  return function run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}
