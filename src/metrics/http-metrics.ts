import type { FastifyInstance } from 'fastify';
import { INGESTION_ROUTE } from '../ingestion/ingestion.route';
import { Metrics } from './metrics';

/** Whose ingestion URL a request was for. */
export interface IngestionLabels {
  source: string;
  environment: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by ingestion once the URL's source is known. */
    ingestionLabels?: IngestionLabels;
  }
}

/** Why ingestion refused an event, by the status it answered (see README: ingestion answers). */
const REJECTIONS: Record<number, string> = {
  400: 'invalid_body',
  401: 'verification_failed',
  404: 'unknown_url',
  413: 'too_large',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Times every request, and counts ingestion outcomes, whatever layer answered (the body parser included). */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    metrics.httpSeconds.observe({ method: request.method, route, status }, reply.elapsedTime / 1000);
    if (route === INGESTION_ROUTE) {
      const labels = request.ingestionLabels ?? { source: 'unknown', environment: 'unknown' };
      const outcome = status === 202 ? 'accepted' : status === 200 ? 'duplicate' : 'rejected';
      const reason = outcome === 'rejected' ? (REJECTIONS[status] ?? `status_${status}`) : '';
      metrics.eventsReceived.inc({ ...labels, outcome, reason });
    }
    done();
  });
}
