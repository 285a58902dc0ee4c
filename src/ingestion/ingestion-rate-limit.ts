import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';

/**
 * INGESTION_RATE_LIMIT_PER_SECOND per ingestion URL, counted per api process in one-second windows. Counted here
 * rather than by the throttler guard: on the ingestion path the guard cost about a sixth of the throughput in
 * the benchmark, and a Redis call per event would cost more.
 */
@Injectable()
export class IngestionRateLimit {
  private second = 0;
  private readonly counts = new Map<string, number>();

  constructor(private readonly config: AppConfig) {}

  /** Counts one event for `token`; whether it is over the limit this second. */
  exceeded(token: string): boolean {
    const now = Math.floor(Date.now() / 1000);
    if (now !== this.second) {
      this.second = now;
      this.counts.clear();
    }
    const count = (this.counts.get(token) ?? 0) + 1;
    this.counts.set(token, count);
    return count > this.config.INGESTION_RATE_LIMIT_PER_SECOND;
  }
}
