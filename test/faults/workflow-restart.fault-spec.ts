import { TestApp, TestDatabase, waitFor } from '../helpers/app';
import { count, createMapping, createSource } from '../helpers/fixtures';
import { Sink } from '../helpers/sink';
import { connectClient, LocalPostgres, LocalRedis, report } from './harness';
import { signup, startApiAndWorker } from './scenario';

const RUNS = 20;
const DELAY_SECONDS = 4;

/**
 * Fault 4: runs sleeping in a delay while every process goes: the api and worker are SIGKILLed, Redis dies with
 * every key (it keeps nothing on disk), PostgreSQL restarts. Then all come back.
 */
describe('workflow delay across a restart of everything', () => {
  let redis: LocalRedis;
  let postgres: LocalPostgres;
  let db: TestDatabase;
  const apps: TestApp[] = [];
  const sink = new Sink();

  const startBoth = async () => {
    const settings = {
      REDIS_URL: redis.url,
      RECONCILER_INTERVAL_SECONDS: '1',
      RECONCILER_GRACE_SECONDS: '2',
    };
    const { api, worker } = await startApiAndWorker(db, settings);
    apps.push(api, worker);
    return api;
  };

  beforeAll(async () => {
    redis = await LocalRedis.start();
    postgres = await LocalPostgres.start();
    db = await postgres.createDatabase();
    await sink.start();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await sink.stop();
    await db?.drop();
    await redis?.stop();
    await postgres?.destroy();
  });

  it('resumes every run after its delay and runs each following step once', async () => {
    const api = await startBoth();
    const source = await createSource(api, 'posthog', 'posthog');
    await api.admin
      .put('/v1/environments/development/workflows/nudge', {
        name: 'Nudge',
        steps: [
          { type: 'http', method: 'POST', url: `${sink.url}/before`, body: { user: '{{ recipient.id }}' } },
          { type: 'delay', duration: `${DELAY_SECONDS}s` },
          { type: 'http', method: 'POST', url: `${sink.url}/after`, body: { user: '{{ recipient.id }}' } },
        ],
      })
      .expect(200);
    await createMapping(api, 'posthog', 'development', {
      event_type: 'user_signed_up',
      action: 'trigger_workflow',
      field_map: { workflow: { value: 'nudge' }, recipients: 'body.userId' },
    });
    for (let seq = 0; seq < RUNS; seq++) {
      await api.http().post(source.paths.development).send(signup(seq, 'restart')).expect(202);
    }
    const waiting = () => count(db.client, `SELECT 1 FROM workflow_runs WHERE status = 'waiting'`);
    await waitFor(async () => (await waiting()) === RUNS, 30_000, 'every run to sleep in its delay');

    for (const app of apps) await app.close('SIGKILL');
    await redis.stop();
    await db.client.end();
    await postgres.stop('fast');
    await postgres.start();
    await redis.start();
    db.client = await connectClient(db.url);
    const restartedAt = Date.now();
    await startBoth();

    await waitFor(
      async () => (await count(db.client, `SELECT 1 FROM workflow_runs WHERE status = 'completed'`)) === RUNS,
      60_000,
      'every run to complete',
    );
    const before = sink.received('/before');
    const after = sink.received('/after');
    const wokeEarly = after.filter((request) => {
      const first = before.find(
        (b) => (b.body as { user: string }).user === (request.body as { user: string }).user,
      );
      return !first || request.at - first.at < DELAY_SECONDS * 1000;
    });
    const steps = await db.client.query<{ step: string; n: string }>(
      `SELECT step, count(*) AS n FROM workflow_step_executions GROUP BY step ORDER BY step`,
    );
    report(
      `4. ${RUNS} runs in a ${DELAY_SECONDS} s delay; api and worker SIGKILLed, Redis lost, PostgreSQL restarted`,
      {
        runs: RUNS,
        completed: RUNS,
        requestsBefore: before.length,
        requestsAfter: after.length,
        wokeEarly: wokeEarly.length,
        secondsFromRestartToLastStep: (Math.max(...after.map((r) => r.at)) - restartedAt) / 1000,
        stepExecutions: Object.fromEntries(steps.rows.map((row) => [row.step, Number(row.n)])),
      },
    );

    expect(before).toHaveLength(RUNS);
    expect(after).toHaveLength(RUNS);
    expect(new Set(after.map((r) => r.headers['idempotency-key'])).size).toBe(RUNS);
    expect(wokeEarly).toEqual([]);
    expect(steps.rows).toEqual([
      { step: 'steps.0', n: String(RUNS) },
      { step: 'steps.1', n: String(RUNS) },
      { step: 'steps.2', n: String(RUNS) },
    ]);
  }, 180_000);
});
