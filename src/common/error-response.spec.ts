import { QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { toErrorResponse } from './error-response';

/** Stands in for NestJS's HttpException, which cannot be loaded here (ESM-only). */
class FakeHttpException extends Error {
  constructor(
    private readonly status: number,
    private readonly response: string | object,
  ) {
    super(typeof response === 'string' ? response : 'Http Exception');
  }
  getStatus() {
    return this.status;
  }
  getResponse() {
    return this.response;
  }
}

const pgError = (fields: Record<string, string>) =>
  new QueryFailedError('SELECT 1', [], Object.assign(new Error(fields.message ?? 'pg error'), fields));

describe('toErrorResponse', () => {
  it("keeps a domain error's status, code, message and details", () => {
    const error = new DomainError(409, 'SOURCE_KEY_TAKEN', 'taken', [{ field: 'key' }]);
    expect(toErrorResponse(error, 'req-1')).toEqual({
      status: 409,
      body: {
        error: { code: 'SOURCE_KEY_TAKEN', message: 'taken', details: [{ field: 'key' }] },
        request_id: 'req-1',
      },
    });
  });

  it.each([
    [
      new FakeHttpException(404, { message: 'Cannot GET /nope', statusCode: 404 }),
      404,
      'NOT_FOUND',
      'Cannot GET /nope',
    ],
    [
      new FakeHttpException(400, 'Validation failed (uuid is expected)'),
      400,
      'BAD_REQUEST',
      'Validation failed (uuid is expected)',
    ],
    [new FakeHttpException(418, 'teapot'), 418, 'HTTP_418', 'teapot'],
  ])('maps framework HTTP errors (%#)', (error, status, code, message) => {
    expect(toErrorResponse(error, 'r')).toEqual({
      status,
      body: { error: { code, message }, request_id: 'r' },
    });
  });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'PAYLOAD_TOO_LARGE'],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, 'INVALID_CONTENT_LENGTH'],
  ])("maps Fastify's %s", (fastifyCode, status, code) => {
    const error = Object.assign(new Error('fastify says no'), { code: fastifyCode });
    expect(toErrorResponse(error, 'r')).toMatchObject({ status, body: { error: { code } } });
  });

  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    ['an administrator shutdown', pgError({ code: '57P01', severity: 'FATAL' })],
    ['a database refusing connections', pgError({ code: '55000', severity: 'FATAL' })],
    ['a connection exception', pgError({ code: '08006' })],
  ])('answers 503 for %s', (_, error) => {
    expect(toErrorResponse(error, 'r')).toMatchObject({
      status: 503,
      body: { error: { code: 'SERVICE_UNAVAILABLE' } },
    });
  });

  it('answers anything else 500 with the request id and nothing of the error', () => {
    const error = pgError({ code: '42P01', message: 'relation "secret_table" does not exist' });
    const { status, body } = toErrorResponse(error, 'req-9');
    expect(status).toBe(500);
    expect(body).toEqual({
      error: { code: 'INTERNAL_ERROR', message: 'Internal error; quote the request id when reporting it.' },
      request_id: 'req-9',
    });
    expect(toErrorResponse('a thrown string', 'r').status).toBe(500);
  });
});
