import type { Redis } from 'ioredis';

/** A channel counts as run by this deployment while some process has said so within this long. */
const ALIVE_SECONDS = 24 * 3_600;
const REFRESH_MS = 10 * 60_000;

const keyOf = (prefix: string, channel: string) => `${prefix}:channel-alive:${channel}`;

/**
 * Lets every process (a workers-only one among them) know which channels some process runs: a key per channel,
 * refreshed every 10 minutes by the processes that run it. Returns the first announcement and how to stop.
 */
export function announceChannels(
  redis: Redis,
  prefix: string,
  channels: readonly string[],
): { announced: Promise<unknown>; stop: () => void } {
  const beat = () =>
    Promise.all(
      channels.map((c) => redis.set(keyOf(prefix, c), String(Date.now()), 'EX', ALIVE_SECONDS)),
    ).catch(() => undefined);
  const announced = beat();
  const timer = setInterval(beat, REFRESH_MS);
  timer.unref();
  return { announced, stop: () => clearInterval(timer) };
}

/** Whether any process has run `channel` within the last day. */
export async function channelAnnounced(redis: Redis, prefix: string, channel: string): Promise<boolean> {
  return (await redis.exists(keyOf(prefix, channel))) === 1;
}
