import { createTestDatabase, flushQueues, startApp, TestApp, TestDatabase, waitFor } from './helpers/app';
import { createMapping, createSource, payload, waitForProcessed, waitForRun } from './helpers/fixtures';
import { Sink } from './helpers/sink';

/** Quick retries and a reconciler that looks every second, so that the tests wait little. */
const FAST = {
  ACTION_RETRY_DELAY_SECONDS: '1',
  RECONCILER_INTERVAL_SECONDS: '1',
  RECONCILER_GRACE_SECONDS: '1',
};
const workflows = '/v1/environments/development/workflows';

describe('workflow runs', () => {
  let db: TestDatabase;
  let app: TestApp;
  let sink: Sink;

  const define = (key: string, steps: object[]) =>
    app.admin.put(`${workflows}/${key}`, { name: key, steps }).expect(200);
  const trigger = async (key: string, body: object): Promise<string[]> =>
    (await app.admin.post(`${workflows}/${key}/trigger`, body).expect(202)).body.runs as string[];

  beforeAll(async () => {
    sink = await new Sink().start();
    db = await createTestDatabase();
    app = await startApp(db, FAST);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await sink?.stop();
  });

  it('runs a PostHog signup through http, a 1 s delay and http again, with templated bodies', async () => {
    await define('onboarding', [
      {
        type: 'http',
        ref: 'welcome',
        method: 'POST',
        url: `${sink.url}/welcome`,
        headers: { Authorization: 'Bearer sink-secret-123' },
        body: {
          text: 'Welcome, {{ recipient.name }}!',
          email: '{{ recipient.email }}',
          plan: '{{ data.plan }}',
        },
      },
      { type: 'delay', ref: 'wait', duration: '1s' },
      {
        type: 'http',
        ref: 'nudge',
        method: 'POST',
        url: `${sink.url}/nudge?user={{ recipient.id | url_encode }}`,
        body: { text: '{{ recipient.name }} of {{ data.company.name }} ({{ data.company.size }} people)' },
      },
    ]);
    const source = await createSource(app, 'posthog', 'posthog');
    await createMapping(app, 'posthog', 'development', {
      event_type: 'user_signed_up',
      action: 'trigger_workflow',
      field_map: {
        workflow: { value: 'onboarding' },
        recipients: {
          template:
            '[{"id":"{{ body.userId }}","email":"{{ body.properties.email }}","name":"{{ body.properties.name }}"}]',
        },
        data: 'body.properties',
        cancellation_key: { template: 'onboarding-{{ body.userId }}' },
      },
    });

    const sent = await app
      .http()
      .post(source.paths.development)
      .send(payload('knock-destination/user-signed-up.json'))
      .expect(202);
    const trace = await waitForProcessed(app, sent.body.event_id as string);
    expect(trace.workflow_runs).toHaveLength(1);
    const runId = trace.workflow_runs[0].id as string;
    const run = await waitForRun(app, runId, ['completed', 'failed'], 15000);

    expect(run).toMatchObject({
      status: 'completed',
      current_step: null,
      error: null,
      recipient: 'user_grace',
    });
    const [welcome] = sink.received('/welcome');
    const [nudge] = sink.received('/nudge?user=user_grace');
    expect(welcome.body).toEqual({ text: 'Welcome, Grace Hopper!', email: 'grace@example.com', plan: 'pro' });
    expect(welcome.headers).toMatchObject({
      authorization: 'Bearer sink-secret-123',
      'content-type': 'application/json',
      'idempotency-key': `${runId}/steps.0`,
    });
    expect(nudge.body).toEqual({ text: 'Grace Hopper of Hopper Labs (42 people)' });
    expect(nudge.at - welcome.at).toBeGreaterThanOrEqual(1000);

    expect(run.steps.map((s: any) => [s.step, s.ref, s.type, s.status, s.attempts])).toEqual([
      ['steps.0', 'welcome', 'http', 'succeeded', 1],
      ['steps.1', 'wait', 'delay', 'succeeded', 1],
      ['steps.2', 'nudge', 'http', 'succeeded', 1],
    ]);
    const [first, wait] = run.steps;
    // The secret reached the target but is masked in the record.
    expect(first.input.headers.authorization).toBe('********');
    expect(JSON.stringify(run)).not.toContain('sink-secret-123');
    expect(first.output).toEqual({ status: 200, body: { ok: true, path: '/welcome' } });
    expect(first.input).toMatchObject({ method: 'POST', url: `${sink.url}/welcome`, body: welcome.body });
    expect(Date.parse(wait.finished_at) - Date.parse(wait.started_at)).toBeGreaterThanOrEqual(1000);
    expect(wait.scheduled_at).toBe(wait.input.until);
  });

  it('takes each arm of a branch, waits until a time from the data, and updates the recipient', async () => {
    await define('upgrade', [
      { type: 'delay', until: 'data.start_at' },
      {
        type: 'branch',
        ref: 'plan',
        conditions: [{ path: 'recipient.properties.plan', operator: 'equals', value: 'pro' }],
        then: [{ type: 'update_user', properties: { tier: 'paid via {{ data.source }}', welcomed: true } }],
        else: [
          { type: 'http', method: 'POST', url: `${sink.url}/free`, body: '{{ recipient.id }} is on free' },
        ],
      },
    ]);
    await app.admin
      .put('/v1/environments/development/users/ada', { properties: { plan: 'pro' } })
      .expect(200);
    await app.admin
      .put('/v1/environments/development/users/bob', { properties: { plan: 'free' } })
      .expect(200);
    const startAt = new Date(Date.now() + 1000).toISOString();
    const [ada, bob] = await trigger('upgrade', {
      recipients: ['ada', 'bob'],
      data: { start_at: startAt, source: 'api' },
    });

    const adaRun = await waitForRun(app, ada, ['completed', 'failed']);
    const bobRun = await waitForRun(app, bob, ['completed', 'failed']);
    expect([adaRun.status, bobRun.status]).toEqual(['completed', 'completed']);
    expect(adaRun.steps[0]).toMatchObject({ type: 'delay', scheduled_at: startAt });
    expect(Date.parse(adaRun.steps[1].started_at)).toBeGreaterThanOrEqual(Date.parse(startAt));
    expect(adaRun.steps.map((s: any) => [s.step, s.status])).toEqual([
      ['steps.0', 'succeeded'],
      ['steps.1', 'succeeded'],
      ['steps.1.then.0', 'succeeded'],
    ]);
    expect(adaRun.steps[1].output).toEqual({ arm: 'then' });
    expect(adaRun.steps[2]).toMatchObject({
      type: 'update_user',
      input: { properties: { tier: 'paid via api', welcomed: true } },
      output: { user_id: 'ada', created: false },
    });
    expect(bobRun.steps[1].output).toEqual({
      arm: 'else',
      reason: 'condition not met: recipient.properties.plan equals "pro" (found "free")',
    });
    expect(bobRun.steps[2]).toMatchObject({ step: 'steps.1.else.0', status: 'succeeded' });

    const adaUser = (await app.admin.get('/v1/environments/development/users/ada').expect(200)).body;
    expect(adaUser.properties).toEqual({ plan: 'pro', tier: 'paid via api', welcomed: true });
    const bobUser = (await app.admin.get('/v1/environments/development/users/bob').expect(200)).body;
    expect(bobUser.properties).toEqual({ plan: 'free' });
    expect(sink.received('/free').map((r) => r.body)).toEqual(['bob is on free']);
  });

  it('retries 5xx and 429 answers with backoff and the same Idempotency-Key, then succeeds', async () => {
    sink.script('/flaky', { status: 503 }, { status: 429, headers: { 'retry-after': '1' } });
    await define('flaky', [{ type: 'http', method: 'PUT', url: `${sink.url}/flaky`, body: { n: 1 } }]);
    const [runId] = await trigger('flaky', { recipients: ['carol'] });
    const run = await waitForRun(app, runId, ['completed', 'failed'], 15000);

    expect(run.status).toBe('completed');
    const attempts = sink.received('/flaky');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((r) => r.headers['idempotency-key']))).toEqual(new Set([`${runId}/steps.0`]));
    // Backoff from ACTION_RETRY_DELAY_SECONDS=1: 1 s, then 2 s.
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(1000);
    expect(attempts[2].at - attempts[1].at).toBeGreaterThanOrEqual(2000);
    expect(run.steps[0]).toMatchObject({ status: 'succeeded', attempts: 3, error: null });
    expect(run.steps[0].history.map((a: any) => [a.attempt, a.status, a.error])).toEqual([
      [1, 503, 'the target answered 503'],
      [2, 429, 'the target answered 429'],
      [3, 200, undefined],
    ]);
  });

  it('fails the run on a 4xx without retrying, unless the step continues on failure', async () => {
    sink.script('/reject', { status: 422, body: { error: 'bad email' } }, { status: 400 });
    await define('strict', [
      { type: 'http', ref: 'crm', method: 'POST', url: `${sink.url}/reject` },
      { type: 'http', method: 'POST', url: `${sink.url}/never` },
    ]);
    await define('lenient', [
      { type: 'http', method: 'POST', url: `${sink.url}/reject`, continue_on_failure: true },
      { type: 'http', method: 'POST', url: `${sink.url}/after-failure` },
    ]);
    const [strict] = await trigger('strict', { recipients: ['dan'] });
    const failed = await waitForRun(app, strict, ['completed', 'failed']);
    expect(failed).toMatchObject({
      status: 'failed',
      current_step: 'steps.0',
      error: 'step steps.0 (crm) failed: the target answered 422',
    });
    expect(failed.steps).toEqual([
      expect.objectContaining({
        status: 'failed',
        attempts: 1,
        output: { status: 422, body: { error: 'bad email' } },
      }),
    ]);
    expect(failed.finished_at).not.toBeNull();

    const [lenient] = await trigger('lenient', { recipients: ['dan'] });
    const completed = await waitForRun(app, lenient, ['completed', 'failed']);
    expect(completed.status).toBe('completed');
    expect(completed.steps.map((s: any) => s.status)).toEqual(['failed', 'succeeded']);
    expect(sink.received('/reject')).toHaveLength(2);
    expect(sink.received('/never')).toHaveLength(0);
    expect(sink.received('/after-failure')).toHaveLength(1);
  });

  it('refuses link-local targets, whatever a template renders', async () => {
    await define('metadata', [{ type: 'http', method: 'GET', url: '{{ data.url }}', retries: 5 }]);
    const [runId] = await trigger('metadata', {
      recipients: ['eve'],
      data: { url: 'http://169.254.169.254/latest/meta-data/iam' },
    });
    const run = await waitForRun(app, runId, ['completed', 'failed']);
    expect(run.status).toBe('failed');
    expect(run.steps[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: '169.254.169.254 is a link-local or metadata address',
    });
  });

  it('gives a run up when its processing keeps failing before it records a step', async () => {
    await define('poison', [{ type: 'delay', duration: '1s' }]);
    // What a bug would do: this version's steps make the engine throw (a condition without a path).
    await db.client.query(
      `UPDATE workflow_versions v SET steps = '[{"type": "branch", "conditions": [{}], "then": []}]'
        FROM workflows w WHERE w.id = v.workflow_id AND w.key = 'poison'`,
    );
    const [runId] = await trigger('poison', { recipients: ['pat'] });
    const claims = async () =>
      (
        await db.client.query<{ claims: number }>(
          `SELECT claims_without_progress AS claims FROM workflow_runs WHERE id = $1`,
          [runId],
        )
      ).rows[0].claims;
    await waitFor(async () => (await claims()) >= 2, 10000, 'the run to fail twice');
    // Skip ahead to the last try rather than wait through BullMQ's backoff and the reconciler.
    await db.client.query(`UPDATE workflow_runs SET claims_without_progress = 10 WHERE id = $1`, [runId]);
    const run = await waitForRun(app, runId, ['failed'], 20000);
    expect(run.error).toBe(
      "gave up after 10 attempts that failed before recording a step (see the worker's logs)",
    );
    expect(run.current_step).toBe('steps.0');
    expect(app.output()).toMatch(/job \S+ failed \(try 1 of 5\): path must be a non-empty string/);
  });

  it('cancels a run during its delay: the next step never runs', async () => {
    await define('reminder', [
      { type: 'delay', duration: '2s' },
      { type: 'http', method: 'POST', url: `${sink.url}/reminder` },
    ]);
    const [runId] = await trigger('reminder', { recipients: ['fay'], cancellation_key: 'cart-42' });
    await waitForRun(app, runId, ['waiting']);
    const cancelled = await app.admin
      .post(`${workflows}/reminder/cancel`, { cancellation_key: 'cart-42' })
      .expect(200);
    expect(cancelled.body.cancelled).toEqual([runId]);
    await new Promise((r) => setTimeout(r, 3000));
    const run = (await app.admin.get(`/v1/environments/development/workflow-runs/${runId}`).expect(200)).body;
    expect(run).toMatchObject({ status: 'cancelled', next_step_at: null });
    expect(run.steps).toEqual([expect.objectContaining({ type: 'delay', status: 'cancelled' })]);
    expect(sink.received('/reminder')).toHaveLength(0);
  });
});

