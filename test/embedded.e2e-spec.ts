import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedApp, TestApp } from './helpers/app';
import { createMapping, createSource, payload, waitForProcessed, waitForRun } from './helpers/fixtures';
import { Sink } from './helpers/sink';

/** The zero-setup mode: no PostgreSQL, no Redis. The core of the product must work the same. */
describe('embedded mode (PGlite, in-process jobs)', () => {
  let dataDir: string;
  let app: TestApp;
  let sink: Sink;

  beforeAll(async () => {
    sink = await new Sink().start();
    dataDir = mkdtempSync(join(tmpdir(), 'signalbox-embedded-'));
    app = await startEmbeddedApp(dataDir);
  });
  afterAll(async () => {
    await app?.close();
    await sink?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says what it chose, and makes an admin key that it shows once', () => {
    expect(app.output()).toContain('embedded database at');
    expect(app.output()).toContain('set DATABASE_URL to use PostgreSQL');
    expect(app.output()).toContain('jobs run in this process; set REDIS_URL');
    expect(app.output()).toMatch(/admin API key \(shown once, kept in .*admin-api-key\): [\w-]{32}/);
  });

  it('ingests, drops duplicates, identifies, and runs a workflow through a delay and a restart', async () => {
    await app.admin
      .put('/v1/environments/development/workflows/welcome', {
        name: 'Welcome',
        steps: [
          { type: 'http', method: 'POST', url: `${sink.url}/hello`, body: { to: '{{ recipient.email }}' } },
          { type: 'delay', duration: '3s' },
          { type: 'http', method: 'POST', url: `${sink.url}/later`, body: { to: '{{ recipient.email }}' } },
        ],
      })
      .expect(200);
    const source = await createSource(app, 'posthog', 'posthog');
    await createMapping(app, 'posthog', 'development', {
      event_type: 'user_signed_up',
      action: 'identify_user',
      field_map: { id: 'body.userId', email: 'body.properties.email', name: 'body.properties.name' },
    });
    await createMapping(app, 'posthog', 'development', {
      event_type: 'user_signed_up',
      action: 'trigger_workflow',
      field_map: { workflow: { value: 'welcome' }, recipients: 'body.userId' },
    });

    const signup = payload('knock-destination/user-signed-up.json');
    const first = await app.http().post(source.paths.development).send(signup).expect(202);
    const again = await app.http().post(source.paths.development).send(signup).expect(200);
    expect(again.body).toEqual({ status: 'duplicate', event_id: first.body.event_id });

    const trace = await waitForProcessed(app, first.body.event_id as string);
    expect(trace.status).toBe('processed');
    const user = (await app.admin.get('/v1/environments/development/users/user_grace').expect(200)).body;
    expect(user).toMatchObject({ email: 'grace@example.com', name: 'Grace Hopper' });
    const runId = trace.workflow_runs[0].id as string;
    await waitForRun(app, runId, ['waiting']);
    expect(sink.received('/hello').map((r) => r.body)).toEqual([{ to: 'grace@example.com' }]);

    // Stop during the delay; the next start finds the run in the database and finishes it.
    await app.close();
    app = await startEmbeddedApp(dataDir, {
      RECONCILER_INTERVAL_SECONDS: '1',
      RECONCILER_GRACE_SECONDS: '1',
    });
    expect(app.output()).toContain('admin API key: the one kept in');
    const run = await waitForRun(app, runId, ['completed', 'failed'], 20000);
    expect(run.status).toBe('completed');
    expect(sink.received('/hello')).toHaveLength(1);
    expect(sink.received('/later').map((r) => r.body)).toEqual([{ to: 'grace@example.com' }]);
    // Still a duplicate after the restart: the idempotency key lives in the database.
    await app.http().post(source.paths.development).send(signup).expect(200);
  });
});

describe('production settings', () => {
  it('refuse to start without PostgreSQL, Redis and an admin key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'signalbox-production-'));
    try {
      await expect(startEmbeddedApp(dataDir, { NODE_ENV: 'production' })).rejects.toThrow(
        /exited with code 1[\s\S]*DATABASE_URL=\(unset\): required when NODE_ENV=production[\s\S]*REDIS_URL=\(unset\): required when NODE_ENV=production/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
