/**
 * Collects calls made within one tick (or up to `maxSize`) and runs them as one database statement, each
 * caller still getting its own answer. Concurrent outbound jobs claim and mark their rows this way: the rows
 * are still changed one by one by PostgreSQL, in one round trip instead of hundreds.
 */
export function createBatcher<I, O>(run: (items: I[]) => Promise<O[]>, maxSize = 200) {
  let pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (!batch.length) return;
    run(batch.map((b) => b.item)).then(
      (results) => {
        for (const [i, b] of batch.entries()) b.resolve(results[i]!);
      },
      (error) => {
        for (const b of batch) b.reject(error);
      },
    );
  };

  return (item: I): Promise<O> =>
    new Promise<O>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= maxSize) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
