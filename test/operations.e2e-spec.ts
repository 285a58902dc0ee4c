import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createTestDatabase, startApp, TestApp, TestDatabase, waitFor } from './helpers/app';
import { createMapping, createSource, payload, waitForProcessed } from './helpers/fixtures';
import { Sink } from './helpers/sink';

describe('operations: health, metrics, logs', () => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers the health probes without a key', async () => {
    expect((await app.http().get('/health/live').expect(200)).body.status).toBe('ok');
    const ready = await app.http().get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: {
        database: { status: 'up' },
        migrations: { status: 'up' },
        queue: { status: 'up', kind: 'redis' },
      },
    });
  });

  it('describes its API at /docs-json, exactly as the committed openapi.json (npm run openapi)', async () => {
    const served = (await app.http().get('/docs-json').expect(200)).body;
    const committed = JSON.parse(readFileSync(resolve(__dirname, '..', 'openapi.json'), 'utf8'));
    expect(served).toEqual(committed);
    expect((await app.http().get('/docs').expect(200)).text).toContain('swagger');
  });

  it('counts ingestion outcomes, processing, actions and requests', async () => {
    const source = await createSource(app, 'posthog', 'posthog');
    await createMapping(app, 'posthog', 'development', {
      event_type: 'user_signed_up',
      action: 'identify_user',
      field_map: { id: 'body.userId' },
    });
    const signup = payload('knock-destination/user-signed-up.json');
    const { body } = await app.http().post(source.paths.development).send(signup).expect(202);
    await app.http().post(source.paths.development).send(signup).expect(200);
    await app
      .http()
      .post(source.paths.development)
      .set('content-type', 'application/json')
      .send('{')
      .expect(400);
    await app.http().post('/integrations/receive/sbx_unknown_token_0000000000000000').send({}).expect(404);
    await waitForProcessed(app, body.event_id as string);

    const metrics = (await app.http().get('/metrics').expect(200)).text;
    const value = (line: string) => Number(new RegExp(`^${escape(line)} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(
      value(
        'signalbox_events_received_total{source="posthog",environment="development",outcome="accepted",reason=""}',
      ),
    ).toBe(1);
    expect(
      value(
        'signalbox_events_received_total{source="posthog",environment="development",outcome="duplicate",reason=""}',
      ),
    ).toBe(1);
    expect(
      value(
        'signalbox_events_received_total{source="unknown",environment="unknown",outcome="rejected",reason="invalid_body"}',
      ),
    ).toBe(1);
    expect(
      value(
        'signalbox_events_received_total{source="unknown",environment="unknown",outcome="rejected",reason="unknown_url"}',
      ),
    ).toBe(1);
    expect(value('signalbox_event_processing_seconds_count{status="processed"}')).toBe(1);
    expect(value('signalbox_action_executions_total{action="identify_user",status="succeeded"}')).toBe(1);
    expect(
      value(
        'signalbox_http_request_duration_seconds_count{method="POST",route="/integrations/receive/:token",status="202"}',
      ),
    ).toBe(1);
    expect(metrics).toMatch(/^signalbox_queue_jobs\{queue="events",state="waiting"\} \d+$/m);
    expect(metrics).toContain('process_resident_memory_bytes');
  });

  it('sends security headers, and no CORS permission to other origins', async () => {
    const { headers } = await app
      .http()
      .get('/health/live')
      .set('origin', 'https://evil.example')
      .expect(200);
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'SAMEORIGIN' });
    expect(headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await app
      .http()
      .options('/v1/environments')
      .set('origin', 'https://evil.example')
      .set('access-control-request-method', 'GET');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('logs JSON lines with the request id, and never an ingestion token', async () => {
    const source = await createSource(app, 'tokens', 'custom');
    const token = source.paths.development.split('/').pop()!;
    const refused = await app
      .http()
      .post(source.paths.development)
      .set('x-request-id', 'trace-me-123')
      .set('content-type', 'application/json')
      .send('[1,')
      .expect(400);
    expect(refused.headers['x-request-id']).toBe('trace-me-123');
    await app.http().post(source.paths.development).send([1]).expect(400);
    await new Promise((r) => setTimeout(r, 200));
    const lines = app
      .output()
      .split('\n')
      .filter((line) => line.includes('trace-me-123'));
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.parse(lines[0])).toMatchObject({
      req: { id: 'trace-me-123', method: 'POST', url: '/integrations/receive/[token]' },
      res: { status: 400 },
    });
    expect(app.output()).not.toContain(token);
  });
});

describe('readiness without Redis', () => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db, { ROLE: 'api', REDIS_URL: 'redis://127.0.0.1:1' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('is live but not ready', async () => {
    await app.http().get('/health/live').expect(200);
    const ready = await app.http().get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({
      status: 'error',
      error: { queue: { status: 'down' } },
      info: { database: { status: 'up' } },
    });
  });
});

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('graceful shutdown', () => {
  let db: TestDatabase;
  let app: TestApp;
  let sink: Sink;

  beforeAll(async () => {
    sink = await new Sink().start();
    db = await createTestDatabase();
    app = await startApp(db);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await sink?.stop();
  });

  it('on SIGTERM finishes the job in flight, records it, and exits 0', async () => {
    sink.script('/slow', { status: 200, delayMs: 1500 });
    await app.admin
      .put('/v1/environments/development/workflows/slow', {
        name: 'Slow',
        steps: [{ type: 'http', method: 'POST', url: `${sink.url}/slow` }],
      })
      .expect(200);
    const { body } = await app.admin
      .post('/v1/environments/development/workflows/slow/trigger', { recipients: ['sam'] })
      .expect(202);
    await waitFor(() => Promise.resolve(sink.received('/slow').length === 1));

    const exited = new Promise<number | null>((done) => app.process.once('exit', (code) => done(code)));
    app.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(app.output()).toContain('SIGTERM: shutting down');
    const { rows } = await db.client.query(
      `SELECT r.status, s.status AS step FROM workflow_runs r JOIN workflow_step_executions s ON s.run_id = r.id WHERE r.id = $1`,
      [body.runs[0]],
    );
    expect(rows).toEqual([{ status: 'completed', step: 'succeeded' }]);
  });
});
