import { DataSource, MigrationExecutor } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

// Any constant: processes starting together (api and worker) take turns, so each migration runs once.
const MIGRATION_LOCK = 7_361_001;

/**
 * Applies pending migrations under an advisory lock, on the one connection that holds the lock (which is also
 * all the embedded database allows); returns the names of those it applied.
 */
export async function runMigrations(databaseUrl: string): Promise<string[]> {
  const db = await new DataSource(dataSourceOptions(databaseUrl, 1)).initialize();
  const runner = db.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const executor = new MigrationExecutor(db, runner);
    executor.transaction = 'each';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
    await db.destroy();
  }
}
