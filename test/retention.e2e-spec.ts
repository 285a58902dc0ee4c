import { createTestDatabase, startApp, TestApp, TestDatabase, waitFor } from './helpers/app';
import { count, createMapping, createSource, payload, waitForProcessed } from './helpers/fixtures';

describe('retention', () => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db, { EVENT_RETENTION_DAYS: '1', RETENTION_INTERVAL_SECONDS: '1' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('deletes finished events, finished runs and expired keys past retention, and nothing else', async () => {
    const source = await createSource(app, 'posthog', 'posthog');
    await createMapping(app, 'posthog', 'development', {
      event_type: 'user_signed_up',
      action: 'identify_user',
      field_map: { id: 'body.userId' },
    });
    await app.admin
      .put('/v1/environments/development/workflows/later', {
        name: 'Later',
        steps: [{ type: 'delay', duration: '1h' }],
      })
      .expect(200);
    const send = async (messageId: string) => {
      const body = { ...payload('knock-destination/user-signed-up.json'), messageId };
      const { body: answer } = await app.http().post(source.paths.development).send(body).expect(202);
      await waitForProcessed(app, answer.event_id as string);
      return answer.event_id as string;
    };
    const old = await send('old-1');
    const recent = await send('recent-1');
    const [oldRun, waitingRun] = (
      await app.admin
        .post('/v1/environments/development/workflows/later/trigger', { recipients: ['a', 'b'] })
        .expect(202)
    ).body.runs as string[];
    await waitFor(
      async () => (await count(db.client, `SELECT 1 FROM workflow_runs WHERE status = 'waiting'`)) === 2,
    );

    // Age some rows past the one-day retention; the waiting run is old too, but not finished.
    await db.client.query(`UPDATE source_events SET received_at = now() - interval '2 days' WHERE id = $1`, [
      old,
    ]);
    await db.client.query(
      `UPDATE idempotency_keys SET expires_at = now() - interval '1 second' WHERE event_id = $1`,
      [old],
    );
    await db.client.query(
      `UPDATE workflow_runs SET status = CASE WHEN id = $1 THEN 'completed' ELSE status END, updated_at = now() - interval '2 days'`,
      [oldRun],
    );

    await waitFor(
      async () => (await count(db.client, 'SELECT 1 FROM source_events WHERE id = $1', [old])) === 0,
      10000,
    );
    await waitFor(
      async () => (await count(db.client, 'SELECT 1 FROM workflow_runs WHERE id = $1', [oldRun])) === 0,
      10000,
    );
    expect(await count(db.client, 'SELECT 1 FROM action_executions WHERE event_id = $1', [old])).toBe(0);
    expect(await count(db.client, 'SELECT 1 FROM idempotency_keys WHERE event_id = $1', [old])).toBe(0);
    expect(await count(db.client, 'SELECT 1 FROM source_events WHERE id = $1', [recent])).toBe(1);
    expect(await count(db.client, 'SELECT 1 FROM action_executions WHERE event_id = $1', [recent])).toBe(1);
    expect(await count(db.client, 'SELECT 1 FROM idempotency_keys WHERE event_id = $1', [recent])).toBe(1);
    expect(await count(db.client, 'SELECT 1 FROM workflow_runs WHERE id = $1', [waitingRun])).toBe(1);
    const metrics = (await app.http().get('/metrics').expect(200)).text;
    expect(metrics).toMatch(/^signalbox_retention_deleted_total\{kind="events"\} 1$/m);
  });
});
