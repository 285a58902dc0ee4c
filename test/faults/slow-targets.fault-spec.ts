import { createTestDatabase, TestApp, TestDatabase, waitFor } from '../helpers/app';
import { count } from '../helpers/fixtures';
import { Sink } from '../helpers/sink';
import { freePort, percentile, report, sendLoad, statusCounts } from './harness';
import { configureSignups, signup, startApiAndWorker } from './scenario';

const CONCURRENCY = 10;
const PER_HOST = 5;
const STUCK_RUNS = 30;

/**
 * Fault 6: three times the worker's concurrency of runs call a target that never answers, and as many call one
 * that answers 500 and one that refuses connections, while other runs and ingestion go on.
 */
describe('slow and failing http-step targets', () => {
  let db: TestDatabase;
  let api: TestApp;
  let worker: TestApp;
  const hanging = new Sink();
  const failing = new Sink();
  const healthy = new Sink();
  let refusingUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await Promise.all([hanging.start(), failing.start(), healthy.start()]);
    refusingUrl = `http://127.0.0.1:${await freePort()}/refused`;
    const settings = {
      WORKER_CONCURRENCY: String(CONCURRENCY),
      WORKFLOW_HTTP_CONCURRENCY_PER_HOST: String(PER_HOST),
      ACTION_RETRY_DELAY_SECONDS: '1',
    };
    ({ api, worker } = await startApiAndWorker(db, settings));
  });
  afterAll(async () => {
    // Closing the hanging target ends its requests, so the worker can stop without waiting on them.
    await Promise.all([hanging.stop(), failing.stop(), healthy.stop()]);
    await api?.close();
    await worker?.close();
    await db?.drop();
  });

  const workflows = '/v1/environments/development/workflows';
  const defineCalling = (key: string, url: string, extra: object = {}) =>
    api.admin
      .put(`${workflows}/${key}`, { name: key, steps: [{ type: 'http', method: 'POST', url, ...extra }] })
      .expect(200);
  const trigger = (key: string, runs: number) =>
    api.admin
      .post(`${workflows}/${key}/trigger`, {
        recipients: Array.from({ length: runs }, (_, i) => `${key}-${i}`),
      })
      .expect(202);
  const runsOf = (key: string, status: string) =>
    count(db.client, `SELECT 1 FROM workflow_runs WHERE workflow_key = $1 AND status = $2`, [key, status]);

  it('leave other runs and ingestion unaffected', async () => {
    hanging.script('/hang', ...Array.from({ length: 100 }, () => ({ status: 200, delayMs: 600_000 })));
    failing.script('/fail', ...Array.from({ length: 200 }, () => ({ status: 500 })));
    await defineCalling('stuck', `${hanging.url}/hang`, { timeout_seconds: 60, retries: 0 });
    await defineCalling('failing', `${failing.url}/fail`, { retries: 2 });
    await defineCalling('refused', refusingUrl, { retries: 2 });
    await defineCalling('healthy', `${healthy.url}/ok`);
    const path = await configureSignups(api, healthy);

    await trigger('stuck', STUCK_RUNS);
    await trigger('failing', STUCK_RUNS);
    await trigger('refused', STUCK_RUNS);
    await waitFor(
      () => Promise.resolve(hanging.received('/hang').length >= PER_HOST),
      10_000,
      'the hanging target to fill',
    );
    const started = Date.now();
    await trigger('healthy', STUCK_RUNS);
    const load = await sendLoad({
      url: `${api.url}${path}`,
      perSecond: 50,
      seconds: 6,
      duplicates: 0,
      event: (seq) => signup(seq, 'slow'),
    });
    await waitFor(
      async () =>
        (await runsOf('healthy', 'completed')) === STUCK_RUNS &&
        (await runsOf('welcome', 'completed')) === load.events.size &&
        (await runsOf('failing', 'failed')) === STUCK_RUNS &&
        (await runsOf('refused', 'failed')) === STUCK_RUNS,
      // Well within the stuck requests' 60 s timeout: they must still be open when all of this is done.
      40_000,
      'every run but the stuck ones to finish',
    );
    const settledAfterMs = Date.now() - started;
    // All of that happened while the stuck runs still waited on their target, which has answered nothing.
    const stuckRunning = await count(
      db.client,
      `SELECT 1 FROM workflow_runs WHERE workflow_key = 'stuck' AND status = 'running'`,
    );
    const failedAttempts = await count(
      db.client,
      `SELECT 1 FROM workflow_step_executions e JOIN workflow_runs r ON r.id = e.run_id
        WHERE r.workflow_key IN ('failing', 'refused') AND e.attempts = 3 AND e.status = 'failed'`,
    );
    report('6. 30 runs stuck on a target that never answers, 30 on 500s, 30 refused; 10 worker slots', {
      stuckRequestsInFlight: hanging.received('/hang').length,
      stuckRunsStillRunning: stuckRunning,
      healthyRunsCompleted: STUCK_RUNS,
      signupRunsCompleted: load.events.size,
      failingAndRefusedRunsFailedAfter3Attempts: failedAttempts,
      secondsUntilAllOthersFinished: settledAfterMs / 1000,
      ingestion: statusCounts(load.requests),
      ingestionP99Ms: percentile(
        load.requests.map((r) => r.latencyMs),
        99,
      ),
    });

    expect(stuckRunning).toBe(STUCK_RUNS);
    // The bulkhead: the stuck target holds at most its share of the worker's slots.
    expect(hanging.received('/hang')).toHaveLength(PER_HOST);
    expect(failedAttempts).toBe(2 * STUCK_RUNS);
    expect(statusCounts(load.requests)).toEqual({ 202: load.events.size });
  }, 180_000);
});
