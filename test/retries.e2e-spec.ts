import { Client } from 'pg';
import { createTestDatabase, startApp, TestApp, TestDatabase, waitFor } from './helpers/app';
import { count, createMapping, createSource, CreatedSource, waitForProcessed } from './helpers/fixtures';

describe('action retries and replay', () => {
  let db: TestDatabase;
  let app: TestApp;
  let source: CreatedSource;
  let identifyMapping: string;
  let locker: Client;

  const send = async (body: object) =>
    (await app.http().post(source.paths.development).send(body).expect(202)).body.event_id as string;
  const attempts = (eventId: string) =>
    count(
      db.client,
      'SELECT 1 FROM action_attempts a JOIN action_executions e ON e.id = a.execution_id WHERE e.event_id = $1',
      [eventId],
    );
  /** Holds the user's row lock in another session, as a long transaction elsewhere would. */
  const lockUser = async (id: string) => {
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [id]);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db, {
      ACTION_LOCK_TIMEOUT_MS: '300',
      ACTION_RETRY_DELAY_SECONDS: '1',
      ACTION_MAX_ATTEMPTS: '3',
      RECONCILER_INTERVAL_SECONDS: '1',
    });
    source = await createSource(app, 'posthog', 'posthog');
    identifyMapping = await createMapping(app, 'posthog', 'development', {
      event_type: 'signup',
      action: 'identify_user',
      field_map: { id: 'body.userId', plan: 'body.plan' },
    });
    locker = new Client({ connectionString: db.url });
    await locker.connect();
  });
  afterAll(async () => {
    await locker?.query('ROLLBACK').catch(() => undefined);
    await locker?.end();
    await app?.close();
    await db?.drop();
  });

  it('retries an action that failed on a lock, with backoff, until it succeeds; every attempt is in the trace', async () => {
    await app.admin
      .put('/v1/environments/development/users/flaky', { properties: { plan: 'free' } })
      .expect(200);
    await lockUser('flaky');
    const id = await send({ event: 'signup', userId: 'flaky', plan: 'pro', messageId: 'r-1' });
    await waitFor(async () => (await attempts(id)) >= 2, 15000, 'two failed attempts');
    const during = await app.admin.get(`/v1/events/${id}`).expect(200);
    expect(during.body.status).toBe('processing');
    await locker.query('COMMIT');

    const trace = await waitForProcessed(app, id, 15000);
    expect(trace.status).toBe('processed');
    const [action] = trace.actions;
    expect(action).toMatchObject({ status: 'succeeded', attempts: 3, error: null });
    expect(action.history.map((a: { status: string }) => a.status)).toEqual([
      'failed',
      'failed',
      'succeeded',
    ]);
    expect(action.history[0].error).toMatch(/lock timeout/);
    // Backoff: the second retry waited about twice as long as the first.
    const [first, second, third] = action.history.map((a: { started_at: string }) =>
      Date.parse(a.started_at),
    );
    expect(second - first).toBeGreaterThanOrEqual(1000);
    expect(third - second).toBeGreaterThanOrEqual(2000);
    expect(
      (await app.admin.get('/v1/environments/development/users/flaky').expect(200)).body.properties.plan,
    ).toBe('pro');
  });

  it('gives up after ACTION_MAX_ATTEMPTS and fails the event', async () => {
    await lockUser('flaky');
    try {
      const id = await send({ event: 'signup', userId: 'flaky', plan: 'team', messageId: 'r-2' });
      const trace = await waitForProcessed(app, id, 20000);
      expect(trace.status).toBe('failed');
      expect(trace.actions[0]).toMatchObject({ status: 'failed', attempts: 3 });
      expect(trace.actions[0].history.map((a: { status: string }) => a.status)).toEqual([
        'failed',
        'failed',
        'failed',
      ]);
    } finally {
      await locker.query('ROLLBACK');
    }
  });

  it('does not retry a failure caused by the inputs', async () => {
    const id = await send({ event: 'signup', userId: { not: 'an id' }, messageId: 'r-3' });
    const trace = await waitForProcessed(app, id);
    expect(trace.actions[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  describe('replay', () => {
    let id: string;

    beforeAll(async () => {
      id = await send({ event: 'signup', userId: 'replayed', plan: 'pro', messageId: 'r-4' });
      await waitForProcessed(app, id);
    });
    const replay = async (body: object) => {
      await app.admin
        .post(`/v1/events/${id}/replay`, body)
        .expect(202)
        .expect({ status: 'accepted', event_id: id });
      return waitForProcessed(app, id);
    };

    it('skips actions that already succeeded', async () => {
      const before = (await app.admin.get('/v1/environments/development/users/replayed').expect(200)).body
        .updated_at;
      const trace = await replay({});
      expect(trace.status).toBe('processed');
      expect(trace.actions[0]).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(
        (await app.admin.get('/v1/environments/development/users/replayed').expect(200)).body.updated_at,
      ).toBe(before);
    });

    it('re-applies them when forced, and records the forced attempt', async () => {
      await db.client.query(`UPDATE users SET properties = '{}' WHERE id = 'replayed'`);
      const trace = await replay({ force: true });
      expect(trace.actions[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
      expect(trace.actions[0].history.map((a: { forced: boolean }) => a.forced)).toEqual([false, true]);
      expect(
        (await app.admin.get('/v1/environments/development/users/replayed').expect(200)).body.properties,
      ).toEqual({ plan: 'pro' });
    });

    it('runs only the mappings named', async () => {
      const added = await createMapping(app, 'posthog', 'development', {
        event_type: 'signup',
        action: 'set_properties',
        field_map: { id: 'body.userId', properties: { value: { replayed: true } } },
      });
      const trace = await replay({ mapping_ids: [added], force: true });
      const byMapping = Object.fromEntries(
        trace.actions.map((a: { mapping_id: string; attempts: number }) => [a.mapping_id, a.attempts]),
      );
      expect(byMapping).toEqual({ [identifyMapping]: 2, [added]: 1 });
    });

    it('refuses an event still in progress (409), an unknown one (404) and bad input', async () => {
      await db.client.query(
        `UPDATE source_events SET status = 'processing', lease_expires_at = now() + interval '1 hour' WHERE id = $1`,
        [id],
      );
      const busy = await app.admin.post(`/v1/events/${id}/replay`, {}).expect(409);
      expect(busy.body.error.code).toBe('EVENT_IN_PROGRESS');
      await db.client.query(
        `UPDATE source_events SET status = 'processed', lease_expires_at = NULL WHERE id = $1`,
        [id],
      );
      await app.admin.post('/v1/events/00000000-0000-4000-8000-000000000000/replay', {}).expect(404);
      await app.admin.post(`/v1/events/${id}/replay`, { mapping_ids: ['nope'], force: 'yes' }).expect(422);
    });
  });
});
