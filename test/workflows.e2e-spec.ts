import { createTestDatabase, startApp, TestApp, TestDatabase } from './helpers/app';
import { waitForRun } from './helpers/fixtures';

describe('workflow definitions', () => {
  let db: TestDatabase;
  let app: TestApp;
  const path = '/v1/environments/development/workflows';
  const onboarding = {
    name: 'Onboarding',
    steps: [
      {
        type: 'http',
        ref: 'welcome',
        method: 'POST',
        url: 'https://hooks.example.com/welcome',
        headers: { Authorization: 'Bearer very-secret-token', 'Content-Type': 'application/json' },
        body: { text: 'Welcome {{ recipient.name }}' },
      },
      { type: 'delay', duration: '2d' },
      {
        type: 'branch',
        conditions: [{ path: 'recipient.properties.plan', operator: 'equals', value: 'free' }],
        then: [{ type: 'http', method: 'POST', url: 'https://hooks.example.com/nudge' }],
        else: [{ type: 'update_user', properties: { onboarded: true } }],
      },
    ],
  };
  const storedSteps = async (version: number) =>
    (
      await db.client.query(
        `SELECT v.steps FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id WHERE w.key = 'onboarding' AND v.version = $1`,
        [version],
      )
    ).rows[0]?.steps;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('saves a workflow and shows it with header values masked', async () => {
    const { body } = await app.admin.put(`${path}/onboarding`, onboarding).expect(200);
    expect(body).toMatchObject({
      key: 'onboarding',
      name: 'Onboarding',
      enabled: true,
      version: 1,
      current_version: 1,
    });
    expect(body.steps[0].headers).toEqual({ Authorization: '********', 'Content-Type': '********' });
    expect(JSON.stringify(body)).not.toContain('very-secret-token');
    expect((await storedSteps(1))[0].headers.Authorization).toBe('Bearer very-secret-token');
    const read = await app.admin.get(`${path}/onboarding`).expect(200);
    expect(read.body.steps).toEqual(body.steps);
  });

  it('keeps every save as a new version, and keeps masked secrets as they were', async () => {
    const { body: current } = await app.admin.get(`${path}/onboarding`).expect(200);
    current.steps[1].duration = '3d';
    const saved = await app.admin
      .put(`${path}/onboarding`, { name: 'Onboarding v2', steps: current.steps, enabled: false })
      .expect(200);
    expect(saved.body).toMatchObject({ version: 2, name: 'Onboarding v2', enabled: false });
    const v2 = await storedSteps(2);
    expect(v2[0].headers).toEqual({
      Authorization: 'Bearer very-secret-token',
      'Content-Type': 'application/json',
    });
    expect(v2[1].duration).toBe('3d');
    const v1 = await app.admin.get(`${path}/onboarding?version=1`).expect(200);
    expect(v1.body).toMatchObject({ version: 1, current_version: 2 });
    expect(v1.body.steps[1].duration).toBe('2d');
    const missing = await app.admin.get(`${path}/onboarding?version=9`).expect(404);
    expect(missing.body.error.code).toBe('WORKFLOW_NOT_FOUND');
  });

  it('refuses invalid definitions with 422 naming the step and field, and saves nothing', async () => {
    for (const [steps, field] of [
      [[{ type: 'delay', duration: 'soon' }], 'steps.0.duration'],
      [
        [
          {
            type: 'branch',
            conditions: [],
            then: [{ type: 'http', method: 'POST', url: 'http://169.254.169.254/latest' }],
          },
        ],
        'steps.0.then.0.url',
      ],
      [
        [{ type: 'http', method: 'POST', url: 'https://x.io', headers: { 'X-Key': '********' } }],
        'steps.0.headers.X-Key',
      ],
      [[], 'steps'],
    ] as const) {
      const response = await app.admin.put(`${path}/onboarding`, { name: 'Broken', steps }).expect(422);
      expect(response.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    await app.admin.put(`${path}/Not%20A%20Key`, onboarding).expect(422);
    await app.admin.put(`${path}/x`, { name: 'x', steps: 'nope' }).expect(422);
    expect((await app.admin.get(`${path}/onboarding`).expect(200)).body.version).toBe(2);
  });

  it('lists, and deletes with its unfinished runs cancelled', async () => {
    await app.admin
      .put(`${path}/digest`, { name: 'Digest', steps: [{ type: 'delay', duration: 60 }] })
      .expect(200);
    const list = await app.admin.get(path).expect(200);
    expect(list.body.data.map((w: { key: string }) => w.key)).toEqual(['onboarding', 'digest']);
    await db.client.query(
      `INSERT INTO workflow_runs (environment_id, workflow_key, recipient_id, status)
       SELECT id, 'onboarding', r, s FROM environments, (VALUES ('a', 'queued'), ('b', 'completed')) AS v(r, s) WHERE slug = 'development'`,
    );
    await app.admin.delete(`${path}/onboarding`).expect(204);
    await app.admin.get(`${path}/onboarding`).expect(404);
    await app.admin.delete(`${path}/onboarding`).expect(404);
    const runs = await db.client.query(
      `SELECT recipient_id, status FROM workflow_runs ORDER BY recipient_id`,
    );
    expect(runs.rows).toEqual([
      { recipient_id: 'a', status: 'cancelled' },
      { recipient_id: 'b', status: 'completed' },
    ]);
    expect(
      (
        await db.client.query(
          `SELECT 1 FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id WHERE w.key = 'onboarding'`,
        )
      ).rowCount,
    ).toBe(0);
  });

  describe('runs through the API', () => {
    const runs = '/v1/environments/development/workflow-runs';

    beforeAll(async () => {
      await app.admin
        .put(`${path}/welcome`, { name: 'Welcome', steps: [{ type: 'delay', duration: '1h' }] })
        .expect(200);
      await app.admin
        .put(`${path}/welcome`, { name: 'Welcome', steps: [{ type: 'delay', duration: '2h' }] })
        .expect(200);
    });

    it('triggers one run per recipient on the current version, identifying inline recipients', async () => {
      const { body } = await app.admin
        .post(`${path}/welcome/trigger`, {
          recipients: ['u1', { id: 'u2', email: 'u2@example.com' }],
          actor: 'admin',
          data: { plan: 'pro' },
          tenant: 'acme',
          cancellation_key: 'welcome-batch-1',
        })
        .expect(202);
      expect(body).toEqual({ workflow: 'welcome', runs: [expect.any(String), expect.any(String)] });
      await waitForRun(app, body.runs[0] as string, ['waiting']);
      const run = { body: await waitForRun(app, body.runs[1] as string, ['waiting']) };
      expect(run.body).toMatchObject({
        workflow: 'welcome',
        workflow_version: 2,
        recipient: 'u2',
        actor: 'admin',
        tenant: 'acme',
        data: { plan: 'pro' },
        status: 'waiting',
        current_step: 'steps.0',
        source_event_id: null,
      });
      expect((await app.admin.get('/v1/environments/development/users/u2').expect(200)).body.email).toBe(
        'u2@example.com',
      );
    });

    it('lists runs with filters and cancels them by cancellation key', async () => {
      const byRecipient = await app.admin.get(`${runs}?workflow=welcome&recipient=u1`).expect(200);
      expect(byRecipient.body.data.map((r: { recipient: string }) => r.recipient)).toEqual(['u1']);
      const cancelled = await app.admin
        .post(`${path}/welcome/cancel`, { cancellation_key: 'welcome-batch-1', recipients: ['u1'] })
        .expect(200);
      expect(cancelled.body.cancelled).toHaveLength(1);
      const left = await app.admin.get(`${runs}?workflow=welcome&status=waiting`).expect(200);
      expect(left.body.data.map((r: { recipient: string }) => r.recipient)).toEqual(['u2']);
      const again = await app.admin
        .post(`${path}/welcome/cancel`, { cancellation_key: 'welcome-batch-1' })
        .expect(200);
      expect(again.body.cancelled).toHaveLength(1);
      expect((await app.admin.get(`${runs}?status=cancelled`).expect(200)).body.data).toHaveLength(3);
    });

    it('answers 404 for an unknown workflow or run, 409 for a disabled one, 422 for bad input', async () => {
      await app.admin.post(`${path}/nope/trigger`, { recipients: 'u1' }).expect(404);
      await app.admin.get(`${runs}/00000000-0000-4000-8000-000000000000`).expect(404);
      await app.admin
        .put(`${path}/paused`, { name: 'Paused', enabled: false, steps: [{ type: 'delay', duration: 1 }] })
        .expect(200);
      const disabled = await app.admin.post(`${path}/paused/trigger`, { recipients: 'u1' }).expect(409);
      expect(disabled.body.error.code).toBe('WORKFLOW_DISABLED');
      const bad = await app.admin.post(`${path}/welcome/trigger`, { recipients: [] }).expect(422);
      expect(bad.body.error.message).toBe('recipients is empty');
      await app.admin.post(`${path}/welcome/trigger`, {}).expect(422);
      await app.admin.post(`${path}/welcome/trigger`, { recipients: 'u1', extra: 1 }).expect(422);
      await app.admin.get(`${runs}?status=sleeping`).expect(422);
    });
  });
});
