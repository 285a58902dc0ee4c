import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWorkflows1764316800000 implements MigrationInterface {
  name = 'CreateWorkflows1764316800000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workflows (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        environment_id uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        key text NOT NULL,
        name text NOT NULL,
        enabled boolean NOT NULL DEFAULT true,
        version integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (environment_id, key)
      )`);
    // Every save is kept: a run follows the version it started with.
    await q.query(`
      CREATE TABLE workflow_versions (
        workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
        version integer NOT NULL,
        steps jsonb NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (workflow_id, version)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE workflow_versions`);
    await q.query(`DROP TABLE workflows`);
  }
}
