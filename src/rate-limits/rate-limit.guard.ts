import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerLimitDetail } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { DomainError } from '../common/domain-error';
import { INGESTION_ROUTE } from '../ingestion/ingestion.route';

/** The management API's limit, per API key (or address). Ingestion has its own: IngestionRateLimit. */
export const MANAGEMENT_THROTTLER = 'management';

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(
      context.switchToHttp().getRequest<FastifyRequest>().routeOptions.url === INGESTION_ROUTE,
    );
  }

  protected override getTracker(request: FastifyRequest): Promise<string> {
    const credential = request.headers.authorization ?? request.headers.cookie;
    // Hashed: the counters' keys must not hold credentials.
    return Promise.resolve(
      credential
        ? `key:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}`
        : `ip:${request.ip}`,
    );
  }

  /** One count per tracker across all routes (the library's default counts each route apart). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `${throttler}:${tracker}`;
  }

  /** 429 with Retry-After, in the API's error shape. */
  protected override throwThrottlingException(
    context: ExecutionContext,
    limit: ThrottlerLimitDetail,
  ): Promise<void> {
    void context
      .switchToHttp()
      .getResponse<FastifyReply>()
      .header('retry-after', String(limit.timeToBlockExpire));
    throw new RateLimitedError(limit.timeToBlockExpire);
  }
}

export class RateLimitedError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super(429, 'RATE_LIMITED', `too many requests; retry in ${retryAfterSeconds} s`);
  }
}
