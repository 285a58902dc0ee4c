import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * One definition of the connection, shared by the app and the TypeORM CLI. `poolSize` 1 for the embedded
 * database, which runs one session at a time.
 */
export function dataSourceOptions(databaseUrl: string, poolSize = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    // A dead database must fail requests quickly (503), not hang them until PostHog times out.
    extra: { max: poolSize, connectionTimeoutMillis: 5000, query_timeout: 10000 },
  };
}
