import { createTestDatabase, TestApp, TestDatabase } from '../helpers/app';
import { Sink } from '../helpers/sink';
import { LocalRedis, p99ByPhase, report, sleep, reconcilerDispatches, sendLoad, tally } from './harness';
import {
  configureSignups,
  expectEachEventOnce,
  signup,
  signupEffects,
  startApiAndWorker,
  waitUntilSettled,
} from './scenario';

/**
 * Fault 1: Redis is flushed, then stopped for 4 s, while 200 events a second (10 % of them duplicates) are
 * ingested and processed by a separate worker process.
 */
describe('Redis flushed and stopped under load', () => {
  let redis: LocalRedis;
  let db: TestDatabase;
  let api: TestApp;
  let worker: TestApp;
  const sink = new Sink();

  beforeAll(async () => {
    redis = await LocalRedis.start();
    db = await createTestDatabase();
    await sink.start();
    const settings = {
      REDIS_URL: redis.url,
      RECONCILER_INTERVAL_SECONDS: '1',
      RECONCILER_GRACE_SECONDS: '2',
    };
    ({ api, worker } = await startApiAndWorker(db, settings));
  });
  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await sink.stop();
    await redis?.stop();
    await db?.drop();
  });

  it('accepts every event throughout and processes each exactly once', async () => {
    const path = await configureSignups(api, sink);
    const start = Date.now();
    const faults = (async () => {
      await sleep(5_000);
      await redis.flushAll();
      await sleep(5_000);
      await redis.stop();
      await sleep(4_000);
      await redis.start();
    })();
    const load = await sendLoad({
      url: `${api.url}${path}`,
      perSecond: 200,
      seconds: 20,
      duplicates: 0.1,
      event: (seq) => signup(seq, 'redis'),
    });
    await faults;
    await waitUntilSettled(db.client, 120_000);

    const figures = await tally(load, db.client, [start + 5_000, start + 15_000]);
    const effects = await signupEffects(db.client, sink);
    const redispatched = reconcilerDispatches(worker.output());
    report('1. Redis FLUSHALL at 5 s, Redis down 10–14 s (200 ev/s for 20 s, 10 % duplicates)', {
      ...figures,
      ...effects,
      redispatched,
      p99MsByPhase: p99ByPhase(load, start, [
        ['0–5 s', 0, 5_000],
        ['5–10 s, after the flush', 5_000, 10_000],
        ['10–14 s, Redis down', 10_000, 14_000],
        ['14–20 s, Redis back', 14_000, 20_000],
      ]),
    });

    // Ingestion never needed Redis: every request was answered 2xx the first time.
    expect(figures.requests).toBe(4000);
    expect(Object.keys(figures.statuses).sort()).toEqual(['200', '202']);
    expectEachEventOnce(figures, effects, load);
    // No worker died, so no request was sent twice.
    expect(effects.resends).toBe(0);
  }, 240_000);
});
