import { SourceEnvironment } from '../source-environment.entity';
import { Source } from '../source.entity';

export const ingestionUrl = (publicUrl: string, token: string) =>
  `${publicUrl}/integrations/receive/${token}`;

export class IdempotencySettings {
  enabled: boolean;
  /** Where the key is, e.g. `body.messageId`. */
  key_path: string | null;
  window_seconds: number;
}

export class VerificationSettings {
  /** `none`, `header`, `hmac_sha256` or `standard_webhooks`. */
  type: string;
  /** The header checked (header and HMAC modes). */
  header?: string | null;
  /** Whether a secret is stored; the secret itself is never shown. */
  secret_set?: boolean;
}

export class SourceEnvironmentResponse {
  id: string;
  source: string;
  environment?: string;
  /** Where PostHog sends events: the token in it is the credential. */
  ingestion_url: string;
  enabled: boolean;
  event_type_path: string;
  timestamp_path: string | null;
  idempotency: IdempotencySettings;
  verification: VerificationSettings;
  created_at: Date;
  updated_at: Date;
}

export class SourceEnvironmentLink {
  environment?: string;
  ingestion_url: string;
  enabled: boolean;
}

export class SourceResponse {
  id: string;
  key: string;
  name: string;
  /** `posthog`, `posthog_webhook` or `custom`. */
  type: string;
  environments: SourceEnvironmentLink[];
  created_at: Date;
  updated_at: Date;
}

export function toSourceEnvironmentResponse(
  source: Source,
  settings: SourceEnvironment,
  publicUrl: string,
): SourceEnvironmentResponse {
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

export function toSourceResponse(
  source: Source,
  settings: SourceEnvironment[],
  publicUrl: string,
): SourceResponse {
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
