import { ApiKey } from '../api-key.entity';

export class ApiKeyResponse {
  id: string;
  name: string;
  /** Shown so a key can be recognised: `sbk_<prefix>_…`. */
  prefix: string;
  environment: string;
  access: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export class CreatedApiKeyResponse extends ApiKeyResponse {
  /** The key itself: shown this once, never again. */
  key: string;
}

export const toApiKeyResponse = (key: ApiKey, environment: string): ApiKeyResponse => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  environment,
  access: key.access,
  created_at: key.createdAt,
  last_used_at: key.lastUsedAt,
  revoked_at: key.revokedAt,
});
