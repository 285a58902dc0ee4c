import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddActionAttemptsAndReplay1764230400000 implements MigrationInterface {
  name = 'AddActionAttemptsAndReplay1764230400000';

  public async up(q: QueryRunner): Promise<void> {
    // Every try of a mapping's action on an event; action_executions keeps the latest outcome.
    await q.query(`
      CREATE TABLE action_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        execution_id uuid NOT NULL REFERENCES action_executions (id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        status text NOT NULL CHECK (status IN ('succeeded', 'skipped', 'failed')),
        inputs jsonb,
        result jsonb,
        reason text,
        error text,
        forced boolean NOT NULL DEFAULT false,
        started_at timestamptz(3) NOT NULL,
        finished_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (execution_id, attempt)
      )`);
    // A replay asked for and not yet processed: { mapping_ids?, force }.
    await q.query(`ALTER TABLE source_events ADD COLUMN replay jsonb`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE source_events DROP COLUMN replay`);
    await q.query(`DROP TABLE action_attempts`);
  }
}
