import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';

const { DATABASE_URL } = loadConfig();
if (!DATABASE_URL) {
  throw new Error(
    'set DATABASE_URL: the embedded database (no DATABASE_URL) applies its migrations at start',
  );
}

/** Used by the TypeORM CLI (`npm run migration:run`). */
export default new DataSource(dataSourceOptions(DATABASE_URL));
