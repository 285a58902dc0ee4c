import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddRunClaimsWithoutProgress1764748800000 implements MigrationInterface {
  name = 'AddRunClaimsWithoutProgress1764748800000';

  public async up(q: QueryRunner): Promise<void> {
    // Claims of a run since it last committed a step: a run whose processing keeps failing (or killing its
    // worker) is given up instead of being retried forever. A constant default adds no table rewrite.
    await q.query(`ALTER TABLE workflow_runs ADD COLUMN claims_without_progress integer NOT NULL DEFAULT 0`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE workflow_runs DROP COLUMN claims_without_progress`);
  }
}
