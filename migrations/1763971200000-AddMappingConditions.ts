import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddMappingConditions1763971200000 implements MigrationInterface {
  name = 'AddMappingConditions1763971200000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE action_mappings ADD COLUMN conditions jsonb NOT NULL DEFAULT '[]'`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE action_mappings DROP COLUMN conditions`);
  }
}
