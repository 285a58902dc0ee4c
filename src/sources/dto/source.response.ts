import { SourceEnvironment } from '../source-environment.entity';
import { Source } from '../source.entity';

export const ingestionUrl = (publicUrl: string, token: string) =>
  `${publicUrl}/integrations/receive/${token}`;

export function toSourceEnvironmentResponse(source: Source, settings: SourceEnvironment, publicUrl: string) {
  const { type, header, secret } = settings.verification;
  return {
    id: settings.id,
    source: source.key,
    environment: settings.environment?.slug,
    ingestion_url: ingestionUrl(publicUrl, settings.token),
    enabled: settings.enabled,
    event_type_path: settings.eventTypePath,
    timestamp_path: settings.timestampPath,
    idempotency: {
      enabled: settings.idempotencyEnabled,
      key_path: settings.idempotencyKeyPath,
      window_seconds: settings.idempotencyWindowSeconds,
    },
    verification: type === 'none' ? { type } : { type, header: header ?? null, secret_set: Boolean(secret) },
    created_at: settings.createdAt,
    updated_at: settings.updatedAt,
  };
}

export function toSourceResponse(source: Source, settings: SourceEnvironment[], publicUrl: string) {
  return {
    id: source.id,
    key: source.key,
    name: source.name,
    type: source.type,
    environments: settings.map((s) => ({
      environment: s.environment?.slug,
      ingestion_url: ingestionUrl(publicUrl, s.token),
      enabled: s.enabled,
    })),
    created_at: source.createdAt,
    updated_at: source.updatedAt,
  };
}
