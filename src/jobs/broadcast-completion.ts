import type { Logger } from '../logger';

/**
 * Checks "has this broadcast finished?" at most once per `everyMs` per broadcast instead of after every one of
 * its 10,000 deliveries. An id is touched only after its delivery's final state was committed, and each check
 * runs after the touch that scheduled it, so the last delivery's touch always leads to a check that sees it.
 */
export function createCompletionTicker(
  check: (broadcastId: string) => Promise<unknown>,
  logger: Logger,
  everyMs = 200,
) {
  const touched = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<void> = Promise.resolve();

  const run = () => {
    timer = undefined;
    chain = chain.then(async () => {
      const ids = [...touched];
      touched.clear();
      for (const id of ids) {
        await check(id).catch((error) =>
          logger.warn({ err: error, broadcastId: id }, 'completion check failed'),
        );
      }
    });
  };

  return {
    touch(broadcastId: string): void {
      touched.add(broadcastId);
      timer ??= setTimeout(run, everyMs);
    },
    /** Runs what is pending now (on shutdown); the sweep covers anything a crash leaves behind. */
    async flush(): Promise<void> {
      if (timer) {
        clearTimeout(timer);
        run();
      }
      await chain;
    },
  };
}
