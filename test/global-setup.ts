import { runMigrations } from '../src/database/migrate';
import { databaseUrl, withAdminClient } from './helpers/services';

/** Migrates one template database per run; every test file copies it into a database of its own. */
export default async function globalSetup(): Promise<void> {
  const template = `signalbox_test_tpl_${process.pid}`;
  await withAdminClient(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${template}`);
    await client.query(`CREATE DATABASE ${template}`);
  });
  await runMigrations(databaseUrl(template));
  process.env.SIGNALBOX_TEST_TEMPLATE = template;
}
