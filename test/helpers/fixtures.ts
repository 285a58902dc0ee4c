import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { POSTHOG_DIR } from './services';
import { TestApp, waitFor } from './app';

/** A PostHog payload from ../shared/posthog, e.g. payload('knock-destination/identify.json'). */
export function payload<T = Record<string, any>>(file: string): T {
  return JSON.parse(readFileSync(join(POSTHOG_DIR, file), 'utf8')) as T;
}

export interface CreatedSource {
  key: string;
  /** Ingestion path per environment, e.g. /integrations/receive/<token>. */
  paths: Record<string, string>;
}

/** Creates a source through the API and returns its ingestion paths. */
export async function createSource(app: TestApp, key: string, type: string): Promise<CreatedSource> {
  const response = await app.admin.post('/v1/sources', { key, name: key, type }).expect(201);
  const paths: Record<string, string> = {};
  for (const e of response.body.environments as { environment: string; ingestion_url: string }[]) {
    paths[e.environment] = new URL(e.ingestion_url).pathname;
  }
  return { key, paths };
}

export async function createMapping(
  app: TestApp,
  source: string,
  env: string,
  mapping: object,
): Promise<string> {
  const response = await app.admin
    .post(`/v1/sources/${source}/environments/${env}/mappings`, mapping)
    .expect(201);
  return response.body.id as string;
}

/** Waits until the event has left accepted/processing and returns its trace. */
export async function waitForProcessed(
  app: TestApp,
  eventId: string,
  timeoutMs = 10000,
): Promise<Record<string, any>> {
  return waitFor(
    async () => {
      const { body } = await app.admin.get(`/v1/events/${eventId}`).expect(200);
      return ['accepted', 'processing'].includes(body.status) ? undefined : (body as Record<string, any>);
    },
    timeoutMs,
    `event ${eventId} to be processed`,
  );
}

/** Waits until the workflow run has one of `statuses` and returns it with its step executions. */
export async function waitForRun(
  app: TestApp,
  runId: string,
  statuses: string[],
  timeoutMs = 10000,
  environment = 'development',
): Promise<Record<string, any>> {
  return waitFor(
    async () => {
      const { body } = await app.admin
        .get(`/v1/environments/${environment}/workflow-runs/${runId}`)
        .expect(200);
      return statuses.includes(body.status) ? (body as Record<string, any>) : undefined;
    },
    timeoutMs,
    `run ${runId} to be ${statuses.join(' or ')}`,
  );
}

export async function count(client: Client, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) q`, params);
  return Number(rows[0].n);
}
