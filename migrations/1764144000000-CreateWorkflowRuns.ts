import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWorkflowRuns1764144000000 implements MigrationInterface {
  name = 'CreateWorkflowRuns1764144000000';

  public async up(q: QueryRunner): Promise<void> {
    // One run per recipient. The workflow engine (definitions, steps) builds on these rows.
    await q.query(`
      CREATE TABLE workflow_runs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        environment_id uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        workflow_key text NOT NULL,
        recipient_id text NOT NULL,
        actor_id text,
        tenant text,
        cancellation_key text,
        data jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'running', 'waiting', 'completed', 'failed', 'cancelled')),
        source_event_id uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        cancelled_at timestamptz(3)
      )`);
    await q.query(`
      CREATE INDEX workflow_runs_cancellation_idx ON workflow_runs (environment_id, workflow_key, cancellation_key)
        WHERE status IN ('queued', 'running', 'waiting')`);
    await q.query(`CREATE INDEX workflow_runs_source_event_idx ON workflow_runs (source_event_id)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE workflow_runs`);
  }
}
