import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1764662400000 implements MigrationInterface {
  name = 'CreateApiKeys1764662400000';

  public async up(q: QueryRunner): Promise<void> {
    // Keys scoped to one environment. Only a SHA-256 of the key is kept; the prefix (also inside the key) finds
    // the row without scanning hashes.
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        prefix text NOT NULL UNIQUE,
        key_hash text NOT NULL,
        environment_id uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        access text NOT NULL CHECK (access IN ('read', 'write')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        last_used_at timestamptz(3),
        revoked_at timestamptz(3)
      )`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys`);
  }
}
