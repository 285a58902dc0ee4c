import { Client } from 'pg';
import { createTestDatabase, startApp, TestApp, TestDatabase, waitFor } from '../helpers/app';
import { count } from '../helpers/fixtures';
import { Sink } from '../helpers/sink';
import { report, reconcilerDispatches, sendLoad, tally } from './harness';
import { configureSignups, expectEachEventOnce, signup, signupEffects, waitUntilSettled } from './scenario';

const CONCURRENCY = 20;

/** Fault 2: the worker is killed with SIGKILL twice while it works through a backlog, and replaced each time. */
describe('worker killed mid-batch', () => {
  let db: TestDatabase;
  let api: TestApp;
  const workers: TestApp[] = [];
  const sink = new Sink();
  const settings = {
    RECONCILER_INTERVAL_SECONDS: '1',
    RECONCILER_GRACE_SECONDS: '2',
    PROCESSING_LEASE_SECONDS: '5',
    WORKER_CONCURRENCY: String(CONCURRENCY),
  };
  const startWorker = async () => {
    const worker = await startApp(db, { ...settings, ROLE: 'worker', QUEUE_PREFIX: api.env.QUEUE_PREFIX });
    workers.push(worker);
    return worker;
  };
  const processed = (client: Client) =>
    count(client, `SELECT 1 FROM source_events WHERE status = 'processed'`);

  beforeAll(async () => {
    db = await createTestDatabase();
    await sink.start();
    api = await startApp(db, { ...settings, ROLE: 'api' });
  });
  afterAll(async () => {
    await api?.close();
    for (const worker of workers) await worker.close();
    await sink.stop();
    await db?.drop();
  });

  it('processes every accepted event, and applies no action twice', async () => {
    const path = await configureSignups(api, sink);
    const load = sendLoad({
      url: `${api.url}${path}`,
      perSecond: 300,
      seconds: 5,
      duplicates: 0.1,
      event: (seq) => signup(seq, 'crash'),
    });
    const killedAt: number[] = [];
    for (const threshold of [300, 800]) {
      const worker = await startWorker();
      await waitFor(async () => (await processed(db.client)) >= threshold, 60_000, `${threshold} processed`);
      worker.process.kill('SIGKILL');
      await new Promise((done) => worker.process.once('exit', done));
      killedAt.push(await processed(db.client));
    }
    const last = await startWorker();
    const result = await load;
    await waitUntilSettled(db.client, 120_000);

    const figures = await tally(result, db.client);
    const effects = await signupEffects(db.client, sink);
    const redispatched = reconcilerDispatches(last.output());
    report('2. worker SIGKILLed twice mid-batch (1,500 requests at 300/s, 10 % duplicates)', {
      killedWhenProcessed: killedAt,
      ...figures,
      ...effects,
      redispatched,
    });

    expect(killedAt[0]).toBeLessThan(figures.sent);
    expect(killedAt[1]).toBeLessThan(figures.sent);
    expectEachEventOnce(figures, effects, result);
    // A request cut off by a kill may have been sent again, with the same Idempotency-Key: at most those in flight.
    expect(effects.resends).toBeLessThanOrEqual(2 * CONCURRENCY);
  }, 240_000);
});
