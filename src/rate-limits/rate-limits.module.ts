import { Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';
import { MANAGEMENT_THROTTLER } from './rate-limit.guard';
import { RedisThrottlerStorage } from './redis-throttler-storage';

/**
 * The management API's rate limit through @nestjs/throttler, counted in Redis when there is one (shared by every
 * api process), in memory otherwise. The guard runs before the key check (see AppModule), so guessing keys is limited too.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        throttlers: [{ name: MANAGEMENT_THROTTLER, ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
        setHeaders: false,
        storage: config.REDIS_URL
          ? new RedisThrottlerStorage(config.REDIS_URL, config.QUEUE_PREFIX)
          : undefined,
      }),
    }),
  ],
})
export class RateLimitsModule {}
