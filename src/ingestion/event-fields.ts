import { Path, resolvePath } from '../common/paths';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const MAX_EVENT_TYPE_LENGTH = 255;

export interface Envelope {
  body: unknown;
  headers: Record<string, unknown>;
  query: Record<string, unknown>;
}

export type IdempotencyKey = { key: string; note: null } | { key: null; note: string };

/** The event's idempotency key, or why it has none (then it is processed without dedup). */
export function idempotencyKey(
  envelope: Envelope,
  path: Path | null,
  pathText: string | null,
): IdempotencyKey {
  if (!path) return { key: null, note: 'idempotency is disabled for this source' };
  const value = resolvePath(envelope, path);
  if (value === undefined || value === null || value === '') {
    return { key: null, note: `no idempotency key at ${pathText}` };
  }
  if (typeof value !== 'string' && typeof value !== 'number') {
    return {
      key: null,
      note: `the value at ${pathText} is a ${Array.isArray(value) ? 'list' : typeof value}, not a string or number`,
    };
  }
  const key = String(value);
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return {
      key: null,
      note: `the value at ${pathText} is longer than ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
    };
  }
  return { key, note: null };
}

/** The event type: a non-empty string or number at the path, else null. */
export function eventType(envelope: Envelope, path: Path): string | null {
  const value = resolvePath(envelope, path);
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const type = String(value);
  return type.length > 0 && type.length <= MAX_EVENT_TYPE_LENGTH ? type : null;
}

/** When the event happened, if the value at the path is an ISO time or a unix time (seconds or milliseconds). */
export function occurredAt(envelope: Envelope, path: Path | null): Date | null {
  if (!path) return null;
  const value = resolvePath(envelope, path);
  let time: Date;
  if (typeof value === 'number') time = new Date(value < 1e11 ? value * 1000 : value);
  else if (typeof value === 'string' && value.length <= 64) time = new Date(value);
  else return null;
  // Years outside 1–9999 are refused rather than left to fail the insert (Postgres stops at 4713 BC).
  const year = time.getUTCFullYear();
  return Number.isFinite(time.getTime()) && year >= 1 && year <= 9999 ? time : null;
}

// Credentials are never stored with the event.
const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** The request headers as stored: single strings, credentials and the verification secret removed. */
export function storedHeaders(
  headers: Record<string, string | string[] | undefined>,
  secretHeader: string | undefined,
): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || SECRET_HEADERS.has(name) || name === secretHeader) continue;
    stored[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return stored;
}
