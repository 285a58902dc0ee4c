import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { parsePath, Path } from '../common/paths';
import { SourceEnvironment, Verification } from '../sources/source-environment.entity';

/** What ingestion needs to know about a token, with its paths parsed once. */
export interface IngestionSource {
  id: string;
  /** For the metrics: the source's key and the environment's slug. */
  sourceKey: string;
  environment: string;
  version: number;
  verification: Verification;
  eventTypePath: Path;
  timestampPath: Path | null;
  /** null when idempotency is off. */
  idempotencyKeyPath: Path | null;
  idempotencyKeyPathText: string | null;
  idempotencyWindowSeconds: number;
}

const TTL_MS = 60_000;
const MAX_ENTRIES = 10_000;

/**
 * Token → settings, cached in process to keep the hot path at one database round trip. The cache is never
 * trusted on its own: the insert statement checks the cached version against the row, and a mismatch (rotated,
 * disabled, changed, deleted) makes ingestion reload and try again. A stale entry costs a retry, never a wrong
 * answer.
 */
@Injectable()
export class IngestionSources {
  private readonly cache = new Map<string, { source: IngestionSource; expiresAt: number }>();

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async lookup(token: string, fresh = false): Promise<IngestionSource | null> {
    const cached = this.cache.get(token);
    if (!fresh && cached && cached.expiresAt > Date.now()) return cached.source;
    this.cache.delete(token);
    const row = await this.db.manager.findOne(SourceEnvironment, {
      where: { token, enabled: true },
      relations: { source: true, environment: true },
    });
    if (!row) return null;
    const source = toIngestionSource(row);
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(token, { source, expiresAt: Date.now() + TTL_MS });
    return source;
  }
}

function toIngestionSource(row: SourceEnvironment): IngestionSource {
  const keyPath = row.idempotencyEnabled ? row.idempotencyKeyPath : null;
  return {
    id: row.id,
    sourceKey: row.source!.key,
    environment: row.environment!.slug,
    version: row.version,
    verification: row.verification,
    eventTypePath: parsePath(row.eventTypePath),
    timestampPath: row.timestampPath ? parsePath(row.timestampPath) : null,
    idempotencyKeyPath: keyPath ? parsePath(keyPath) : null,
    idempotencyKeyPathText: keyPath,
    idempotencyWindowSeconds: row.idempotencyWindowSeconds,
  };
}
