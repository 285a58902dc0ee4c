import { createTestDatabase, startApp, TEST_CLIENT, TestApp, TestDatabase, waitFor } from './helpers/app';
import { count, createSource, CreatedSource, payload } from './helpers/fixtures';
import { withAdminClient } from './helpers/services';

describe('database outage', () => {
  let db: TestDatabase;
  let app: TestApp;
  let source: CreatedSource;

  /** Ends the app's sessions and refuses new ones, as a database restart or failover does. */
  const cutOff = (allow: boolean) =>
    withAdminClient(async (admin) => {
      await admin.query(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS ${allow}`);
      if (!allow) {
        await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name <> $2`,
          [db.name, TEST_CLIENT],
        );
      }
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db);
    source = await createSource(app, 'posthog', 'posthog');
  });
  afterAll(async () => {
    await cutOff(true);
    await app?.close();
    await db?.drop();
  });

  it('answers 503 while the database is unreachable, so PostHog retries, and recovers by itself', async () => {
    const event = (id: string) => ({ ...payload('knock-destination/identify.json'), messageId: id });
    await app.http().post(source.paths.development).send(event('before')).expect(202);

    await cutOff(false);
    const during = await app.http().post(source.paths.development).send(event('during')).expect(503);
    expect(during.body).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: expect.any(String) },
      request_id: expect.any(String),
    });
    await app.admin.get('/v1/sources').expect(503);

    await cutOff(true);
    await waitFor(
      async () => (await app.http().post(source.paths.development).send(event('after'))).status === 202,
      15000,
      'ingestion to recover',
    );
    // The refused event was not half-stored: PostHog's retry of it is accepted as new.
    await app.http().post(source.paths.development).send(event('during')).expect(202);
    expect(await count(db.client, `SELECT 1 FROM source_events`)).toBe(3);
    expect(app.process.exitCode).toBeNull();
  });
});
