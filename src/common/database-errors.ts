import { QueryFailedError } from 'typeorm';

// SQLSTATE classes and codes that mean "the database is not there right now", not "your request is wrong".
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);
const UNAVAILABLE_MESSAGES =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|timeout exceeded when trying to connect|Query read timeout|the database system is (starting up|shutting down)|Client has encountered a connection error/i;

/** True when an error means the database could not be reached or went away: answer 503, let the client retry. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  if (!(cause instanceof Error)) return false;
  const { code, severity } = cause as { code?: unknown; severity?: unknown };
  // FATAL means Postgres ended (or refused) the session: whatever the code, the database is not there for us.
  if (severity === 'FATAL') return true;
  if (typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_CODES.has(code))) return true;
  return UNAVAILABLE_MESSAGES.test(cause.message);
}

/** The SQLSTATE of a failed query, if any. */
export function sqlState(error: unknown): string | undefined {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
