import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/** One definition of the connection, shared by the app and the TypeORM CLI. */
export function dataSourceOptions(databaseUrl: string, migrationsRun = false): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun,
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    // A dead database must fail requests quickly (503), not hang them until PostHog times out.
    extra: { max: 20, connectionTimeoutMillis: 5000, query_timeout: 10000 },
  };
}
