import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { NotFoundError } from '../common/domain-error';
import { constantTimeEqual, randomToken } from '../common/secrets';
import { Environment } from '../environments/environment.entity';
import { EnvironmentsService } from '../environments/environments.service';
import { ApiKey, ApiKeyAccess } from './api-key.entity';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { CreatedApiKeyResponse, toApiKeyResponse } from './dto/api-key.response';

/** `sbk_<12 hex: the lookup prefix>_<32 characters of secret>` */
const KEY_FORMAT = /^sbk_([0-9a-f]{12})_[A-Za-z0-9_-]{32}$/;

const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');

/** Who a scoped key lets in: one environment, to read or to write. */
export interface KeyScope {
  environment: string;
  access: ApiKeyAccess;
}

@Injectable()
export class ApiKeysService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly environments: EnvironmentsService,
  ) {}

  async create(dto: CreateApiKeyDto): Promise<CreatedApiKeyResponse> {
    const environment = await this.environments.getEntity(this.db.manager, dto.environment);
    const prefix = randomBytes(6).toString('hex');
    const key = `sbk_${prefix}_${randomToken(24)}`;
    const saved = await this.db.manager.save(
      this.db.manager.create(ApiKey, {
        name: dto.name,
        prefix,
        keyHash: sha256(key),
        environmentId: environment.id,
        access: dto.access,
      }),
    );
    return { ...toApiKeyResponse(saved, environment.slug), key };
  }

  async list() {
    const keys = await this.db.manager.find(ApiKey, { order: { createdAt: 'DESC' } });
    const slugs = new Map((await this.db.manager.find(Environment)).map((e) => [e.id, e.slug]));
    return { data: keys.map((key) => toApiKeyResponse(key, slugs.get(key.environmentId) ?? '')) };
  }

  /** Revoked keys stop working at once and stay listed, with when. */
  async revoke(id: string): Promise<void> {
    const { affected } = await this.db.manager.update(
      ApiKey,
      { id, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    if (!affected) throw new NotFoundError('API_KEY_NOT_FOUND', `no active API key ${id}`);
  }

  /** The scope of a presented key, or null when it is not a live key. Notes when it was last used. */
  async authenticate(presented: string): Promise<KeyScope | null> {
    const prefix = KEY_FORMAT.exec(presented)?.[1];
    if (!prefix) return null;
    const [row] = await this.db.query<{ id: string; key_hash: string; access: ApiKeyAccess; slug: string }[]>(
      `SELECT k.id, k.key_hash, k.access, e.slug FROM api_keys k JOIN environments e ON e.id = k.environment_id
       WHERE k.prefix = $1 AND k.revoked_at IS NULL`,
      [prefix],
    );
    if (!row || !constantTimeEqual(sha256(presented), row.key_hash)) return null;
    // At most one write a minute per key, and never in the request's way.
    void this.db
      .query(
        `UPDATE api_keys SET last_used_at = now()
         WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
        [row.id],
      )
      .catch(() => undefined);
    return { environment: row.slug, access: row.access };
  }

  /** The environment an event belongs to, for scoped keys on /v1/events/:id; null when there is no such event. */
  async environmentOfEvent(eventId: string): Promise<string | null> {
    const [row] = await this.db.query<{ slug: string }[]>(
      `SELECT e.slug FROM source_events ev
       JOIN source_environments se ON se.id = ev.source_environment_id
       JOIN environments e ON e.id = se.environment_id
       WHERE ev.id = $1`,
      [eventId],
    );
    return row?.slug ?? null;
  }
}
