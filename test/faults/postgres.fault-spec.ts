import { TestApp, TestDatabase } from '../helpers/app';
import { Sink } from '../helpers/sink';
import {
  connectClient,
  LocalPostgres,
  percentile,
  report,
  sleep,
  sendLoad,
  statusCounts,
  tally,
} from './harness';
import {
  configureSignups,
  expectEachEventOnce,
  signup,
  signupEffects,
  startApiAndWorker,
  waitUntilSettled,
} from './scenario';

/**
 * Fault 3: PostgreSQL stops for 4 s (sessions ended, as in a restart) while 100 events a second are ingested.
 * The load retries what is refused after a second, as PostHog does.
 */
describe('PostgreSQL restarted under load', () => {
  let postgres: LocalPostgres;
  let db: TestDatabase;
  let api: TestApp;
  let worker: TestApp;
  const sink = new Sink();

  beforeAll(async () => {
    postgres = await LocalPostgres.start();
    db = await postgres.createDatabase();
    await sink.start();
    const settings = { RECONCILER_INTERVAL_SECONDS: '1', RECONCILER_GRACE_SECONDS: '2' };
    ({ api, worker } = await startApiAndWorker(db, settings));
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await sink.stop();
    await db?.drop();
    await postgres?.destroy();
  });

  it('answers 503 while it is down, recovers by itself and loses nothing it accepted', async () => {
    const path = await configureSignups(api, sink);
    let down: [number, number] = [0, 0];
    const fault = (async () => {
      await sleep(6_000);
      await db.client.end();
      const stoppedAt = Date.now();
      await postgres.stop('fast');
      await sleep(4_000);
      await postgres.start();
      down = [stoppedAt, Date.now()];
      db.client = await connectClient(db.url);
    })();
    const load = await sendLoad({
      url: `${api.url}${path}`,
      perSecond: 100,
      seconds: 20,
      duplicates: 0.1,
      event: (seq) => signup(seq, 'pg'),
    });
    await fault;
    await waitUntilSettled(db.client, 120_000);

    const figures = await tally(load, db.client, down);
    const effects = await signupEffects(db.client, sink);
    const whileDown = load.requests.filter((r) => r.startedAt >= down[0] && r.startedAt < down[1]);
    const refused = whileDown.filter((r) => r.status === 503);
    report('3. PostgreSQL stopped 6–10 s and started again (100 ev/s for 20 s, 10 % duplicates)', {
      ...figures,
      requestsWhileDown: whileDown.length,
      answeredWhileDown: statusCounts(whileDown),
      p99WhileDownMs: percentile(
        whileDown.map((r) => r.latencyMs),
        99,
      ),
      ...effects,
    });

    // While it was down, ingestion refused with 503 (which PostHog retries): never a 500, never a hang.
    expect(refused.length).toBeGreaterThan(0);
    expect(load.requests.filter((r) => r.status === 0 || (r.status >= 500 && r.status !== 503))).toEqual([]);
    // Every event was accepted in the end, nothing answered 2xx is missing, and each was processed once.
    expectEachEventOnce(figures, effects, load);
    // Both processes rode it out.
    expect(api.process.exitCode).toBeNull();
    expect(worker.process.exitCode).toBeNull();
  }, 240_000);
});
