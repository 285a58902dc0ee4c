import { isDatabaseUnavailable } from './database-errors';
import { DomainError } from './domain-error';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
  request_id: string;
}

// Fastify's own errors (raised before a route runs) that are the client's doing.
const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_CONTENT_LENGTH' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'INVALID_JSON' },
};

const HTTP_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'VALIDATION_FAILED',
  429: 'RATE_LIMITED',
};

/** NestJS's HttpException, recognised by shape so that this module needs no framework import. */
interface HttpExceptionLike {
  getStatus(): number;
  getResponse(): string | object;
  message: string;
}

const isHttpException = (error: unknown): error is HttpExceptionLike =>
  error instanceof Error &&
  typeof (error as Partial<HttpExceptionLike>).getStatus === 'function' &&
  typeof (error as Partial<HttpExceptionLike>).getResponse === 'function';

/** Turns any error into `{ error: { code, message, details? }, request_id }`; a 500 reveals nothing but the id. */
export function toErrorResponse(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  const body = (code: string, message: string, details?: unknown): ErrorBody => ({
    error: details === undefined ? { code, message } : { code, message, details },
    request_id: requestId,
  });
  if (error instanceof DomainError) {
    return { status: error.status, body: body(error.code, error.message, error.details) };
  }
  if (isHttpException(error)) {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String(response.message)
        : error.message;
    return { status, body: body(HTTP_CODES[status] ?? `HTTP_${status}`, message) };
  }
  const fastifyCode = (error as { code?: unknown } | null)?.code;
  if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_CODES) {
    const known = FASTIFY_CODES[fastifyCode];
    return { status: known.status, body: body(known.code, (error as Error).message) };
  }
  if (isDatabaseUnavailable(error)) {
    return { status: 503, body: body('SERVICE_UNAVAILABLE', 'The database is unavailable; retry later.') };
  }
  return {
    status: 500,
    body: body('INTERNAL_ERROR', 'Internal error; quote the request id when reporting it.'),
  };
}
