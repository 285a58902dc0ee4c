import { randomToken } from '../common/secrets';
import { ActionName } from '../mappings/action-mapping.entity';
import type { FieldMap } from '../mappings/field-map';
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

const identify = (fieldMap: FieldMap) =>
  ['$identify', '$set'].map((eventType) => ({ eventType, action: 'identify_user' as const, fieldMap }));

/**
 * The mappings most teams start with (asked for with `default_mappings: true`): PostHog's `$identify` and `$set`
 * identify the user, with the id, email and name where each PostHog destination puts them.
 */
export const DEFAULT_MAPPINGS: Partial<
  Record<SourceType, { eventType: string; action: ActionName; fieldMap: FieldMap }[]>
> = {
  posthog: identify({ id: 'body.userId', email: 'body.properties.email', name: 'body.properties.name' }),
  posthog_webhook: identify({
    id: 'body.event.distinct_id',
    email: 'body.person.properties.email',
    name: 'body.person.properties.name',
  }),
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
