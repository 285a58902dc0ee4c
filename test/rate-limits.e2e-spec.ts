import request from 'supertest';
import { createTestDatabase, startApp, TestApp, TestDatabase } from './helpers/app';
import { createSource, payload } from './helpers/fixtures';

describe('rate limits', () => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db, { INGESTION_RATE_LIMIT_PER_SECOND: '3', RATE_LIMIT_PER_MINUTE: '4' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers 429 with Retry-After past the per-URL ingestion limit, for that URL only', async () => {
    const first = await createSource(app, 'one', 'posthog');
    const other = await createSource(app, 'two', 'posthog');
    const send = (path: string, i: number) =>
      app
        .http()
        .post(path)
        .send({ ...payload<object>('knock-destination/identify.json'), messageId: `m-${path}-${i}` });
    // 20 at once: the windows are whole seconds, so the burst may straddle two of them (3 accepted in each).
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => send(first.paths.development, i)));
    const accepted = answers.filter((a) => a.status === 202).length;
    const limited = answers.filter((a) => a.status === 429);
    expect(accepted).toBeGreaterThanOrEqual(3);
    expect(accepted).toBeLessThanOrEqual(6);
    expect(limited).toHaveLength(20 - accepted);
    expect(limited[0].headers['retry-after']).toBe('1');
    expect(limited[0].body.error).toMatchObject({ code: 'RATE_LIMITED' });
    await send(other.paths.development, 0).expect(202);
    // Refused events are not stored.
    expect((await db.client.query('SELECT count(*)::int AS n FROM source_events')).rows[0].n).toBe(
      accepted + 1,
    );
  });

  it('limits management calls per key, wrong keys included', async () => {
    // createSource above used two of the admin key's four calls this minute.
    await app.admin.get('/v1/environments').expect(200);
    await app.admin.get('/v1/environments').expect(200);
    const limited = await app.admin.get('/v1/environments').expect(429);
    expect(limited.headers['retry-after']).toMatch(/^[1-9]\d*$/);
    const guess = () =>
      request(app.url).get('/v1/environments').set('Authorization', 'Bearer guess-guess-guess-1');
    for (let i = 0; i < 4; i++) await guess().expect(401);
    await guess().expect(429);
  });
});
