import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCoreSchema1763884800000 implements MigrationInterface {
  name = 'CreateCoreSchema1763884800000';

  public async up(q: QueryRunner): Promise<void> {
    // timestamptz(3): millisecond precision, so a JavaScript Date round-trips exactly (pagination cursors rely on it).
    await q.query(`
      CREATE TABLE environments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL UNIQUE,
        name text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`
      INSERT INTO environments (slug, name, created_at)
      VALUES ('development', 'Development', now()), ('production', 'Production', now() + interval '1 millisecond')`);

    await q.query(`
      CREATE TABLE sources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE,
        name text NOT NULL,
        type text NOT NULL CHECK (type IN ('posthog', 'posthog_webhook', 'custom')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE source_environments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        environment_id uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        token text NOT NULL UNIQUE,
        enabled boolean NOT NULL DEFAULT true,
        event_type_path text NOT NULL,
        timestamp_path text,
        idempotency_enabled boolean NOT NULL,
        idempotency_key_path text,
        idempotency_window_seconds integer NOT NULL DEFAULT 86400,
        verification jsonb NOT NULL DEFAULT '{"type": "none"}',
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (source_id, environment_id)
      )`);

    // source_events and idempotency_keys take one row per request, all pointing at the same few settings rows.
    // A foreign key would make every insert lock its settings row (FOR KEY SHARE), which under concurrency costs
    // more than the insert; so they have none, and SourcesService.delete removes them explicitly.
    await q.query(`
      CREATE TABLE source_events (
        id uuid PRIMARY KEY,
        source_environment_id uuid NOT NULL,
        status text NOT NULL DEFAULT 'accepted'
          CHECK (status IN ('accepted', 'processing', 'processed', 'partially_failed', 'failed', 'no_mapping')),
        event_type text,
        idempotency_key text,
        idempotency_note text,
        verification text NOT NULL,
        payload jsonb NOT NULL,
        headers jsonb NOT NULL,
        query jsonb NOT NULL,
        occurred_at timestamptz(3),
        received_at timestamptz(3) NOT NULL DEFAULT now(),
        processing_attempts integer NOT NULL DEFAULT 0,
        lease_expires_at timestamptz(3),
        processed_at timestamptz(3),
        error text
      )`);
    await q.query(`
      CREATE INDEX source_events_log_idx ON source_events (source_environment_id, received_at DESC, id DESC)`);
    // The reconciler only ever looks at unfinished events; keep that index small.
    await q.query(`
      CREATE INDEX source_events_unfinished_idx ON source_events (received_at)
        WHERE status IN ('accepted', 'processing')`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        source_environment_id uuid NOT NULL,
        key text NOT NULL,
        event_id uuid NOT NULL,
        expires_at timestamptz(3) NOT NULL,
        PRIMARY KEY (source_environment_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expires_at_idx ON idempotency_keys (expires_at)`);

    await q.query(`
      CREATE TABLE action_mappings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        source_environment_id uuid NOT NULL REFERENCES source_environments (id) ON DELETE CASCADE,
        event_type text NOT NULL,
        action text NOT NULL,
        field_map jsonb NOT NULL DEFAULT '{}',
        enabled boolean NOT NULL DEFAULT true,
        position integer NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX action_mappings_lookup_idx ON action_mappings (source_environment_id, event_type)`,
    );

    // mapping_id has no foreign key on purpose: deleting a mapping must not erase what it did.
    await q.query(`
      CREATE TABLE action_executions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        event_id uuid NOT NULL REFERENCES source_events (id) ON DELETE CASCADE,
        mapping_id uuid NOT NULL,
        action text NOT NULL,
        status text NOT NULL CHECK (status IN ('succeeded', 'skipped', 'failed')),
        inputs jsonb,
        result jsonb,
        reason text,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        started_at timestamptz(3) NOT NULL DEFAULT now(),
        finished_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (event_id, mapping_id)
      )`);

    await q.query(`
      CREATE TABLE users (
        environment_id uuid NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
        id text NOT NULL,
        email text,
        name text,
        phone_number text,
        properties jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        PRIMARY KEY (environment_id, id)
      )`);
    await q.query(`CREATE INDEX users_list_idx ON users (environment_id, created_at DESC, id DESC)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'users',
      'action_executions',
      'action_mappings',
      'idempotency_keys',
      'source_events',
      'source_environments',
      'sources',
      'environments',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
