import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddDuplicateCounts1764057600000 implements MigrationInterface {
  name = 'AddDuplicateCounts1764057600000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE source_events
        ADD COLUMN duplicate_count integer NOT NULL DEFAULT 0,
        ADD COLUMN last_duplicate_at timestamptz(3)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE source_events DROP COLUMN duplicate_count, DROP COLUMN last_duplicate_at`);
  }
}
