/** The ingestion route as Fastify names it (request.routeOptions.url). */
export const INGESTION_ROUTE = '/integrations/receive/:token';
