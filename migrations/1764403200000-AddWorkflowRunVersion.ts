import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddWorkflowRunVersion1764403200000 implements MigrationInterface {
  name = 'AddWorkflowRunVersion1764403200000';

  public async up(q: QueryRunner): Promise<void> {
    // The version a run started on, which it keeps whatever later saves change.
    await q.query(`ALTER TABLE workflow_runs ADD COLUMN workflow_version integer`);
    await q.query(
      `CREATE INDEX workflow_runs_list_idx ON workflow_runs (environment_id, created_at DESC, id DESC)`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX workflow_runs_list_idx`);
    await q.query(`ALTER TABLE workflow_runs DROP COLUMN workflow_version`);
  }
}
