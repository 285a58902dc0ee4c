import { createTestDatabase, startApp, TestApp, TestDatabase } from '../helpers/app';
import { count } from '../helpers/fixtures';
import { Sink } from '../helpers/sink';
import { report, statusCounts } from './harness';
import { configureSignups, signup, waitUntilSettled } from './scenario';

const COPIES = 200;
const ROUNDS = 5;

/** Fault 5: 200 concurrent copies of one event, split between two api processes, five times over. */
describe('duplicate storms across two api processes', () => {
  let db: TestDatabase;
  let apis: TestApp[];
  let worker: TestApp;
  const sink = new Sink();

  beforeAll(async () => {
    db = await createTestDatabase();
    await sink.start();
    const first = await startApp(db, { ROLE: 'api' });
    const prefix = { QUEUE_PREFIX: first.env.QUEUE_PREFIX };
    apis = [first, await startApp(db, { ...prefix, ROLE: 'api' })];
    worker = await startApp(db, { ...prefix, ROLE: 'worker' });
  });
  afterAll(async () => {
    for (const app of [...(apis ?? []), worker]) await app?.close();
    await sink.stop();
    await db?.drop();
  });

  it('accepts each event once and answers every copy with its id', async () => {
    const path = await configureSignups(apis[0], sink);
    const statuses: Record<string, number>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const body = JSON.stringify(signup(round, 'storm'));
      const answers = await Promise.all(
        Array.from({ length: COPIES }, async (_, copy) => {
          const response = await fetch(`${apis[copy % 2].url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          });
          const { event_id } = (await response.json()) as { event_id: string };
          return { status: response.status, eventId: event_id };
        }),
      );
      statuses.push(statusCounts(answers));
      expect(statusCounts(answers)).toEqual({ 202: 1, 200: COPIES - 1 });
      expect(new Set(answers.map((a) => a.eventId)).size).toBe(1);
    }
    await waitUntilSettled(db.client, 60_000);

    const events = await count(db.client, `SELECT 1 FROM source_events`);
    const executions = await count(db.client, `SELECT 1 FROM action_executions`);
    const runs = await count(db.client, `SELECT 1 FROM workflow_runs`);
    const { rows } = await db.client.query<{ duplicates: number }>(
      `SELECT sum(duplicate_count)::int AS duplicates FROM source_events`,
    );
    report(`5. ${ROUNDS} storms of ${COPIES} concurrent copies of one event, across two api processes`, {
      answersPerRound: statuses,
      eventsStored: events,
      duplicatesCounted: rows[0].duplicates,
      actionExecutions: executions,
      workflowRuns: runs,
      webhookDeliveries: sink.received('/welcome').length,
    });

    expect(events).toBe(ROUNDS);
    expect(rows[0].duplicates).toBe(ROUNDS * (COPIES - 1));
    // Three mappings per event, one run and one delivery per event.
    expect(executions).toBe(ROUNDS * 3);
    expect(runs).toBe(ROUNDS);
    expect(sink.received('/welcome')).toHaveLength(ROUNDS);
  }, 120_000);
});
