import { Client } from 'pg';
import { startApp, TestApp, TestDatabase, waitFor } from '../helpers/app';
import { createMapping, createSource, payload } from '../helpers/fixtures';
import { Sink } from '../helpers/sink';
import { LoadResult, Tally } from './harness';

/** An api process and a worker process on one database and one queue prefix. */
export async function startApiAndWorker(db: TestDatabase, settings: Record<string, string>) {
  const api = await startApp(db, { ...settings, ROLE: 'api' });
  const worker = await startApp(db, { ...settings, ROLE: 'worker', QUEUE_PREFIX: api.env.QUEUE_PREFIX });
  return { api, worker };
}

/** Users the load spreads its events over. */
export const USERS = 300;

/**
 * The fault tests' signup event number `seq`: PostHog's user_signed_up, for one of USERS users, with its own
 * messageId (the idempotency key) and `seq` among its properties.
 */
export function signup(seq: number, run: string): Record<string, unknown> {
  const base = payload('knock-destination/user-signed-up.json');
  const user = `user-${seq % USERS}`;
  return {
    ...base,
    userId: user,
    messageId: `${run}-${seq}`,
    properties: { ...base.properties, email: `${user}@example.com`, seq },
  };
}

/**
 * A PostHog source whose signups identify the user, set a property named after the event (`e<seq>`: so a user's
 * properties count the events that reached them) and start the `welcome` workflow, which posts the event's seq
 * to the sink. Returns the ingestion path.
 */
export async function configureSignups(app: TestApp, sink: Sink): Promise<string> {
  const source = await createSource(app, 'posthog', 'posthog');
  await app.admin
    .put('/v1/environments/development/workflows/welcome', {
      name: 'Welcome',
      steps: [{ type: 'http', method: 'POST', url: `${sink.url}/welcome`, body: { seq: '{{ data.seq }}' } }],
    })
    .expect(200);
  const mapping = (action: string, field_map: object) =>
    createMapping(app, 'posthog', 'development', { event_type: 'user_signed_up', action, field_map });
  await mapping('identify_user', { id: 'body.userId', email: 'body.properties.email' });
  await mapping('set_properties', {
    id: 'body.userId',
    properties: { template: '{"e{{ body.properties.seq }}": true}' },
  });
  await mapping('trigger_workflow', {
    workflow: { value: 'welcome' },
    recipients: 'body.userId',
    data: 'body.properties',
  });
  return source.paths.development;
}

/** Waits until no event and no workflow run is left unfinished. */
export async function waitUntilSettled(db: Client, timeoutMs: number): Promise<void> {
  await waitFor(
    async () => {
      const { rows } = await db.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM source_events WHERE status IN ('accepted', 'processing'))
              + (SELECT count(*) FROM workflow_runs WHERE status IN ('queued', 'running', 'waiting')) AS n`,
      );
      return Number(rows[0].n) === 0;
    },
    timeoutMs,
    'every event and workflow run to finish',
  );
}

export type SignupEffects = Awaited<ReturnType<typeof signupEffects>>;

/** What the signups did: users, the `e<seq>` properties they hold, runs and the sink's deliveries. */
export async function signupEffects(db: Client, sink: Sink) {
  const { rows } = await db.query<{ users: string; properties: string; runs: string; completed: string }>(
    `SELECT (SELECT count(*) FROM users) AS users,
            (SELECT count(*) FROM users, jsonb_object_keys(properties) AS key WHERE key LIKE 'e%') AS properties,
            (SELECT count(*) FROM workflow_runs) AS runs,
            (SELECT count(*) FROM workflow_runs WHERE status = 'completed') AS completed`,
  );
  const deliveries = sink.received('/welcome');
  const keys = new Set(deliveries.map((r) => r.headers['idempotency-key']));
  return {
    users: Number(rows[0].users),
    properties: Number(rows[0].properties),
    runs: Number(rows[0].runs),
    runsCompleted: Number(rows[0].completed),
    deliveries: deliveries.length,
    /** Requests that repeated an earlier one (same Idempotency-Key): an http step is at-least-once. */
    resends: deliveries.length - keys.size,
  };
}

/**
 * What every load fault ends with: each event accepted in the end and none answered 2xx missing, each processed
 * with no action applied twice, each user holding exactly its events' properties, and one completed run and one
 * delivery per event (not counting a request sent again with the same Idempotency-Key).
 */
export function expectEachEventOnce(figures: Tally, effects: SignupEffects, load: LoadResult): void {
  const sent = figures.sent;
  expect({
    accepted: figures.accepted,
    stored: figures.stored,
    lost: figures.lost,
    processed: figures.processed,
    duplicateActions: figures.duplicateActions,
    duplicateRuns: figures.duplicateRuns,
    users: effects.users,
    properties: effects.properties,
    runsCompleted: effects.runsCompleted,
    deliveriesLessResends: effects.deliveries - effects.resends,
  }).toEqual({
    accepted: sent,
    stored: sent,
    lost: 0,
    processed: sent,
    duplicateActions: 0,
    duplicateRuns: 0,
    users: new Set([...load.events.values()].map((event) => event.userId)).size,
    properties: sent,
    runsCompleted: sent,
    deliveriesLessResends: sent,
  });
}
