import { randomToken } from '../common/secrets';
import { SourceEnvironment } from './source-environment.entity';
import { Source, SourceType } from './source.entity';

type ReadSettings = Pick<
  SourceEnvironment,
  'eventTypePath' | 'timestampPath' | 'idempotencyEnabled' | 'idempotencyKeyPath' | 'idempotencyWindowSeconds'
>;

const DAY = 86400;

/** Where each kind of sender puts the event name, its time and its unique id (see shared/posthog/README.md). */
export const SOURCE_DEFAULTS: Record<SourceType, ReadSettings> = {
  // PostHog's Knock destination: { type, event, userId, properties, messageId, timestamp }
  posthog: {
    eventTypePath: 'body.event',
    timestampPath: 'body.timestamp',
    idempotencyEnabled: true,
    idempotencyKeyPath: 'body.messageId',
    idempotencyWindowSeconds: DAY,
  },
  // PostHog's webhook destination, default body: { event: { uuid, event, timestamp, … }, person }
  posthog_webhook: {
    eventTypePath: 'body.event.event',
    timestampPath: 'body.event.timestamp',
    idempotencyEnabled: true,
    idempotencyKeyPath: 'body.event.uuid',
    idempotencyWindowSeconds: DAY,
  },
  custom: {
    eventTypePath: 'body.type',
    timestampPath: 'body.timestamp',
    idempotencyEnabled: false,
    idempotencyKeyPath: null,
    idempotencyWindowSeconds: DAY,
  },
};

/** A new source's settings in one environment: the defaults for its type and a fresh ingestion token. */
export function newSourceEnvironment(source: Source, environmentId: string): Partial<SourceEnvironment> {
  return {
    sourceId: source.id,
    environmentId,
    token: randomToken(),
    enabled: true,
    verification: { type: 'none' },
    ...SOURCE_DEFAULTS[source.type],
  };
}