describe('workflow runs across a killed worker and a Redis flush', () => {
  let db: TestDatabase;
  let api: TestApp;
  let worker: TestApp;
  let sink: Sink;
  // A short lease, so that a dead worker's run is taken over quickly.
  const startWorker = () =>
    startApp(db, {
      ...FAST,
      ROLE: 'worker',
      QUEUE_PREFIX: api.env.QUEUE_PREFIX,
      PROCESSING_LEASE_SECONDS: '5',
    });
  const killWorker = async () => {
    worker.process.kill('SIGKILL');
    await waitFor(() =>
      Promise.resolve(worker.process.exitCode !== null || worker.process.signalCode !== null),
    );
  };

  beforeAll(async () => {
    sink = await new Sink().start();
    db = await createTestDatabase();
    api = await startApp(db, { ...FAST, ROLE: 'api' });
    worker = await startWorker();
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await db?.drop();
    await sink?.stop();
  });

  it('resumes after the delay and runs every step exactly once', async () => {
    await api.admin
      .put(`${workflows}/durable`, {
        name: 'Durable',
        steps: [
          { type: 'http', method: 'POST', url: `${sink.url}/before` },
          { type: 'delay', duration: '2s' },
          { type: 'http', method: 'POST', url: `${sink.url}/after` },
        ],
      })
      .expect(200);
    const { body } = await api.admin
      .post(`${workflows}/durable/trigger`, { recipients: ['gus'] })
      .expect(202);
    const runId = body.runs[0] as string;
    await waitForRun(api, runId, ['waiting']);

    await killWorker();
    // Redis forgets the delayed job, as it would after a restart without persistence.
    expect(await flushQueues(api.env.QUEUE_PREFIX)).toBeGreaterThan(0);
    worker = await startWorker();

    const run = await waitForRun(api, runId, ['completed', 'failed'], 15000);
    expect(run.status).toBe('completed');
    expect(sink.received('/before')).toHaveLength(1);
    expect(sink.received('/after')).toHaveLength(1);
    expect(run.steps.map((s: any) => [s.step, s.status, s.attempts])).toEqual([
      ['steps.0', 'succeeded', 1],
      ['steps.1', 'succeeded', 1],
      ['steps.2', 'succeeded', 1],
    ]);
    expect(worker.output()).toMatch(/dispatched \d+ event\(s\) and 1 workflow run\(s\) again/);
  });

  it('sends a request cut off by a dead worker again, with the same Idempotency-Key', async () => {
    sink.script('/slow', { status: 200, delayMs: 30000 });
    await api.admin
      .put(`${workflows}/cut-off`, {
        name: 'Cut off',
        steps: [{ type: 'http', method: 'POST', url: `${sink.url}/slow`, timeout_seconds: 20 }],
      })
      .expect(200);
    const { body } = await api.admin
      .post(`${workflows}/cut-off/trigger`, { recipients: ['ida'] })
      .expect(202);
    const runId = body.runs[0] as string;
    await waitFor(() => Promise.resolve(sink.received('/slow').length === 1));
    await killWorker();
    worker = await startWorker();

    // Taken over once the lease (5 s + the step's timeout) has run out.
    const run = await waitForRun(api, runId, ['completed', 'failed'], 40000);
    expect(run.status).toBe('completed');
    const sent = sink.received('/slow');
    expect(sent).toHaveLength(2);
    expect(sent[1].headers['idempotency-key']).toBe(sent[0].headers['idempotency-key']);
    expect(run.steps[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(run.steps[0].history).toEqual([
      { attempt: 1, error: expect.stringContaining('no answer recorded') },
      expect.objectContaining({ attempt: 2, status: 200 }),
    ]);
  }, 60000);
});

describe('workflow http steps with an allow-list', () => {
  let db: TestDatabase;
  let app: TestApp;
  let sink: Sink;

  beforeAll(async () => {
    sink = await new Sink().start();
    db = await createTestDatabase();
    app = await startApp(db, { WORKFLOW_HTTP_ALLOWED_HOSTS: 'hooks.example.com, *.internal.example' });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
    await sink?.stop();
  });

  it('refuses hosts that are not on it: when saved, or when a templated URL renders to one, without retrying', async () => {
    const saved = await app.admin
      .put(`${workflows}/outside`, {
        name: 'Outside',
        steps: [{ type: 'http', method: 'POST', url: `${sink.url}/x` }],
      })
      .expect(422);
    expect(saved.body.error.details).toEqual([
      { field: 'steps.0.url', problems: ['127.0.0.1 is not in WORKFLOW_HTTP_ALLOWED_HOSTS'] },
    ]);
    await app.admin
      .put(`${workflows}/outside`, {
        name: 'Outside',
        steps: [{ type: 'http', method: 'POST', url: 'http://{{ data.host }}/x' }],
      })
      .expect(200);
    const { body } = await app.admin
      .post(`${workflows}/outside/trigger`, { recipients: ['hal'], data: { host: new URL(sink.url).host } })
      .expect(202);
    const run = await waitForRun(app, body.runs[0] as string, ['completed', 'failed']);
    expect(run.steps[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: '127.0.0.1 is not in WORKFLOW_HTTP_ALLOWED_HOSTS',
    });
    expect(sink.requests).toHaveLength(0);
  });
});
