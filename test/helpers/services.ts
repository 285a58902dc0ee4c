import { Client } from 'pg';
import { resolve } from 'node:path';

/** Where the test databases are created; any PostgreSQL the tests may create databases on. */
export const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const ADMIN_API_KEY = 'test-admin-key-0123456789';

/** The PostHog payloads shipped beside the repository (../shared/posthog). */
export const POSTHOG_DIR =
  process.env.POSTHOG_PAYLOADS_DIR ?? resolve(__dirname, '..', '..', '..', 'shared', 'posthog');

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
