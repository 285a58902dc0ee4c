import {
  createTestDatabase,
  flushQueues,
  startApp,
  TestApp,
  TestDatabase,
  testQueuePrefix,
  waitFor,
} from './helpers/app';
import {
  count,
  createMapping,
  createSource,
  CreatedSource,
  payload,
  waitForProcessed,
} from './helpers/fixtures';

const status = async (db: TestDatabase, id: string) =>
  (await db.client.query<{ status: string }>('SELECT status FROM source_events WHERE id = $1', [id])).rows[0]
    ?.status;

describe('processing: api and worker apart, reconciler, at most once per mapping', () => {
  let db: TestDatabase;
  let api: TestApp;
  let worker: TestApp | undefined;
  let source: CreatedSource;
  const prefix = testQueuePrefix();
  const shared = {
    QUEUE_PREFIX: prefix,
    RECONCILER_INTERVAL_SECONDS: '1',
    RECONCILER_GRACE_SECONDS: '1',
    PROCESSING_LEASE_SECONDS: '5',
  };

  const send = async (body: object) => {
    const response = await api.http().post(source.paths.development).send(body).expect(202);
    return response.body.event_id as string;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startApp(db, { ...shared, ROLE: 'api' });
    source = await createSource(api, 'posthog', 'posthog');
    await createMapping(api, 'posthog', 'development', {
      event_type: 'user_signed_up',
      action: 'identify_user',
      field_map: {
        id: 'body.userId',
        email: 'body.properties.email',
        name: 'body.properties.name',
        plan: 'body.properties.plan',
      },
    });
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
    await db?.drop();
  });

  it('an api process alone accepts and commits but processes nothing', async () => {
    const id = await send(payload('knock-destination/user-signed-up.json'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await status(db, id)).toBe('accepted');
    expect(await count(db.client, 'SELECT 1 FROM users')).toBe(0);
  });

  it('a separate worker process picks the queued job up', async () => {
    worker = await startApp(db, { ...shared, ROLE: 'worker' });
    const [{ id }] = (
      await db.client.query<{ id: string }>(
        `SELECT id FROM source_events WHERE event_type = 'user_signed_up'`,
      )
    ).rows;
    const trace = await waitForProcessed(api, id);
    expect(trace.status).toBe('processed');
    const user = await api.admin.get('/v1/environments/development/users/user_grace').expect(200);
    expect(user.body).toMatchObject({
      email: 'grace@example.com',
      name: 'Grace Hopper',
      properties: { plan: 'pro' },
    });
    // The worker serves its health and its own metrics, and nothing else.
    await worker.http().get('/health/ready').expect(200);
    const metrics = await worker.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(
      /signalbox_action_executions_total\{action="identify_user",status="succeeded"\} 1/,
    );
    const refused = await worker.admin.get('/v1/sources').expect(404);
    expect(refused.body.error.code).toBe('NOT_FOUND');
    await worker.http().get('/docs-json').expect(404);
    await worker.http().get('/admin/queues').expect(404);
  });

  it('the reconciler processes an event whose job Redis lost', async () => {
    await worker!.close();
    worker = undefined;
    const id = await send({
      ...payload('knock-destination/user-signed-up.json'),
      messageId: 'lost-job',
      userId: 'user_lost',
    });
    await waitFor(async () => (await flushQueues(prefix)) > 0, 5000, 'the queued job to be flushed');
    expect(await status(db, id)).toBe('accepted');
    worker = await startApp(db, { ...shared, ROLE: 'worker' });
    const trace = await waitForProcessed(api, id, 15000);
    expect(trace.status).toBe('processed');
    expect(worker.output()).toMatch(/dispatched [1-9]\d* event\(s\) and \d+ workflow run\(s\) again/);
    await api.admin.get('/v1/environments/development/users/user_lost').expect(200);
  });

  it('takes over an event whose worker died mid-job once its lease runs out', async () => {
    await worker!.close();
    worker = undefined;
    const id = await send({
      ...payload('knock-destination/user-signed-up.json'),
      messageId: 'dead-worker',
      userId: 'user_orphan',
    });
    await flushQueues(prefix);
    // What a worker killed after claiming the event leaves behind.
    await db.client.query(
      `UPDATE source_events SET status = 'processing', processing_attempts = 1, lease_expires_at = now() + interval '2 seconds' WHERE id = $1`,
      [id],
    );
    worker = await startApp(db, { ...shared, ROLE: 'worker' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(await status(db, id)).toBe('processing'); // lease still live: nobody else touches it
    const trace = await waitForProcessed(api, id, 15000);
    expect(trace).toMatchObject({ status: 'processed', processing: { attempts: 2 } });
  });

  it('never applies an action twice for the same event and mapping, however often the event is processed', async () => {
    const id = await send({
      ...payload('knock-destination/user-signed-up.json'),
      messageId: 'once-only',
      userId: 'user_once',
    });
    await waitForProcessed(api, id);
    const before = await db.client.query(`SELECT updated_at FROM users WHERE id = 'user_once'`);
    // Redeliver: as if the job ran again after the worker lost track of it.
    await db.client.query(
      `UPDATE source_events SET status = 'accepted', received_at = now() - interval '1 minute' WHERE id = $1`,
      [id],
    );
    await waitFor(async () => (await status(db, id)) === 'processed', 10000, 'reprocessing');
    const trace = await api.admin.get(`/v1/events/${id}`).expect(200);
    expect(trace.body.actions).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 1 })]);
    expect(trace.body.processing.attempts).toBe(2);
    const after = await db.client.query(`SELECT updated_at FROM users WHERE id = 'user_once'`);
    expect(after.rows[0].updated_at).toEqual(before.rows[0].updated_at);
    expect(await count(db.client, `SELECT 1 FROM action_executions WHERE event_id = $1`, [id])).toBe(1);
  });

  describe('what each mapping did, in the trace', () => {
    let sourceB: CreatedSource;
    const mappings = '/v1/sources/traced/environments/development/mappings';

    beforeAll(async () => {
      sourceB = await createSource(api, 'traced', 'posthog');
    });
    const sendB = async (body: object) =>
      (await api.http().post(sourceB.paths.development).send(body).expect(202)).body.event_id as string;

    it('records no_mapping when nothing matches, and ignores disabled mappings', async () => {
      await createMapping(api, 'traced', 'development', {
        event_type: 'ignored',
        action: 'identify_user',
        enabled: false,
        field_map: { id: 'body.userId' },
      });
      const id = await sendB({ event: 'ignored', userId: 'u1', messageId: 'nm-1' });
      const trace = await waitForProcessed(api, id);
      expect(trace).toMatchObject({ status: 'no_mapping', actions: [] });
    });

    it('skips an action whose required field is missing, naming it', async () => {
      await createMapping(api, 'traced', 'development', {
        event_type: 'signup',
        action: 'identify_user',
        field_map: { id: 'body.userId' },
      });
      const id = await sendB({ event: 'signup', messageId: 'skip-1' });
      const trace = await waitForProcessed(api, id);
      expect(trace.status).toBe('processed');
      expect(trace.actions).toEqual([
        expect.objectContaining({
          status: 'skipped',
          reason: 'required field "id" is missing: nothing at body.userId',
        }),
      ]);
    });

    it('records a failed action with its error; the event is failed, or partially failed beside a success', async () => {
      const failing = await sendB({ event: 'signup', messageId: 'fail-1', userId: { not: 'an id' } });
      const trace = await waitForProcessed(api, failing);
      expect(trace.status).toBe('failed');
      expect(trace.actions).toEqual([
        expect.objectContaining({
          status: 'failed',
          error: 'id must be a non-empty string or number',
          attempts: 1,
        }),
      ]);
      await createMapping(api, 'traced', 'development', {
        event_type: '*',
        action: 'identify_user',
        field_map: { id: 'body.fallbackId' },
      });
      const partial = await sendB({
        event: 'signup',
        messageId: 'fail-2',
        userId: ['bad'],
        fallbackId: 'user_fallback',
      });
      const partialTrace = await waitForProcessed(api, partial);
      expect(partialTrace.status).toBe('partially_failed');
      expect(partialTrace.actions.map((a: { status: string }) => a.status)).toEqual(['failed', 'succeeded']);
    });

    it('maps with defaults, literals and templates, and runs only when the conditions hold', async () => {
      const mappingId = await createMapping(api, 'traced', 'development', {
        event_type: 'upgrade',
        action: 'identify_user',
        field_map: {
          id: 'body.userId',
          name: { template: '{{ body.first }} {{ body.last | upcase }}' },
          plan: { path: 'body.plan', default: 'free' },
          channel: { value: 'posthog' },
          properties: { template: '{"seats": {{ body.seats | default: 1 }}}' },
        },
        conditions: [
          { path: 'body.plan', operator: 'in', value: ['pro', 'team'] },
          { path: 'body.seats', operator: 'gte', value: 2 },
        ],
      });
      const ran = await sendB({
        event: 'upgrade',
        messageId: 'tpl-1',
        userId: 'u-tpl',
        first: 'Ada',
        last: 'Lovelace',
        plan: 'pro',
        seats: 3,
      });
      const own = (trace: Record<string, any>) =>
        trace.actions.filter((a: { mapping_id: string }) => a.mapping_id === mappingId);
      expect(own(await waitForProcessed(api, ran))).toEqual([
        expect.objectContaining({ status: 'succeeded' }),
      ]);
      const user = await api.admin.get('/v1/environments/development/users/u-tpl').expect(200);
      expect(user.body).toMatchObject({
        name: 'Ada LOVELACE',
        properties: { plan: 'pro', channel: 'posthog', seats: 3 },
      });

      const skipped = await sendB({
        event: 'upgrade',
        messageId: 'tpl-2',
        userId: 'u-free',
        plan: 'free',
        seats: 9,
      });
      const trace = await waitForProcessed(api, skipped);
      expect(own(trace)).toEqual([
        expect.objectContaining({
          status: 'skipped',
          reason: 'condition not met: body.plan in ["pro","team"] (found "free")',
        }),
      ]);
      await api.admin.get('/v1/environments/development/users/u-free').expect(404);
    });

    it('manages mappings and refuses invalid ones with 422 naming the field', async () => {
      const list = await api.admin.get(mappings).expect(200);
      expect(list.body.data).toHaveLength(4);
      const id = list.body.data[0].id as string;
      await api.admin.get(`${mappings}/${id}`).expect(200);
      const patched = await api.admin
        .patch(`${mappings}/${id}`, { enabled: true, field_map: { id: 'body["user id"]' } })
        .expect(200);
      expect(patched.body).toMatchObject({ enabled: true, field_map: { id: 'body["user id"]' } });
      for (const [body, field] of [
        [{ event_type: 'x', action: 'identify_user', field_map: { id: 'userId' } }, 'field_map.id'],
        [{ event_type: 'x', action: 'identify_user', field_map: { id: 'body.constructor' } }, 'field_map.id'],
        [{ event_type: 'x', action: 'identify_user', field_map: { email: 'body.email' } }, 'field_map.id'],
        [{ event_type: 'x', action: 'identify_user', field_map: { id: 42 } }, 'field_map.id'],
        [{ event_type: 'x', action: 'send_email', field_map: {} }, 'action'],
        [{ event_type: '', action: 'identify_user', field_map: { id: 'body.id' } }, 'event_type'],
        [
          { event_type: 'x', action: 'identify_user', field_map: { id: { template: '{{ body.id ' } } },
          'field_map.id',
        ],
        [
          { event_type: 'x', action: 'identify_user', field_map: { id: { path: 'body.id', value: 1 } } },
          'field_map.id',
        ],
        [
          {
            event_type: 'x',
            action: 'identify_user',
            field_map: { id: 'body.id' },
            conditions: [{ path: 'body.a', operator: 'like', value: 1 }],
          },
          'conditions.0.operator',
        ],
        [
          {
            event_type: 'x',
            action: 'identify_user',
            field_map: { id: 'body.id' },
            conditions: [{ path: 'body.a', operator: 'matches', value: '(' }],
          },
          'conditions.0.value',
        ],
      ] as const) {
        const response = await api.admin.post(mappings, body).expect(422);
        expect(response.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      await api.admin.delete(`${mappings}/${id}`).expect(204);
      await api.admin.get(`${mappings}/${id}`).expect(404);
      await api.admin.get(`${mappings}/not-a-uuid`).expect(400);
      await api.admin.get('/v1/sources/traced/environments/nowhere/mappings').expect(404);
    });
  });
});

describe('configuration', () => {
  it('refuses to start with a bad variable, and names it', async () => {
    const db = await createTestDatabase();
    try {
      await expect(startApp(db, { ROLE: 'everything', MAX_BODY_BYTES: 'lots' })).rejects.toThrow(
        /ROLE="everything".*\n.*MAX_BODY_BYTES|MAX_BODY_BYTES[\s\S]*ROLE/,
      );
    } finally {
      await db.drop();
    }
  });
});
