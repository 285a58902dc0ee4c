import { createTestDatabase, startApp, TestApp, TestDatabase } from './helpers/app';
import { createSource } from './helpers/fixtures';

describe('management API: auth, environments, sources', () => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db, { PUBLIC_URL: 'https://hooks.example.com/' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  describe('auth', () => {
    it.each([
      ['no header', undefined],
      ['a wrong key', 'Bearer wrong-key-0123456789'],
      ['the key without Bearer', 'test-admin-key-0123456789'],
      ['an empty bearer', 'Bearer '],
    ])('refuses %s with 401 and the JSON error body', async (_, authorization) => {
      const test = app.http().get('/v1/environments');
      if (authorization !== undefined) void test.set('Authorization', authorization);
      const response = await test.expect(401);
      expect(response.body).toEqual({
        error: { code: 'UNAUTHORIZED', message: expect.any(String) },
        request_id: expect.any(String),
      });
      expect(response.headers['x-request-id']).toBe(response.body.request_id);
    });

    it('guards every /v1 route, including unknown ones under a guarded controller', async () => {
      await app.http().post('/v1/sources').send({ key: 'x', name: 'x', type: 'custom' }).expect(401);
      await app.http().get('/v1/environments/development/users').expect(401);
      expect(await db.client.query('SELECT 1 FROM sources')).toHaveProperty('rowCount', 0);
    });

    it('keeps a sane caller-supplied request id', async () => {
      const response = await app.http().get('/v1/environments').set('x-request-id', 'trace-42').expect(401);
      expect(response.body.request_id).toBe('trace-42');
    });
  });

  describe('environments', () => {
    it('has development and production from the start', async () => {
      const { body } = await app.admin.get('/v1/environments').expect(200);
      expect(body.data.map((e: { slug: string }) => e.slug)).toEqual(['development', 'production']);
      expect(body.next_cursor).toBeNull();
    });

    it('creates, gets and refuses duplicates and bad slugs', async () => {
      const created = await app.admin
        .post('/v1/environments', { slug: 'staging', name: 'Staging' })
        .expect(201);
      expect(created.body).toMatchObject({ slug: 'staging', name: 'Staging', id: expect.any(String) });
      await app.admin.get('/v1/environments/staging').expect(200);
      const duplicate = await app.admin
        .post('/v1/environments', { slug: 'staging', name: 'Again' })
        .expect(409);
      expect(duplicate.body.error.code).toBe('ENVIRONMENT_EXISTS');
      const bad = await app.admin.post('/v1/environments', { slug: 'Not A Slug', name: 'x' }).expect(422);
      expect(bad.body.error.details).toEqual([
        { field: 'slug', problems: [expect.stringContaining('lowercase')] },
      ]);
      const missing = await app.admin.get('/v1/environments/nope').expect(404);
      expect(missing.body.error.code).toBe('ENVIRONMENT_NOT_FOUND');
    });

    it('pages with a cursor', async () => {
      const first = await app.admin.get('/v1/environments?limit=2').expect(200);
      expect(first.body.data).toHaveLength(2);
      expect(first.body.next_cursor).toEqual(expect.any(String));
      const second = await app.admin
        .get(`/v1/environments?limit=2&cursor=${first.body.next_cursor}`)
        .expect(200);
      expect(second.body.data.map((e: { slug: string }) => e.slug)).toEqual(['staging']);
      expect(second.body.next_cursor).toBeNull();
      await app.admin.get('/v1/environments?limit=500').expect(422);
      const badCursor = await app.admin.get('/v1/environments?cursor=garbage').expect(400);
      expect(badCursor.body.error.code).toBe('INVALID_CURSOR');
    });
  });

  describe('sources', () => {
    it('creates one source environment per environment, each with its own token and the type defaults', async () => {
      const { body } = await app.admin
        .post('/v1/sources', { key: 'web', name: 'Web', type: 'posthog' })
        .expect(201);
      expect(body.environments.map((e: { environment: string }) => e.environment)).toEqual([
        'development',
        'production',
        'staging',
      ]);
      const urls = body.environments.map((e: { ingestion_url: string }) => e.ingestion_url);
      expect(new Set(urls).size).toBe(3);
      for (const url of urls) {
        const token = url.replace('https://hooks.example.com/integrations/receive/', '');
        expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/); // 24 random bytes: 192 bits
      }
      const settings = await app.admin.get('/v1/sources/web/environments/development').expect(200);
      expect(settings.body).toMatchObject({
        source: 'web',
        environment: 'development',
        enabled: true,
        event_type_path: 'body.event',
        timestamp_path: 'body.timestamp',
        idempotency: { enabled: true, key_path: 'body.messageId', window_seconds: 86400 },
        verification: { type: 'none' },
      });
    });

    it.each([
      [
        'posthog_webhook',
        'body.event.event',
        'body.event.timestamp',
        { enabled: true, key_path: 'body.event.uuid' },
      ],
      ['custom', 'body.type', 'body.timestamp', { enabled: false, key_path: null }],
    ])('defaults %s sources', async (type, eventTypePath, timestampPath, idempotency) => {
      await createSource(app, `src-${type.replace('_', '-')}`, type);
      const { body } = await app.admin
        .get(`/v1/sources/src-${type.replace('_', '-')}/environments/production`)
        .expect(200);
      expect(body).toMatchObject({
        event_type_path: eventTypePath,
        timestamp_path: timestampPath,
        idempotency,
      });
    });

    it('refuses a duplicate key with 409 and invalid input with 422 naming the fields', async () => {
      const duplicate = await app.admin
        .post('/v1/sources', { key: 'web', name: 'Again', type: 'posthog' })
        .expect(409);
      expect(duplicate.body.error.code).toBe('SOURCE_KEY_TAKEN');
      const invalid = await app.admin
        .post('/v1/sources', { key: 'UPPER', name: '', type: 'segment', extra: 1 })
        .expect(422);
      expect(invalid.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'extra',
        'key',
        'name',
        'type',
      ]);
    });

    it('lists, gets, renames and deletes', async () => {
      const list = await app.admin.get('/v1/sources?limit=1').expect(200);
      expect(list.body.data).toHaveLength(1);
      expect(list.body.next_cursor).toEqual(expect.any(String));
      const renamed = await app.admin.patch('/v1/sources/web', { name: 'Website' }).expect(200);
      expect(renamed.body.name).toBe('Website');
      await createSource(app, 'doomed', 'custom');
      await app.admin.delete('/v1/sources/doomed').expect(204);
      const gone = await app.admin.get('/v1/sources/doomed').expect(404);
      expect(gone.body.error.code).toBe('SOURCE_NOT_FOUND');
      expect(
        (
          await db.client.query(
            `SELECT 1 FROM source_environments se JOIN sources s ON s.id = se.source_id WHERE s.key = 'doomed'`,
          )
        ).rowCount,
      ).toBe(0);
    });

    it('gives a new environment settings for every existing source', async () => {
      await app.admin.post('/v1/environments', { slug: 'qa', name: 'QA' }).expect(201);
      const { body } = await app.admin.get('/v1/sources/web/environments/qa').expect(200);
      expect(body).toMatchObject({ environment: 'qa', event_type_path: 'body.event', enabled: true });
    });

    it('updates settings and refuses invalid paths with 422 naming the field', async () => {
      const path = '/v1/sources/web/environments/development';
      const updated = await app.admin
        .patch(path, {
          event_type_path: 'body.properties["event.name"]',
          timestamp_path: null,
          idempotency: { window_seconds: 60 },
          enabled: false,
        })
        .expect(200);
      expect(updated.body).toMatchObject({
        event_type_path: 'body.properties["event.name"]',
        timestamp_path: null,
        idempotency: { enabled: true, key_path: 'body.messageId', window_seconds: 60 },
        enabled: false,
      });
      for (const [body, field] of [
        [{ event_type_path: 'payload.event' }, 'event_type_path'],
        [{ event_type_path: 'body.__proto__.x' }, 'event_type_path'],
        [{ idempotency: { key_path: 'body..id' } }, 'idempotency.key_path'],
        [{ idempotency: { window_seconds: 0 } }, 'idempotency.window_seconds'],
        [{ idempotency: { enabled: true, key_path: null } }, 'idempotency.key_path'],
        [{ verification: { type: 'hmac_sha256', secret: 'long-enough-secret' } }, 'verification.header'],
        [{ verification: { type: 'standard_webhooks', secret: 'whsec_???' } }, 'verification.secret'],
        [{ verification: { type: 'magic' } }, 'verification.type'],
      ] as const) {
        const response = await app.admin.patch(path, body).expect(422);
        expect(response.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      }
    });

    it('never returns a verification secret, and keeps it when only the header changes', async () => {
      const path = '/v1/sources/web/environments/production';
      const set = await app.admin
        .patch(path, {
          verification: { type: 'header', header: 'X-Webhook-Secret', secret: 'super-secret-value' },
        })
        .expect(200);
      expect(set.body.verification).toEqual({ type: 'header', header: 'x-webhook-secret', secret_set: true });
      expect(JSON.stringify(set.body)).not.toContain('super-secret-value');
      const changed = await app.admin
        .patch(path, { verification: { type: 'header', header: 'x-other' } })
        .expect(200);
      expect(changed.body.verification).toEqual({ type: 'header', header: 'x-other', secret_set: true });
      const list = await app.admin.get('/v1/sources').expect(200);
      expect(JSON.stringify(list.body)).not.toContain('super-secret-value');
    });

    it('rotates the token: a new URL, and the old one no longer answers', async () => {
      const source = await createSource(app, 'rotating', 'posthog');
      const before = source.paths.development;
      await app.http().post(before).send({ event: 'e', messageId: 'r-1' }).expect(202);
      const rotated = await app.admin
        .post('/v1/sources/rotating/environments/development/rotate-token')
        .expect(200);
      const after = new URL(rotated.body.ingestion_url as string).pathname;
      expect(after).not.toBe(before);
      const old = await app.http().post(before).send({ event: 'e', messageId: 'r-2' }).expect(404);
      expect(old.body.error.code).toBe('INGESTION_URL_NOT_FOUND');
      await app.http().post(after).send({ event: 'e', messageId: 'r-3' }).expect(202);
      // The other environment's URL is untouched.
      await app.http().post(source.paths.production).send({ event: 'e', messageId: 'r-4' }).expect(202);
    });
  });
});
