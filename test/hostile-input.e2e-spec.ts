import { createHmac, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import request from 'supertest';
import { createTestDatabase, startApp, TestApp, TestDatabase } from './helpers/app';
import {
  createMapping,
  createSource,
  CreatedSource,
  payload,
  waitForProcessed,
  waitForRun,
} from './helpers/fixtures';

interface Answer {
  status: number;
  body: any;
}

/**
 * Hostile and broken input, table-driven: every case gets its documented 4xx (never a 5xx, never a hang) and
 * changes nothing that is stored.
 */
describe('hostile input', () => {
  let db: TestDatabase;
  let app: TestApp;
  let plain: CreatedSource;
  let signed: CreatedSource;
  let shared: CreatedSource;
  let webhooks: CreatedSource;
  let rotatedPath: string;
  let disabledPath: string;
  let revokedKey: string;
  let readKey: string;
  let productionKey: string;
  let mappingId: string;
  const WEBHOOKS_KEY = randomBytes(24);
  const HMAC_SECRET = 'hmac-secret-0123456789';
  const HEADER_SECRET = 'header-secret-0123456789';
  const event = () => JSON.stringify(payload('knock-destination/identify.json'));
  const hmac = (body: string) => createHmac('sha256', HMAC_SECRET).update(body).digest('hex');
  /** Standard Webhooks headers for `body`, signed as of `secondsAgo`. */
  const standardSignature = (body: string, secondsAgo = 0) => {
    const id = `msg_${randomBytes(6).toString('hex')}`;
    const ts = String(Math.floor(Date.now() / 1000) - secondsAgo);
    const signature = createHmac('sha256', WEBHOOKS_KEY).update(`${id}.${ts}.${body}`).digest('base64');
    return { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${signature}` };
  };
  const deep = (levels: number) => `{"a":${'['.repeat(levels)}${']'.repeat(levels)}}`;
  const env = '/v1/environments/development';

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db, {
      MAX_BODY_BYTES: '65536',
      REQUEST_TIMEOUT_SECONDS: '2',
      WORKFLOW_HTTP_ALLOWED_HOSTS: 'hooks.example.com',
    });
    plain = await createSource(app, 'plain', 'posthog');
    signed = await createSource(app, 'signed', 'posthog');
    shared = await createSource(app, 'shared', 'posthog');
    webhooks = await createSource(app, 'webhooks', 'posthog');
    await app.admin
      .patch('/v1/sources/webhooks/environments/development', {
        verification: { type: 'standard_webhooks', secret: `whsec_${WEBHOOKS_KEY.toString('base64')}` },
      })
      .expect(200);
    await app.admin
      .patch('/v1/sources/signed/environments/development', {
        verification: { type: 'hmac_sha256', header: 'x-signature', secret: HMAC_SECRET },
      })
      .expect(200);
    await app.admin
      .patch('/v1/sources/shared/environments/development', {
        verification: { type: 'header', header: 'x-webhook-secret', secret: HEADER_SECRET },
      })
      .expect(200);
    rotatedPath = plain.paths.production;
    await app.admin.post('/v1/sources/plain/environments/production/rotate-token').expect(200);
    disabledPath = signed.paths.production;
    await app.admin.patch('/v1/sources/signed/environments/production', { enabled: false }).expect(200);
    const createKey = async (environment: string, access: string) => {
      const { body } = await app.admin.post('/v1/api-keys', { name: 'k', environment, access }).expect(201);
      return body as { id: string; key: string };
    };
    readKey = (await createKey('development', 'read')).key;
    productionKey = (await createKey('production', 'write')).key;
    const revoked = await createKey('development', 'write');
    await app.admin.delete(`/v1/api-keys/${revoked.id}`).expect(204);
    revokedKey = revoked.key;
    mappingId = await createMapping(app, 'plain', 'development', {
      event_type: 'seed',
      action: 'identify_user',
      field_map: { id: 'body.userId' },
    });
    await app.admin
      .put(`${env}/workflows/welcome`, { name: 'W', steps: [{ type: 'delay', duration: '1h' }] })
      .expect(200);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  const ingest =
    (
      path: () => string,
      body: string,
      headers: Record<string, string> | (() => Record<string, string>) = {},
    ) =>
    () => {
      const test = request(app.url).post(path());
      const extra = typeof headers === 'function' ? headers() : headers;
      for (const [name, value] of Object.entries({ 'content-type': 'application/json', ...extra })) {
        test.set(name, value);
      }
      return test.send(body);
    };
  /** Bytes exactly as given: supertest would re-encode a Buffer sent as JSON. */
  const ingestBytes = (path: () => string, bytes: Buffer) => async (): Promise<Answer> => {
    const response = await fetch(`${app.url}${path()}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    return { status: response.status, body: await response.json() };
  };
  /**
   * Writes `head` on a bare socket, then `trickle` one byte every 200 ms, and returns the answer; fails after
   * 10 s, so a server that never answers fails the case instead of hanging the suite.
   */
  const rawRequest =
    (head: () => string, trickle = false) =>
    () =>
      new Promise<Answer>((done, fail) => {
        const url = new URL(app.url);
        const socket = connect(Number(url.port), url.hostname);
        let received = '';
        const dripping = trickle ? setInterval(() => socket.write(' '), 200) : undefined;
        const timer = setTimeout(() => {
          socket.destroy();
          fail(new Error(`no answer within 10 s; got ${JSON.stringify(received)}`));
        }, 10_000);
        socket.on('error', () => undefined);
        socket.on('data', (chunk) => (received += chunk.toString()));
        socket.on('close', () => {
          clearInterval(dripping);
          clearTimeout(timer);
          const [headers, text] = received.split('\r\n\r\n');
          done({
            status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]),
            body: text ? JSON.parse(text) : {},
          });
        });
        socket.write(head());
      });
  const postHead = (path: string, contentLength: number) =>
    `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n{`;
  const P = () => plain.paths.development;
  const S = () => signed.paths.development;
  const H = () => shared.paths.development;
  const W = () => webhooks.paths.development;
  const admin = (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object) => () =>
    app.admin[method](path, body as object);
  const withKey =
    (key: string | null | (() => string), path: string, method: 'get' | 'post' = 'get', body?: object) =>
    () => {
      const test = request(app.url)[method](path);
      if (key !== null) test.set('Authorization', typeof key === 'function' ? key() : key);
      return body ? test.send(body) : test;
    };

  const cases: [name: string, send: () => PromiseLike<Answer>, status: number, code?: string][] = [
    // Bodies that are not a JSON object.
    ['malformed JSON', ingest(P, '{"a":'), 400],
    ['truncated event', ingest(P, event().slice(0, -10)), 400],
    ['trailing garbage', ingest(P, '{"a":1} x'), 400],
    ['empty body', ingest(P, ''), 400],
    ['empty body, no content type', ingest(P, '', { 'content-type': '' }), 400],
    ['whitespace only', ingest(P, '   \n '), 400],
    ['a JSON array', ingest(P, '[1,2,3]'), 400],
    ['a JSON string', ingest(P, '"hello"'), 400],
    ['a JSON number', ingest(P, '42'), 400],
    ['JSON null', ingest(P, 'null'), 400],
    ['a form body', ingest(P, 'a=1&b=2', { 'content-type': 'application/x-www-form-urlencoded' }), 400],
    ['XML', ingest(P, '<event>x</event>', { 'content-type': 'application/xml' }), 400],
    [
      'multipart garbage',
      ingest(P, '--x\r\n\r\nhi\r\n--x--', { 'content-type': 'multipart/form-data; boundary=x' }),
      400,
    ],
    [
      'non-UTF-8 bytes',
      ingestBytes(P, Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d])),
      400,
      'INVALID_ENCODING',
    ],
    ['a NUL character in a string', ingest(P, '{"type":"track","event":"x\\u0000y"}'), 400],
    ['a lone surrogate', ingest(P, '{"type":"track","event":"\\ud800"}'), 400],
    ['nesting 10,000 levels deep', ingest(P, deep(10_000)), 400, 'INVALID_JSON'],
    ['nesting 101 levels deep', ingest(P, deep(100)), 400, 'INVALID_JSON'],
    [
      '100,000 keys (past the body limit)',
      ingest(P, JSON.stringify(Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])))),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    [
      'a body that trickles in (slow loris)',
      rawRequest(() => postHead(P(), 1000), true),
      408,
      'REQUEST_TIMEOUT',
    ],
    ['a Content-Length longer than the body', rawRequest(() => postHead(P(), 500)), 408, 'REQUEST_TIMEOUT'],
    ['not HTTP at all', rawRequest(() => 'HELLO THERE\r\n\r\n'), 400, 'BAD_REQUEST'],
    ['a body past MAX_BODY_BYTES', ingest(P, JSON.stringify({ big: 'x'.repeat(70_000) })), 413],
    [
      'a huge string past the limit, as text',
      ingest(P, `"${'y'.repeat(200_000)}"`, { 'content-type': 'text/plain' }),
      413,
    ],
    // Prototype pollution at every level.
    ['__proto__ at the top', ingest(P, '{"__proto__":{"admin":true}}'), 400],
    ['__proto__ nested', ingest(P, '{"properties":{"a":{"__proto__":{"x":1}}}}'), 400],
    ['__proto__ inside a list', ingest(P, '{"items":[{"__proto__":{"x":1}}]}'), 400],
    ['constructor.prototype', ingest(P, '{"constructor":{"prototype":{"x":1}}}'), 400],
    // URLs that are not live.
    [
      'an unknown token',
      ingest(() => '/integrations/receive/sbx_0123456789abcdefghijklmnopqrstuv', event()),
      404,
    ],
    ['a token with path tricks', ingest(() => '/integrations/receive/..%2F..%2Fv1%2Fsources', event()), 404],
    [
      'a token with SQL in it',
      ingest(() => `/integrations/receive/${encodeURIComponent("x' OR '1'='1")}`, event()),
      404,
    ],
    ['a rotated token', ingest(() => rotatedPath, event()), 404],
    ['a disabled URL', ingest(() => disabledPath, event()), 404],
    // Verification.
    ['HMAC: no signature', ingest(S, event()), 401],
    ['HMAC: a wrong signature', ingest(S, event(), { 'x-signature': 'a'.repeat(64) }), 401],
    ['HMAC: the signature of another body', ingest(S, event(), { 'x-signature': hmac('{"other":1}') }), 401],
    ['HMAC: a signature of the wrong length', ingest(S, event(), { 'x-signature': 'abc' }), 401],
    ['header: no secret', ingest(H, event()), 401],
    ['header: a wrong secret', ingest(H, event(), { 'x-webhook-secret': 'header-secret-0123456780' }), 401],
    ['header: the secret as a prefix', ingest(H, event(), { 'x-webhook-secret': `${HEADER_SECRET}x` }), 401],
    [
      'Standard Webhooks: signed 10 minutes ago (a replay)',
      ingest(W, event(), () => standardSignature(event(), 600)),
      401,
    ],
    [
      'Standard Webhooks: signature of another body',
      ingest(W, event(), () => standardSignature('{"other":1}')),
      401,
    ],
    ['Standard Webhooks: no signature', ingest(W, event()), 401],
    [
      'a query string of 20 KB',
      () =>
        request(app.url)
          .post(`${P()}?q=${'z'.repeat(20_000)}`)
          .send(event()),
      431,
      'HEADERS_TOO_LARGE',
    ],
    // Management keys.
    ['no key', withKey(null, `${env}/users`), 401, 'UNAUTHORIZED'],
    ['a wrong key', withKey('Bearer not-the-admin-key-at-all', `${env}/users`), 401],
    ['a key without its scheme', withKey('test-admin-key-0123456789', `${env}/users`), 401],
    ['Basic instead of Bearer', withKey('Basic dGVzdDp0ZXN0', `${env}/users`), 401],
    ['a made-up scoped key', withKey(`Bearer sbk_0123456789ab_${'q'.repeat(32)}`, `${env}/users`), 401],
    ['an SQL-looking key', withKey("Bearer ' OR 1=1 --", `${env}/users`), 401],
    ['a revoked key', withKey(() => `Bearer ${revokedKey}`, `${env}/users`), 401],
    [
      'a read key writing',
      withKey(() => `Bearer ${readKey}`, `${env}/workflows/x/trigger`, 'post', { recipients: ['u1'] }),
      403,
      'FORBIDDEN',
    ],
    [
      'a key of another environment',
      withKey(() => `Bearer ${productionKey}`, `${env}/users`),
      403,
      'FORBIDDEN',
    ],
    [
      'a scoped key on admin routes',
      withKey(() => `Bearer ${productionKey}`, '/v1/api-keys'),
      403,
      'FORBIDDEN',
    ],
    // Invalid DTOs, ids and paths.
    [
      'environment: unknown field',
      admin('post', '/v1/environments', { slug: 'staging', name: 'S', admin: true }),
      422,
    ],
    [
      'environment: SQL as slug',
      admin('post', '/v1/environments', { slug: "x'; DROP TABLE users; --", name: 'S' }),
      422,
    ],
    ['environment: wrong types', admin('post', '/v1/environments', { slug: 7, name: ['S'] }), 422],
    ['source: unknown type', admin('post', '/v1/sources', { key: 'k2', name: 'K', type: 'segment' }), 422],
    [
      'source: key too long',
      admin('post', '/v1/sources', { key: 'k'.repeat(300), name: 'K', type: 'custom' }),
      422,
    ],
    [
      'source settings: short secret',
      admin('patch', '/v1/sources/plain/environments/development', {
        verification: { type: 'header', header: 'x-s', secret: 'short' },
      }),
      422,
    ],
    [
      'source settings: bad path',
      admin('patch', '/v1/sources/plain/environments/development', { event_type_path: 'body.__proto__.x' }),
      422,
    ],
    ['list: limit 0', admin('get', '/v1/sources?limit=0'), 422],
    ['list: limit 201', admin('get', '/v1/sources?limit=201'), 422],
    ['list: limit not a number', admin('get', '/v1/sources?limit=abc'), 422],
    ['events: limit 1000', admin('get', '/v1/sources/plain/environments/development/events?limit=1000'), 422],
    [
      'events: status not one of them',
      admin('get', "/v1/sources/plain/environments/development/events?status=x'--"),
      422,
    ],
    ['list: a forged cursor', admin('get', '/v1/sources?cursor=bm90LWEtY3Vyc29y'), 400, 'INVALID_CURSOR'],
    ['event: id not a UUID', admin('get', '/v1/events/not-a-uuid'), 400],
    ['event: path traversal', admin('get', '/v1/events/..%2F..%2Fetc%2Fpasswd'), 400],
    ['event: unknown id', admin('get', '/v1/events/00000000-0000-4000-8000-000000000000'), 404],
    ['user: traversal as id', admin('get', `${env}/users/..%2F..%2Fadmin`), 404],
    ['user: unknown environment', admin('get', '/v1/environments/..%2Fproduction/users'), 404],
    ['user: properties not an object', admin('put', `${env}/users/u1`, { properties: 'all' }), 422],
    [
      'environment: SQL as slug in the path',
      admin('get', `/v1/environments/${encodeURIComponent("x' OR 1=1")}`),
      404,
    ],
    ['environments: limit -1', admin('get', '/v1/environments?limit=-1'), 422],
    ['source: unknown field', admin('patch', '/v1/sources/plain', { name: 'P', owner: 'eve' }), 422],
    ['source: name of the wrong type', admin('patch', '/v1/sources/plain', { name: { $ne: null } }), 422],
    [
      'mapping: enabled not a boolean',
      () =>
        app.admin.patch(`/v1/sources/plain/environments/development/mappings/${mappingId}`, {
          enabled: 'yes',
        }),
      422,
    ],
    [
      'mapping: id not a UUID',
      admin('get', '/v1/sources/plain/environments/development/mappings/1%20OR%201=1'),
      400,
    ],
    [
      'dry run: payload not an object',
      admin('post', '/v1/sources/plain/environments/development/mappings/test', { payload: '[]' }),
      422,
    ],
    ['trigger: recipients missing', admin('post', `${env}/workflows/welcome/trigger`, { data: {} }), 422],
    [
      'trigger: data not an object',
      admin('post', `${env}/workflows/welcome/trigger`, { recipients: ['u1'], data: 'x' }),
      422,
    ],
    ['cancel: no cancellation key', admin('post', `${env}/workflows/welcome/cancel`, {}), 422],
    ['workflow runs: limit 0', admin('get', `${env}/workflow-runs?limit=0`), 422],
    ['workflow runs: id not a UUID', admin('get', `${env}/workflow-runs/..%2F..%2Fetc`), 400],
    ['users: limit not a number', admin('get', `${env}/users?limit=abc`), 422],
    ['API key: revoke an id that is not a UUID', admin('delete', '/v1/api-keys/not-a-uuid'), 400],
    ['user: unknown field', admin('put', `${env}/users/u1`, { properties: {}, admin: true }), 422],
    ['user: SQL as id', admin('get', `${env}/users/${encodeURIComponent("' OR '1'='1")}`), 404],
    [
      'mapping: path into __proto__',
      admin('post', '/v1/sources/plain/environments/development/mappings', {
        event_type: 'x',
        action: 'identify_user',
        field_map: { id: 'body.__proto__.polluted' },
      }),
      422,
    ],
    [
      'mapping: unknown field',
      admin('post', '/v1/sources/plain/environments/development/mappings', {
        event_type: 'x',
        action: 'identify_user',
        field_map: { id: 'body.userId' },
        run_as: 'root',
      }),
      422,
    ],
    [
      'mapping: condition on constructor',
      admin('post', '/v1/sources/plain/environments/development/mappings', {
        event_type: 'x',
        action: 'identify_user',
        field_map: { id: 'body.userId' },
        conditions: [{ path: 'body.constructor.name', operator: 'exists' }],
      }),
      422,
    ],
    [
      'mapping: unknown action',
      admin('post', '/v1/sources/plain/environments/development/mappings', {
        event_type: 'x',
        action: 'drop_tables',
        field_map: {},
      }),
      422,
    ],
    [
      'mapping: regex too long',
      admin('post', '/v1/sources/plain/environments/development/mappings', {
        event_type: 'x',
        action: 'identify_user',
        field_map: { id: 'body.userId' },
        conditions: [{ path: 'body.x', operator: 'matches', value: 'a'.repeat(500) }],
      }),
      422,
    ],
    [
      'mapping: template reading files',
      admin('post', '/v1/sources/plain/environments/development/mappings', {
        event_type: 'x',
        action: 'identify_user',
        field_map: { id: { template: '{% include "/etc/passwd" %}' } },
      }),
      422,
    ],
    [
      'workflow: http to cloud metadata',
      admin('put', `${env}/workflows/evil`, {
        name: 'E',
        steps: [{ type: 'http', method: 'GET', url: 'http://169.254.169.254/latest/meta-data' }],
      }),
      422,
    ],
    [
      'workflow: http to metadata by name',
      admin('put', `${env}/workflows/evil`, {
        name: 'E',
        steps: [{ type: 'http', method: 'GET', url: 'http://metadata.google.internal/' }],
      }),
      422,
    ],
    [
      'workflow: http to a host not allowed',
      admin('put', `${env}/workflows/evil`, {
        name: 'E',
        steps: [{ type: 'http', method: 'POST', url: 'https://attacker.example.net/collect' }],
      }),
      422,
    ],
    [
      'workflow: unknown step type',
      admin('put', `${env}/workflows/evil`, { name: 'E', steps: [{ type: 'exec', command: 'rm -rf /' }] }),
      422,
    ],
    ['workflow: no steps', admin('put', `${env}/workflows/evil`, { name: 'E', steps: [] }), 422],
    [
      'workflow: unknown field',
      admin('put', `${env}/workflows/evil`, {
        name: 'E',
        steps: [{ type: 'delay', duration: 1 }],
        owner: 'x',
      }),
      422,
    ],
    [
      'workflow: http to a link-local IPv6 address',
      admin('put', `${env}/workflows/evil`, {
        name: 'E',
        steps: [{ type: 'http', method: 'GET', url: 'http://[fe80::1]/' }],
      }),
      422,
    ],
    [
      'workflow: key with a slash',
      admin('put', `${env}/workflows/a%2Fb`, { name: 'E', steps: [{ type: 'delay', duration: 1 }] }),
      422,
    ],
    [
      'trigger: unknown workflow',
      admin('post', `${env}/workflows/nope/trigger`, { recipients: ['u1'] }),
      404,
    ],
    [
      'replay: mapping ids not UUIDs',
      admin('post', '/v1/events/00000000-0000-4000-8000-000000000000/replay', { mapping_ids: ['x'] }),
      422,
    ],
    [
      'API key: admin access',
      admin('post', '/v1/api-keys', { name: 'k', environment: 'development', access: 'admin' }),
      422,
    ],
  ];

  /**
   * Every table's whole content, hashed: a case that changed any row (not just the count) shows up. An API key's
   * last_used_at is bookkeeping: a refused call by a genuine key still counts as its use.
   */
  const snapshot = async () => {
    const { rows } = await db.client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY table_name`,
    );
    const hashes: Record<string, string> = {};
    for (const { table_name } of rows) {
      const result = await db.client.query<{ hash: string }>(
        `SELECT md5(coalesce(string_agg((to_jsonb(t) - 'last_used_at')::text, ',' ORDER BY t::text), '')) AS hash FROM ${table_name} t`,
      );
      hashes[table_name] = result.rows[0].hash;
    }
    return hashes;
  };

  it(`has at least 40 cases (${cases.length})`, () => expect(cases.length).toBeGreaterThanOrEqual(40));

  // Rows as objects: with tuples of different lengths, Jest would hand the shorter ones a `done` callback.
  it.each(cases.map(([name, send, status, code]) => ({ name, send, status, code })))(
    '$name → $status, nothing changed',
    async ({ send, status, code }) => {
      const before = await snapshot();
      const response = await send();
      expect(response.status).toBe(status);
      expect(response.body).toMatchObject({
        error: { code: code ?? expect.any(String), message: expect.any(String) },
      });
      expect(await snapshot()).toEqual(before);
    },
  );

  it('stores SQL-looking strings verbatim, as data', async () => {
    const id = "u'); DROP TABLE users; --";
    const email = "' OR '1'='1";
    const type = "$identify'; DELETE FROM action_mappings; --";
    await createMapping(app, 'plain', 'development', {
      event_type: type,
      action: 'identify_user',
      field_map: { id: 'body.userId', email: 'body.properties.email' },
    });
    const event = {
      ...payload('knock-destination/identify.json'),
      event: type,
      userId: id,
      properties: { email },
    };
    const { body } = await request(app.url).post(P()).send(event).expect(202);
    expect(await waitForProcessed(app, body.event_id)).toMatchObject({ status: 'processed' });
    const user = await app.admin.get(`${env}/users/${encodeURIComponent(id)}`).expect(200);
    expect(user.body).toMatchObject({ id, email });
  });

  it('never writes a secret to its log, nor shows one again after creating it', async () => {
    const HOOK_SECRET = 'hook-secret-0123456789';
    await app.admin
      .put(`${env}/workflows/notify`, {
        name: 'Notify',
        steps: [
          {
            type: 'http',
            method: 'POST',
            url: 'https://hooks.example.com/notify',
            headers: { authorization: `Bearer ${HOOK_SECRET}` },
            timeout_seconds: 2,
            retries: 0,
          },
        ],
      })
      .expect(200);
    // Signed and secret-bearing requests that pass, after all those that failed above.
    const body = event();
    await ingest(S, body, { 'x-signature': hmac(body) })().expect(202);
    await ingest(H, event(), { 'x-webhook-secret': HEADER_SECRET })().expect(202);
    await ingest(W, body, () => standardSignature(body))().expect(202);
    await request(app.url).get(`${env}/users`).set('Authorization', `Bearer ${readKey}`).expect(200);
    // The run sends the secret header (to a host this machine cannot reach) and records the attempt.
    const triggered = await app.admin
      .post(`${env}/workflows/notify/trigger`, { recipients: ['u1'] })
      .expect(202);
    const run = await waitForRun(app, triggered.body.runs[0] as string, ['failed'], 20000);

    const shown = [
      JSON.stringify((await app.admin.get('/v1/sources/signed/environments/development').expect(200)).body),
      JSON.stringify((await app.admin.get('/v1/sources/shared/environments/development').expect(200)).body),
      JSON.stringify((await app.admin.get(`${env}/workflows/notify`).expect(200)).body),
      JSON.stringify((await app.admin.get('/v1/api-keys').expect(200)).body),
      JSON.stringify(run),
    ].join('\n');
    const secrets = {
      HMAC_SECRET,
      HEADER_SECRET,
      HOOK_SECRET,
      standardWebhooksKey: WEBHOOKS_KEY.toString('base64'),
      readKey,
      productionKey,
      revokedKey,
      adminKey: app.env.ADMIN_API_KEY,
      ingestionToken: P().split('/').pop()!,
    };
    // The log does record those requests, with the token masked.
    expect(app.output()).toContain('/integrations/receive/[token]');
    for (const [name, secret] of Object.entries(secrets)) {
      expect({ name, inLog: app.output().includes(secret) }).toEqual({ name, inLog: false });
      if (name !== 'ingestionToken')
        expect({ name, shown: shown.includes(secret) }).toEqual({ name, shown: false });
    }
  });
});
