import { createTestDatabase, startApp, TestApp, TestDatabase } from './helpers/app';
import { createMapping, createSource, CreatedSource, payload, waitForProcessed } from './helpers/fixtures';

describe('actions: identify_user, set_properties, and the users API', () => {
  let db: TestDatabase;
  let app: TestApp;
  let source: CreatedSource;
  const users = '/v1/environments/development/users';

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApp(db);
    source = await createSource(app, 'posthog', 'posthog');
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  describe('users API', () => {
    it('PUT identifies (creating, then merging), GET reads, DELETE removes', async () => {
      const created = await app.admin
        .put(`${users}/user_put`, { email: 'p@example.com', properties: { plan: 'free', seats: 1 } })
        .expect(200);
      expect(created.body).toMatchObject({
        id: 'user_put',
        email: 'p@example.com',
        name: null,
        properties: { plan: 'free', seats: 1 },
      });
      const merged = await app.admin
        .put(`${users}/user_put`, { name: 'Pat', properties: { plan: 'pro' } })
        .expect(200);
      expect(merged.body).toMatchObject({
        email: 'p@example.com',
        name: 'Pat',
        properties: { plan: 'pro', seats: 1 },
      });
      await app.admin.delete(`${users}/user_put`).expect(204);
      await app.admin.get(`${users}/user_put`).expect(404);
      const again = await app.admin.delete(`${users}/user_put`).expect(404);
      expect(again.body.error.code).toBe('USER_NOT_FOUND');
    });

    it('refuses invalid users with 422', async () => {
      const long = await app.admin.put(`${users}/${'x'.repeat(256)}`, {}).expect(422);
      expect(long.body.error.message).toContain('id is longer than 255 characters');
      const bad = await app.admin.put(`${users}/u1`, { properties: 'plan', admin: true }).expect(422);
      expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'admin',
        'properties',
      ]);
      await app.admin.put('/v1/environments/nowhere/users/u1', {}).expect(404);
    });
  });

  describe("PostHog's $set and $set_once", () => {
    it('runs identify first, then merges $set and sets $set_once only where missing', async () => {
      // Created in the "wrong" order on purpose: actions run identify_user → set_properties whatever the order.
      const setOnce = await createMapping(app, 'posthog', 'development', {
        event_type: '$set',
        action: 'set_properties',
        position: 1,
        field_map: {
          id: 'body.userId',
          properties: 'body.properties.$set_once',
          only_if_missing: { value: true },
        },
      });
      const set = await createMapping(app, 'posthog', 'development', {
        event_type: '$set',
        action: 'set_properties',
        position: 0,
        field_map: { id: 'body.userId', properties: 'body.properties.$set' },
      });
      const identify = await createMapping(app, 'posthog', 'development', {
        event_type: '$set',
        action: 'identify_user',
        field_map: { id: 'body.userId', email: 'body.properties.email', name: 'body.properties.name' },
      });
      await app.admin
        .put(`${users}/user_ada`, { properties: { first_plan: 'enterprise', plan: 'free', legacy: true } })
        .expect(200);

      const body = payload('knock-destination/set-person-properties.json');
      const { event_id } = (await app.http().post(source.paths.development).send(body).expect(202)).body;
      const trace = await waitForProcessed(app, event_id as string);
      expect(trace.status).toBe('processed');
      expect(
        trace.actions.map((a: { mapping_id: string; status: string }) => [a.mapping_id, a.status]),
      ).toEqual([
        [identify, 'succeeded'],
        [set, 'succeeded'],
        [setOnce, 'succeeded'],
      ]);
      const { body: user } = await app.admin.get(`${users}/user_ada`).expect(200);
      expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada Lovelace' });
      expect(user.properties).toEqual({ plan: 'pro', seats: 5, first_plan: 'enterprise', legacy: true });
    });

    it('creates the user when needed and removes unset properties', async () => {
      await createMapping(app, 'posthog', 'development', {
        event_type: 'cleanup',
        action: 'set_properties',
        field_map: {
          id: 'body.userId',
          properties: 'body.properties',
          unset: { value: ['legacy', 'seats'] },
        },
      });
      for (const [userId, messageId] of [
        ['user_ada', 'cleanup-1'],
        ['user_new', 'cleanup-2'],
      ]) {
        const sent = await app
          .http()
          .post(source.paths.development)
          .send({ event: 'cleanup', userId, messageId, properties: { tidy: true, seats: 9 } });
        expect((await waitForProcessed(app, sent.body.event_id as string)).status).toBe('processed');
      }
      expect((await app.admin.get(`${users}/user_ada`).expect(200)).body.properties).toEqual({
        plan: 'pro',
        first_plan: 'enterprise',
        tidy: true,
      });
      expect((await app.admin.get(`${users}/user_new`).expect(200)).body.properties).toEqual({ tidy: true });
    });

    it('fails set_properties whose properties are not an object, naming the field', async () => {
      const sent = await app
        .http()
        .post(source.paths.development)
        .send({ event: 'cleanup', userId: 'user_ada', messageId: 'cleanup-3', properties: 'tidy' });
      const trace = await waitForProcessed(app, sent.body.event_id as string);
      expect(trace.status).toBe('failed');
      expect(trace.actions).toEqual([
        expect.objectContaining({ status: 'failed', error: 'properties must be an object' }),
      ]);
    });
  });

  describe('dry run', () => {
    const test = '/v1/sources/posthog/environments/development/mappings/test';
    const snapshot = async () =>
      (
        await db.client.query(
          `SELECT (SELECT count(*) FROM source_events) AS events, (SELECT count(*) FROM action_executions) AS executions,
                  (SELECT count(*) FROM users) AS users, (SELECT max(updated_at) FROM users) AS last_user_change`,
        )
      ).rows[0];

    it('shows what each stored mapping would do, in execution order, and writes nothing', async () => {
      const before = await snapshot();
      const body = payload('knock-destination/set-person-properties.json');
      const { body: result } = await app.admin.post(test, { payload: body }).expect(200);
      expect(result.event_type).toBe('$set');
      expect(result.idempotency).toEqual({ key: body.messageId, note: null });
      expect(result.mappings.map((m: { action: string; result: string }) => [m.action, m.result])).toEqual([
        ['identify_user', 'matched'],
        ['set_properties', 'matched'],
        ['set_properties', 'matched'],
        ['set_properties', 'skipped'],
      ]);
      expect(result.mappings[0].inputs).toEqual({
        id: 'user_ada',
        email: 'ada@example.com',
        name: 'Ada Lovelace',
      });
      expect(result.mappings[2].inputs).toEqual({
        id: 'user_ada',
        properties: { first_plan: 'free' },
        only_if_missing: true,
      });
      expect(result.mappings[3]).toMatchObject({
        event_type: 'cleanup',
        reason: 'event type "$set" is not "cleanup"',
        inputs: {},
      });
      expect(await snapshot()).toEqual(before);
    });

    it('tries a draft mapping, with the reason it would be skipped', async () => {
      const draft = {
        event_type: 'user_signed_up',
        action: 'identify_user',
        field_map: { id: 'body.userId', plan: { path: 'body.properties.plan', default: 'free' } },
        conditions: [{ path: 'body.properties.plan', operator: 'equals', value: 'enterprise' }],
      };
      const body = payload('knock-destination/user-signed-up.json');
      const skipped = await app.admin.post(test, { payload: body, mapping: draft }).expect(200);
      expect(skipped.body.mappings).toEqual([
        expect.objectContaining({
          id: null,
          result: 'skipped',
          reason: 'condition not met: body.properties.plan equals "enterprise" (found "pro")',
        }),
      ]);
      const matched = await app.admin
        .post(test, { payload: body, mapping: { ...draft, conditions: [] } })
        .expect(200);
      expect(matched.body.mappings).toEqual([
        expect.objectContaining({ result: 'matched', inputs: { id: 'user_grace', plan: 'pro' } }),
      ]);
      const missing = await app.admin
        .post(test, { payload: { ...body, userId: undefined }, mapping: { ...draft, conditions: [] } })
        .expect(200);
      expect(missing.body.mappings[0]).toMatchObject({
        result: 'skipped',
        reason: 'required field "id" is missing: nothing at body.userId',
      });
    });

    it('reads headers for paths and refuses invalid drafts with 422', async () => {
      const draft = { event_type: '*', action: 'identify_user', field_map: { id: 'headers.x-user-id' } };
      const withHeader = await app.admin
        .post(test, { payload: { event: 'x' }, headers: { 'X-User-Id': 'u-h' }, mapping: draft })
        .expect(200);
      expect(withHeader.body.mappings[0]).toMatchObject({ result: 'matched', inputs: { id: 'u-h' } });
      const invalid = await app.admin
        .post(test, { payload: { event: 'x' }, mapping: { ...draft, field_map: { id: 'nowhere.id' } } })
        .expect(422);
      expect(invalid.body.error.details.map((d: { field: string }) => d.field)).toContain('field_map.id');
      await app.admin.post(test, { payload: 'not an object' }).expect(422);
    });
  });

  describe('default mappings', () => {
    it.each([
      ['posthog', 'knock-destination/identify.json'],
      ['posthog_webhook', 'webhook-destination/identify.json'],
    ])('give %s sources $identify and $set → identify_user in every environment', async (type, file) => {
      const key = `defaults-${type.replace('_', '-')}`;
      const created = await app.admin
        .post('/v1/sources', { key, name: key, type, default_mappings: true })
        .expect(201);
      for (const env of ['development', 'production']) {
        const { body } = await app.admin.get(`/v1/sources/${key}/environments/${env}/mappings`).expect(200);
        expect(
          body.data.map((m: { event_type: string; action: string }) => `${m.event_type}→${m.action}`).sort(),
        ).toEqual(['$identify→identify_user', '$set→identify_user']);
      }
      const production = created.body.environments.find(
        (e: { environment: string }) => e.environment === 'production',
      );
      const sent = await app
        .http()
        .post(new URL(production.ingestion_url as string).pathname)
        .send(payload(file))
        .expect(202);
      expect((await waitForProcessed(app, sent.body.event_id as string)).status).toBe('processed');
      const user = await app.admin.get('/v1/environments/production/users/user_ada').expect(200);
      expect(user.body).toMatchObject({ email: 'ada@example.com' });
      await app.admin.delete('/v1/environments/production/users/user_ada').expect(204);
    });

    it('are refused for custom sources, and nothing is created', async () => {
      const refused = await app.admin
        .post('/v1/sources', { key: 'defaults-custom', name: 'c', type: 'custom', default_mappings: true })
        .expect(422);
      expect(refused.body.error.details).toEqual([
        { field: 'default_mappings', problems: [expect.any(String)] },
      ]);
      await app.admin.get('/v1/sources/defaults-custom').expect(404);
    });
  });

  describe('trigger_workflow and cancel_workflow', () => {
    const runs = (eventId: string) =>
      db.client.query(
        'SELECT workflow_key, workflow_version, recipient_id, actor_id, data, status, cancellation_key FROM workflow_runs WHERE source_event_id = $1 ORDER BY recipient_id',
        [eventId],
      );

    beforeAll(async () => {
      for (const key of ['onboarding', 'announcement']) {
        await app.admin
          .put(`/v1/environments/development/workflows/${key}`, {
            name: key,
            steps: [{ type: 'delay', duration: '1d' }],
          })
          .expect(200);
      }
      await createMapping(app, 'posthog', 'development', {
        event_type: 'user_signed_up',
        action: 'trigger_workflow',
        field_map: {
          workflow: { value: 'onboarding' },
          recipients: {
            template:
              '[{"id":"{{ body.userId }}","email":"{{ body.properties.email }}"}, "{{ body.properties.company.name | downcase | replace: " ", "-" }}"]',
          },
          actor: 'body.userId',
          data: 'body.properties',
          cancellation_key: { template: 'onboarding-{{ body.userId }}' },
        },
      });
      await createMapping(app, 'posthog', 'development', {
        event_type: 'user_deleted',
        action: 'cancel_workflow',
        field_map: {
          workflow: { value: 'onboarding' },
          cancellation_key: { template: 'onboarding-{{ body.userId }}' },
        },
      });
    });

    it('queues one run per recipient, identifies inline recipients first, and links the runs in the trace', async () => {
      const body = payload('knock-destination/user-signed-up.json');
      const sent = await app.http().post(source.paths.development).send(body).expect(202);
      const trace = await waitForProcessed(app, sent.body.event_id as string);
      expect(trace.status).toBe('processed');
      expect(trace.actions).toEqual([
        expect.objectContaining({ action: 'trigger_workflow', status: 'succeeded' }),
      ]);
      expect(
        trace.workflow_runs.map((r: { recipient: string; status: string }) => [r.recipient, r.status]).sort(),
      ).toEqual([
        ['hopper-labs', expect.stringMatching(/^(queued|running|waiting)$/)],
        ['user_grace', expect.stringMatching(/^(queued|running|waiting)$/)],
      ]);
      const { rows } = await runs(sent.body.event_id as string);
      expect(rows[1]).toMatchObject({
        workflow_version: 1,
        workflow_key: 'onboarding',
        recipient_id: 'user_grace',
        actor_id: 'user_grace',
        cancellation_key: 'onboarding-user_grace',
        data: body.properties,
      });
      const user = await app.admin.get(`${users}/user_grace`).expect(200);
      expect(user.body.email).toBe('grace@example.com');
    });

    it('cancels the unfinished runs with that cancellation key, and only those', async () => {
      await db.client.query(
        `INSERT INTO workflow_runs (environment_id, workflow_key, recipient_id, cancellation_key, status)
         SELECT environment_id, 'onboarding', 'someone_else', 'onboarding-someone_else', 'queued' FROM workflow_runs LIMIT 1`,
      );
      const sent = await app
        .http()
        .post(source.paths.development)
        .send({ event: 'user_deleted', userId: 'user_grace', messageId: 'del-1' })
        .expect(202);
      const trace = await waitForProcessed(app, sent.body.event_id as string);
      expect(trace.actions).toEqual([
        expect.objectContaining({ action: 'cancel_workflow', status: 'succeeded' }),
      ]);
      expect(trace.actions[0].result.cancelled).toHaveLength(2);
      const { rows } = await db.client.query(
        `SELECT recipient_id, status FROM workflow_runs ORDER BY recipient_id`,
      );
      expect(rows).toEqual([
        { recipient_id: 'hopper-labs', status: 'cancelled' },
        { recipient_id: 'someone_else', status: 'queued' },
        { recipient_id: 'user_grace', status: 'cancelled' },
      ]);
    });

    it('fails a trigger of a workflow that does not exist, without retrying', async () => {
      await createMapping(app, 'posthog', 'development', {
        event_type: 'ghost',
        action: 'trigger_workflow',
        field_map: { workflow: { value: 'no-such-workflow' }, recipients: 'body.userId' },
      });
      const sent = await app
        .http()
        .post(source.paths.development)
        .send({ event: 'ghost', userId: 'u1', messageId: 'g-1' })
        .expect(202);
      const trace = await waitForProcessed(app, sent.body.event_id as string);
      expect(trace.actions[0]).toMatchObject({
        status: 'failed',
        attempts: 1,
        error: 'workflow "no-such-workflow" does not exist',
      });
    });

    it('records more than 1,000 recipients as a failure, not a crash', async () => {
      await createMapping(app, 'posthog', 'development', {
        event_type: 'broadcast',
        action: 'trigger_workflow',
        field_map: { workflow: { value: 'announcement' }, recipients: 'body.audience' },
      });
      const audience = Array.from({ length: 1001 }, (_, i) => `u${i}`);
      const sent = await app
        .http()
        .post(source.paths.development)
        .send({ event: 'broadcast', messageId: 'b-1', audience })
        .expect(202);
      const trace = await waitForProcessed(app, sent.body.event_id as string);
      expect(trace.status).toBe('failed');
      expect(trace.actions[0].error).toBe('1001 recipients is more than the 1000 allowed per event');
      expect(
        (await db.client.query(`SELECT 1 FROM workflow_runs WHERE workflow_key = 'announcement'`)).rowCount,
      ).toBe(0);
      const ok = await app
        .http()
        .post(source.paths.development)
        .send({ event: 'broadcast', messageId: 'b-2', audience: audience.slice(1) })
        .expect(202);
      expect((await waitForProcessed(app, ok.body.event_id as string)).workflow_runs).toHaveLength(1000);
    });
  });
});
