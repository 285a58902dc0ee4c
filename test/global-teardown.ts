import { flushQueues, runQueuePrefix } from './helpers/app';
import { withAdminClient } from './helpers/services';

/** Drops the template and every database this run created, and the Redis keys of its queue prefixes. */
export default async function globalTeardown(): Promise<void> {
  const template = process.env.SIGNALBOX_TEST_TEMPLATE;
  if (!template) return;
  // flushQueues matches `<prefix>:*`; the run's prefixes only share their start.
  await flushQueues(`${runQueuePrefix()}*`);
  await withAdminClient(async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
      [template, `${template.replace('_tpl_', '_')}_%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  });
}
