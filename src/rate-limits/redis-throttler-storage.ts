import { Logger } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import { Redis } from 'ioredis';

// A fixed window per key: count the hit, start the window's clock on the first one, say how long is left.
const HIT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return { hits, redis.call('PTTL', KEYS[1]) }`;

/**
 * Rate-limit counters in Redis, shared by every api process. When Redis does not answer, requests are let
 * through: a limit is not worth refusing events that Postgres can still take.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly redis: Redis;

  constructor(url: string, prefix: string) {
    // No offline queue and no retries per command: fail fast rather than hold a request while Redis is away.
    this.redis = new Redis(url, {
      keyPrefix: `${prefix}:ratelimit:`,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    this.redis.on('error', () => undefined);
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, leftMs] = (await this.redis.eval(HIT, 1, key, ttl)) as [number, number];
      const seconds = Math.max(1, Math.ceil(leftMs / 1000));
      const blocked = hits > limit;
      return {
        totalHits: hits,
        timeToExpire: seconds,
        isBlocked: blocked,
        timeToBlockExpire: blocked ? seconds : 0,
      };
    } catch (error) {
      this.logger.debug(`rate limit not checked: ${(error as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}
