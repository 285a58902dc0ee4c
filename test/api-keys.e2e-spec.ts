import request from 'supertest';
import { createTestDatabase, startApp, TestApp, TestDatabase } from './helpers/app';
import { createSource, payload, waitForProcessed } from './helpers/fixtures';

describe('scoped API keys', () => {
  let db: TestDatabase;
  let app: TestApp;
  const as = (key: string) => ({
    get: (path: string) => request(app.url).get(path).set('Authorization', `Bearer ${key}`),
    put: (path: string, body: object) =>
      request(app.url).put(path).set('Authorization', `Bearer ${key}`).send(body),
    post: (path: string, body: object) =>
      request(app.url).post(path).set('Authorization', `Bearer ${key}`).send(body),
  });
  const create = async (environment: string, access: string) =>
    (
      await app.admin
        .post('/v1/api-keys', { name: `${environment} ${access}`, environment, access })
        .expect(201)
    ).body;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('shows a key once and keeps only its SHA-256', async () => {
    const created = await create('development', 'read');
    expect(created.key).toMatch(/^sbk_[0-9a-f]{12}_[\w-]{32}$/);
    expect(created).toMatchObject({
      environment: 'development',
      access: 'read',
      prefix: created.key.slice(4, 16),
    });
    const stored = (await db.client.query('SELECT * FROM api_keys WHERE id = $1', [created.id])).rows[0];
    expect(JSON.stringify(stored)).not.toContain(created.key.slice(17));
    expect(stored.key_hash).toMatch(/^[0-9a-f]{64}$/);
    const listed = (await app.admin.get('/v1/api-keys').expect(200)).body.data;
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(listed.map((k: { id: string }) => k.id)).toContain(created.id);
  });

  it('lets a read key read its environment only', async () => {
    const { key } = await create('development', 'read');
    await app.admin.put('/v1/environments/development/users/u1', { email: 'u1@example.com' }).expect(200);
    await as(key).get('/v1/environments/development/users/u1').expect(200);
    const elsewhere = await as(key).get('/v1/environments/production/users/u1').expect(403);
    expect(elsewhere.body.error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'this key is for the development environment only',
    });
    const write = await as(key).put('/v1/environments/development/users/u2', {}).expect(403);
    expect(write.body.error.message).toBe('this key is read-only');
    // Routes that span environments, and key management, need the admin key.
    await as(key).get('/v1/sources').expect(403);
    await as(key)
      .post('/v1/api-keys', { name: 'x', environment: 'development', access: 'write' })
      .expect(403);
  });

  it('lets a write key change its environment, and follows events to theirs', async () => {
    const { key, id } = await create('development', 'write');
    await as(key).put('/v1/environments/development/users/u3', { name: 'Three' }).expect(200);
    const source = await createSource(app, 'posthog', 'posthog');
    const dev = await app
      .http()
      .post(source.paths.development)
      .send(payload('knock-destination/identify.json'))
      .expect(202);
    const prod = await app
      .http()
      .post(source.paths.production)
      .send(payload('knock-destination/identify.json'))
      .expect(202);
    await waitForProcessed(app, dev.body.event_id as string);
    await as(key).get(`/v1/events/${dev.body.event_id}`).expect(200);
    await as(key).get(`/v1/events/${prod.body.event_id}`).expect(403);
    await as(key).get('/v1/events/00000000-0000-4000-8000-000000000000').expect(404);
    const used = (await db.client.query('SELECT last_used_at FROM api_keys WHERE id = $1', [id])).rows[0];
    expect(used.last_used_at).not.toBeNull();
  });

  it('stops a revoked or unknown key at once', async () => {
    const { key, id } = await create('development', 'write');
    await as(key).get('/v1/environments/development/users/u1').expect(200);
    await app.admin.delete(`/v1/api-keys/${id}`).expect(204);
    const revoked = await as(key).get('/v1/environments/development/users/u1').expect(401);
    expect(revoked.body.error.message).toBe('the API key is not valid, or was revoked');
    await app.admin.delete(`/v1/api-keys/${id}`).expect(404);
    await as(`sbk_000000000000_${'a'.repeat(32)}`)
      .get('/v1/environments/development/users/u1')
      .expect(401);
    await as(key.slice(0, -1) + (key.endsWith('a') ? 'b' : 'a'))
      .get('/v1/environments/development/users/u1')
      .expect(401);
  });

  it('refuses bad input with 422', async () => {
    const bad = await app.admin
      .post('/v1/api-keys', { name: '', environment: 'development', access: 'admin' })
      .expect(422);
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['access', 'name']);
    await app.admin.post('/v1/api-keys', { name: 'x', environment: 'nowhere', access: 'read' }).expect(404);
  });
});
