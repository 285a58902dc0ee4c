import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddWorkflowExecution1764489600000 implements MigrationInterface {
  name = 'AddWorkflowExecution1764489600000';

  public async up(q: QueryRunner): Promise<void> {
    // A run's position and schedule live here, so any worker can pick it up after a restart or a Redis loss.
    // current_step: the path of the step to run (null once finished); next_step_at: when it is due;
    // lease_token/lease_expires_at: the worker running it, and until when.
    await q.query(`
      ALTER TABLE workflow_runs
        ADD COLUMN current_step text DEFAULT 'steps.0',
        ADD COLUMN next_step_at timestamptz(3) DEFAULT now(),
        ADD COLUMN lease_token uuid,
        ADD COLUMN lease_expires_at timestamptz(3),
        ADD COLUMN started_at timestamptz(3),
        ADD COLUMN finished_at timestamptz(3),
        ADD COLUMN error text`);
    await q.query(`
      UPDATE workflow_runs SET current_step = NULL, next_step_at = NULL
      WHERE status NOT IN ('queued', 'running', 'waiting')`);
    await q.query(`
      CREATE INDEX workflow_runs_due_idx ON workflow_runs (next_step_at)
        WHERE status IN ('queued', 'running', 'waiting')`);
    // One row per step a run reached; a step runs at most once per run, so (run, step) is unique.
    await q.query(`
      CREATE TABLE workflow_step_executions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        run_id uuid NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
        step text NOT NULL,
        ref text,
        type text NOT NULL,
        status text NOT NULL
          CHECK (status IN ('running', 'waiting', 'retrying', 'succeeded', 'failed', 'cancelled')),
        input jsonb,
        output jsonb,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        history jsonb NOT NULL DEFAULT '[]',
        scheduled_at timestamptz(3) NOT NULL,
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3),
        UNIQUE (run_id, step)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE workflow_step_executions`);
    await q.query(`DROP INDEX workflow_runs_due_idx`);
    await q.query(`
      ALTER TABLE workflow_runs
        DROP COLUMN current_step, DROP COLUMN next_step_at, DROP COLUMN lease_token, DROP COLUMN lease_expires_at,
        DROP COLUMN started_at, DROP COLUMN finished_at, DROP COLUMN error`);
  }
}
