import { createHmac } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase, startApp, TestApp, TestDatabase, waitFor } from './helpers/app';
import {
  count,
  createMapping,
  createSource,
  CreatedSource,
  payload,
  waitForProcessed,
} from './helpers/fixtures';
import { POSTHOG_DIR } from './helpers/services';

const KNOCK_FILES = readdirSync(join(POSTHOG_DIR, 'knock-destination')).filter((f) => f.endsWith('.json'));
const WEBHOOK_FILES = readdirSync(join(POSTHOG_DIR, 'webhook-destination')).filter((f) =>
  f.endsWith('.json'),
);

describe('ingestion: PostHog events in, deduplicated, committed, processed', () => {
  let db: TestDatabase;
  let app: TestApp;
  let knock: CreatedSource;
  let webhook: CreatedSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db, { MAX_BODY_BYTES: '65536' });
    knock = await createSource(app, 'posthog', 'posthog');
    webhook = await createSource(app, 'posthog-webhook', 'posthog_webhook');
    await createMapping(app, 'posthog', 'development', {
      event_type: '*',
      action: 'identify_user',
      field_map: { id: 'body.userId', email: 'body.properties.email', name: 'body.properties.name' },
    });
    await createMapping(app, 'posthog-webhook', 'development', {
      event_type: '$identify',
      action: 'identify_user',
      field_map: {
        id: 'body.event.distinct_id',
        email: 'body.event.properties.$set.email',
        name: 'body.event.properties["$set"].name',
        properties: 'body.person.properties',
      },
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  describe("PostHog's Knock destination", () => {
    it.each(KNOCK_FILES)('accepts %s, stores it and processes it', async (file) => {
      const body = payload(`knock-destination/${file}`);
      const response = await app.http().post(knock.paths.development).send(body).expect(202);
      expect(response.body).toEqual({ status: 'accepted', event_id: expect.any(String) });
      const trace = await waitForProcessed(app, response.body.event_id as string);
      expect(trace).toMatchObject({
        status: 'processed',
        source: 'posthog',
        environment: 'development',
        event_type: body.event,
        idempotency_key: body.messageId,
        occurred_at: body.timestamp,
        request: { payload: body },
      });
      expect(trace.actions).toEqual([
        expect.objectContaining({
          action: 'identify_user',
          status: 'succeeded',
          attempts: 1,
          inputs: expect.objectContaining({ id: body.userId }),
        }),
      ]);
      const user = await app.admin.get(`/v1/environments/development/users/${body.userId}`).expect(200);
      expect(user.body.id).toBe(body.userId);
    });

    it('identifies users with the mapped profile fields', async () => {
      const { body } = await app.admin.get('/v1/environments/development/users/user_grace').expect(200);
      expect(body).toMatchObject({ id: 'user_grace', email: 'grace@example.com', name: 'Grace Hopper' });
      // Users are per environment.
      await app.admin.get('/v1/environments/production/users/user_grace').expect(404);
      const list = await app.admin.get('/v1/environments/development/users').expect(200);
      expect(list.body.data.map((u: { id: string }) => u.id).sort()).toEqual([
        'user_ada',
        'user_anon_7',
        'user_grace',
      ]);
    });
  });

  describe("PostHog's webhook destination (default body)", () => {
    it.each(WEBHOOK_FILES)('accepts %s with the webhook defaults', async (file) => {
      const body = payload(`webhook-destination/${file}`);
      const response = await app.http().post(webhook.paths.development).send(body).expect(202);
      const trace = await waitForProcessed(app, response.body.event_id as string);
      expect(trace).toMatchObject({
        event_type: body.event.event,
        idempotency_key: body.event.uuid,
        occurred_at: new Date(body.event.timestamp as string).toISOString(),
        status: body.event.event === '$identify' ? 'processed' : 'no_mapping',
      });
    });

    it('maps $set and person properties from the webhook shape', async () => {
      const { body } = await app.admin.get('/v1/environments/development/users/user_ada').expect(200);
      expect(body).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace' });
      expect(body.properties).toMatchObject({ plan: 'free', $geoip_country_code: 'GB' });
    });

    it('reads JSON sent as text/plain or without a content type', async () => {
      const body = { ...payload('webhook-destination/pageview.json') };
      body.event = { ...body.event, uuid: 'plain-text-1' };
      await app
        .http()
        .post(webhook.paths.development)
        .set('content-type', 'text/plain')
        .send(JSON.stringify(body))
        .expect(202);
      const raw = await fetch(`${app.url}${webhook.paths.development}`, {
        method: 'POST',
        body: new Blob([JSON.stringify({ ...body, event: { ...body.event, uuid: 'no-type-1' } })]),
      });
      expect(raw.status).toBe(202);
    });
  });

  describe('deduplication', () => {
    const path = () => knock.paths.production;
    const event = (messageId: string) => ({ ...payload('knock-destination/identify.json'), messageId });

    it('answers a sequential duplicate 200 with the original event id and stores nothing new', async () => {
      const first = await app.http().post(path()).send(event('dup-seq')).expect(202);
      const again = await app.http().post(path()).send(event('dup-seq')).expect(200);
      expect(again.body).toEqual({ status: 'duplicate', event_id: first.body.event_id });
      expect(await count(db.client, `SELECT 1 FROM source_events WHERE idempotency_key = 'dup-seq'`)).toBe(1);
      const original = await app.admin.get(`/v1/events/${first.body.event_id}`).expect(200);
      expect(original.body.duplicate_count).toBe(1);
      expect(original.body.idempotency).toMatchObject({
        key: 'dup-seq',
        duplicate_count: 1,
        last_duplicate_at: expect.any(String),
      });
    });

    it('accepts exactly one of 40 concurrent identical requests', async () => {
      const responses = await Promise.all(
        Array.from({ length: 40 }, () =>
          fetch(`${app.url}${path()}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(event('dup-concurrent')),
          }),
        ),
      );
      const bodies = (await Promise.all(responses.map((r) => r.json()))) as {
        status: string;
        event_id: string;
      }[];
      expect(responses.map((r) => r.status).sort()).toEqual([...Array(39).fill(200), 202]);
      const accepted = bodies.find((b) => b.status === 'accepted')!;
      expect(bodies.every((b) => b.event_id === accepted.event_id)).toBe(true);
      expect(
        await count(db.client, `SELECT 1 FROM source_events WHERE idempotency_key = 'dup-concurrent'`),
      ).toBe(1);
      const { rows } = await db.client.query('SELECT duplicate_count FROM source_events WHERE id = $1', [
        accepted.event_id,
      ]);
      expect(rows[0].duplicate_count).toBe(39);
    });

    it('accepts a key again once its window has passed', async () => {
      await app.admin
        .patch('/v1/sources/posthog/environments/production', { idempotency: { window_seconds: 1 } })
        .expect(200);
      const first = await app.http().post(path()).send(event('dup-window')).expect(202);
      await app.http().post(path()).send(event('dup-window')).expect(200);
      await new Promise((r) => setTimeout(r, 1100));
      const later = await app.http().post(path()).send(event('dup-window')).expect(202);
      expect(later.body.event_id).not.toBe(first.body.event_id);
      expect(await count(db.client, `SELECT 1 FROM source_events WHERE idempotency_key = 'dup-window'`)).toBe(
        2,
      );
      await app.admin
        .patch('/v1/sources/posthog/environments/production', { idempotency: { window_seconds: 86400 } })
        .expect(200);
    });

    it('commits a concurrent burst together without letting one bad event fail the others', async () => {
      const good = Array.from({ length: 100 }, (_, i) => JSON.stringify(event(`burst-${i}`)));
      // Valid JSON that Postgres cannot store: each must get its own 400, its batch-mates their 202.
      const bad = Array.from({ length: 10 }, (_, i) =>
        JSON.stringify(event(`burst-bad-${i}`)).replace('}', ',"x":"\\u0000"}'),
      );
      const responses = await Promise.all(
        [...good, ...bad].map((body) =>
          fetch(`${app.url}${path()}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          }),
        ),
      );
      expect(responses.slice(0, 100).every((r) => r.status === 202)).toBe(true);
      expect(responses.slice(100).map((r) => r.status)).toEqual(Array(10).fill(400));
      expect(await count(db.client, `SELECT 1 FROM source_events WHERE idempotency_key LIKE 'burst-%'`)).toBe(
        100,
      );
      expect(await count(db.client, `SELECT 1 FROM idempotency_keys WHERE key LIKE 'burst-bad-%'`)).toBe(0);
    });

    it('keeps keys per source environment', async () => {
      await app.http().post(knock.paths.production).send(event('dup-env')).expect(202);
      await app.http().post(knock.paths.development).send(event('dup-env')).expect(202);
    });

    it.each([
      ['no key', {}, 'no idempotency key at body.messageId'],
      ['an empty key', { messageId: '' }, 'no idempotency key at body.messageId'],
      ['an object key', { messageId: { id: 1 } }, 'is a object, not a string or number'],
      ['a 256-character key', { messageId: 'k'.repeat(256) }, 'longer than 255 characters'],
    ])('processes an event with %s without dedup, and says why', async (_, override, note) => {
      const body = { ...payload('knock-destination/identify.json'), messageId: undefined, ...override };
      const first = await app.http().post(path()).send(body).expect(202);
      const second = await app.http().post(path()).send(body).expect(202);
      expect(second.body.event_id).not.toBe(first.body.event_id);
      const trace = await waitForProcessed(app, first.body.event_id as string);
      expect(trace.status).toBe('no_mapping');
      expect(trace.idempotency).toEqual({
        key: null,
        decision: 'accepted',
        note: expect.stringContaining(note),
        duplicate_count: 0,
        last_duplicate_at: null,
      });
    });

    it('uses a numeric key as its string', async () => {
      await app
        .http()
        .post(path())
        .send(event(42 as unknown as string))
        .expect(202);
      await app.http().post(path()).send(event('42')).expect(200);
    });

    it('does not dedupe when idempotency is disabled', async () => {
      const custom = await createSource(app, 'custom-src', 'custom');
      const body = { type: 'order_placed', id: 'same' };
      const a = await app.http().post(custom.paths.development).send(body).expect(202);
      const b = await app.http().post(custom.paths.development).send(body).expect(202);
      expect(a.body.event_id).not.toBe(b.body.event_id);
      const trace = await waitForProcessed(app, a.body.event_id as string);
      expect(trace.event_type).toBe('order_placed');
      expect(trace.idempotency.note).toBe('idempotency is disabled for this source');
    });
  });

  describe('bad input gets a clear 4xx and changes nothing', () => {
    const post = (body: string | Buffer, contentType = 'application/json') =>
      fetch(`${app.url}${knock.paths.development}`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });

    it.each([
      ['malformed JSON', '{"event": ', 400, 'INVALID_JSON'],
      ['a JSON array', '[{"event":"x"}]', 400, 'INVALID_BODY'],
      ['a JSON string', '"event"', 400, 'INVALID_BODY'],
      ['a JSON number', '42', 400, 'INVALID_BODY'],
      ['JSON null', 'null', 400, 'INVALID_BODY'],
      ['an empty body', '', 400, 'INVALID_BODY'],
      ['a __proto__ key', '{"event":"x","properties":{"__proto__":{"admin":true}}}', 400, 'INVALID_JSON'],
      ['a \\u0000 character', '{"event":"x","messageId":"nul-1","note":"a\\u0000b"}', 400, 'INVALID_BODY'],
      ['a lone surrogate', '{"event":"x","messageId":"sur-1","note":"\\ud800"}', 400, 'INVALID_BODY'],
    ])('refuses %s', async (_, body, status, code) => {
      const before = await count(db.client, 'SELECT 1 FROM source_events');
      const response = await post(body);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({
        error: { code, message: expect.any(String) },
        request_id: expect.any(String),
      });
      expect(await count(db.client, 'SELECT 1 FROM source_events')).toBe(before);
    });

    it('refuses bytes that are not UTF-8 with 400', async () => {
      const response = await post(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('INVALID_ENCODING');
    });

    it('refuses a body over MAX_BODY_BYTES with 413', async () => {
      const big = JSON.stringify({ event: 'x', blob: 'x'.repeat(70000) });
      const response = await post(big);
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('answers 404 for unknown and disabled tokens', async () => {
      const unknown = await app
        .http()
        .post('/integrations/receive/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
        .send({ event: 'x' })
        .expect(404);
      expect(unknown.body.error.code).toBe('INGESTION_URL_NOT_FOUND');
      await app.http().post('/integrations/receive/short').send({ event: 'x' }).expect(404);
      const disabled = await createSource(app, 'to-disable', 'posthog');
      await app.http().post(disabled.paths.development).send({ event: 'x', messageId: 'before' }).expect(202);
      await app.admin
        .patch('/v1/sources/to-disable/environments/development', { enabled: false })
        .expect(200);
      await app.http().post(disabled.paths.development).send({ event: 'x', messageId: 'after' }).expect(404);
      await app.admin.patch('/v1/sources/to-disable/environments/development', { enabled: true }).expect(200);
      await app.http().post(disabled.paths.development).send({ event: 'x', messageId: 'again' }).expect(202);
    });
  });

  describe('verification', () => {
    let source: CreatedSource;
    const settings = '/v1/sources/verified/environments/development';
    const body = JSON.stringify({ event: 'signed', messageId: 'v-1' });

    beforeAll(async () => {
      source = await createSource(app, 'verified', 'posthog');
    });
    const post = (headers: Record<string, string>, raw = body) =>
      fetch(`${app.url}${source.paths.development}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: raw,
      });

    it('checks a shared-secret header and never stores it', async () => {
      await app.admin
        .patch(settings, {
          verification: { type: 'header', header: 'X-Webhook-Secret', secret: 'shh-its-a-secret' },
        })
        .expect(200);
      expect((await post({})).status).toBe(401);
      const wrong = await post({ 'x-webhook-secret': 'shh-its-a-secreT' });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('VERIFICATION_FAILED');
      const ok = await post({
        'x-webhook-secret': 'shh-its-a-secret',
        authorization: 'Bearer abc',
        cookie: 'c=1',
      });
      expect(ok.status).toBe(202);
      const { event_id } = (await ok.json()) as { event_id: string };
      const stored = await db.client.query<{ headers: Record<string, string>; verification: string }>(
        'SELECT headers, verification FROM source_events WHERE id = $1',
        [event_id],
      );
      expect(stored.rows[0].verification).toBe('header');
      expect(Object.keys(stored.rows[0].headers)).not.toEqual(expect.arrayContaining(['x-webhook-secret']));
      expect(stored.rows[0].headers).not.toHaveProperty('authorization');
      expect(stored.rows[0].headers).not.toHaveProperty('cookie');
      expect(JSON.stringify(stored.rows[0])).not.toContain('shh-its-a-secret');
    });

    it('checks an HMAC-SHA256 of the raw body', async () => {
      await app.admin
        .patch(settings, {
          verification: { type: 'hmac_sha256', header: 'x-signature', secret: 'hmac-key-123' },
        })
        .expect(200);
      const sign = (raw: string, key = 'hmac-key-123') => createHmac('sha256', key).update(raw).digest('hex');
      const raw = JSON.stringify({ event: 'signed', messageId: 'hmac-1' });
      expect((await post({ 'x-signature': sign('{"event":"other"}') }, raw)).status).toBe(401);
      expect((await post({ 'x-signature': sign(raw, 'wrong-key') }, raw)).status).toBe(401);
      expect((await post({}, raw)).status).toBe(401);
      expect((await post({ 'x-signature': `sha256=${sign(raw)}` }, raw)).status).toBe(202);
    });

    it('checks Standard Webhooks signatures as PostHog sends them', async () => {
      const key = Buffer.from('posthog-signing-key-32-bytes-ok!');
      await app.admin
        .patch(settings, {
          verification: { type: 'standard_webhooks', secret: `whsec_${key.toString('base64')}` },
        })
        .expect(200);
      const raw = JSON.stringify(payload('webhook-destination/custom-event.json'));
      const signed = (id: string, ts: number, content = raw) => ({
        'webhook-id': id,
        'webhook-timestamp': String(ts),
        'webhook-signature': `v1,${createHmac('sha256', key).update(`${id}.${ts}.${content}`).digest('base64')}`,
      });
      const now = Math.floor(Date.now() / 1000);
      expect((await post(signed('msg_1', now - 600), raw)).status).toBe(401);
      expect((await post(signed('msg_1', now, '{"tampered":true}'), raw)).status).toBe(401);
      expect((await post({}, raw)).status).toBe(401);
      const ok = await post(signed('msg_1', now), raw);
      expect(ok.status).toBe(202);
      const { event_id } = (await ok.json()) as { event_id: string };
      const trace = await app.admin.get(`/v1/events/${event_id}`).expect(200);
      expect(trace.body.verification).toEqual({ type: 'standard_webhooks', result: 'passed' });
      expect(trace.body.request.headers['webhook-id']).toBe('msg_1');
    });
  });

  describe('event log', () => {
    let source: CreatedSource;
    const log = '/v1/sources/logged/environments/development/events';

    beforeAll(async () => {
      source = await createSource(app, 'logged', 'posthog');
      for (let i = 0; i < 5; i++) {
        const event = i % 2 === 0 ? 'page' : 'click';
        await app
          .http()
          .post(source.paths.development)
          .send({ event, messageId: `log-${i}`, userId: `u${i}` })
          .expect(202);
      }
      await waitFor(
        async () =>
          (await count(
            db.client,
            `SELECT 1 FROM source_events WHERE idempotency_key LIKE 'log-%' AND status = 'no_mapping'`,
          )) === 5,
      );
    });

    it('lists newest first with cursor pagination', async () => {
      const first = await app.admin.get(`${log}?limit=2`).expect(200);
      expect(first.body.data.map((e: { idempotency_key: string }) => e.idempotency_key)).toEqual([
        'log-4',
        'log-3',
      ]);
      const second = await app.admin.get(`${log}?limit=2&cursor=${first.body.next_cursor}`).expect(200);
      expect(second.body.data.map((e: { idempotency_key: string }) => e.idempotency_key)).toEqual([
        'log-2',
        'log-1',
      ]);
      const third = await app.admin.get(`${log}?limit=2&cursor=${second.body.next_cursor}`).expect(200);
      expect(third.body.data.map((e: { idempotency_key: string }) => e.idempotency_key)).toEqual(['log-0']);
      expect(third.body.next_cursor).toBeNull();
    });

    it('filters by status, event type and time', async () => {
      const clicks = await app.admin.get(`${log}?event_type=click`).expect(200);
      expect(clicks.body.data).toHaveLength(2);
      const noMapping = await app.admin.get(`${log}?status=no_mapping`).expect(200);
      expect(noMapping.body.data).toHaveLength(5);
      await app.admin
        .get(`${log}?status=processed`)
        .expect(200)
        .expect((r) => expect(r.body.data).toHaveLength(0));
      const future = new Date(Date.now() + 60000).toISOString();
      await app.admin
        .get(`${log}?since=${future}`)
        .expect(200)
        .expect((r) => expect(r.body.data).toHaveLength(0));
      await app.admin
        .get(`${log}?until=${future}`)
        .expect(200)
        .expect((r) => expect(r.body.data).toHaveLength(5));
      const bad = await app.admin.get(`${log}?status=done&since=yesterday`).expect(422);
      expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'since',
        'status',
      ]);
    });

    it('lists the event types seen, with counts and whether a mapping covers them', async () => {
      await createMapping(app, 'logged', 'development', {
        event_type: 'click',
        action: 'identify_user',
        field_map: { id: 'body.userId' },
      });
      const { body } = await app.admin
        .get('/v1/sources/logged/environments/development/event-types')
        .expect(200);
      expect(body.data).toEqual([
        { event_type: 'page', count: 3, last_seen_at: expect.any(String), mapped: false },
        { event_type: 'click', count: 2, last_seen_at: expect.any(String), mapped: true },
      ]);
      const none = await app.admin.get('/v1/sources/logged/environments/production/event-types').expect(200);
      expect(none.body.data).toEqual([]);
    });

    it('answers 404 for an unknown event and 400 for a malformed id', async () => {
      await app.admin.get('/v1/events/00000000-0000-4000-8000-000000000000').expect(404);
      await app.admin.get('/v1/events/..%2F..%2Fetc').expect(400);
    });
  });
});
