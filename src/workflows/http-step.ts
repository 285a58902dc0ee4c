import { renderStrings, renderTemplate, TemplateError } from '../common/templates';
import { MASK } from './workflow-secrets';
import { isMetadataUrl, HttpStep } from './workflow-steps';
import { OutboundResponse } from './outbound-http';

export const DEFAULT_TIMEOUT_SECONDS = 10;
export const DEFAULT_RETRIES = 3;
const MAX_RETRY_AFTER_SECONDS = 3600;

/** The step cannot be sent as defined (a template fails, the URL is not one): trying again cannot help. */
export class StepInputError extends Error {}

export interface RenderedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

/**
 * The request an http step sends, its templates rendered over the run's scope. A string body is sent as text;
 * any other body as JSON. `Idempotency-Key` (unless the step sets one) is the same for every attempt of the
 * step in this run, so a target can drop a repeat sent after a crash.
 */
export function renderRequest(step: HttpStep, scope: object, idempotencyKey: string): RenderedRequest {
  try {
    const url = renderTemplate(step.url, scope);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new StepInputError(`url "${url.slice(0, 200)}" is not an absolute URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new StepInputError(`url must be http or https, not ${parsed.protocol}`);
    }
    if (isMetadataUrl(parsed))
      throw new StepInputError(`${parsed.hostname} is a link-local or metadata address`);
    const headers: Record<string, string> = {
      'user-agent': 'Signalbox',
      'idempotency-key': idempotencyKey,
    };
    let body: string | undefined;
    if (step.body !== undefined) {
      const rendered = renderStrings(step.body, scope);
      body = typeof rendered === 'string' ? rendered : JSON.stringify(rendered);
      headers['content-type'] =
        typeof rendered === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
    }
    for (const [name, value] of Object.entries(step.headers ?? {})) {
      headers[name.toLowerCase()] = renderTemplate(value, scope);
    }
    return { method: step.method, url: parsed, headers, body };
  } catch (error) {
    if (error instanceof TemplateError) throw new StepInputError(error.message);
    throw error;
  }
}

/** The request as the run's record shows it: the step's own header values masked, they may be credentials. */
export function describeRequest(step: HttpStep, request: RenderedRequest) {
  const secret = new Set(Object.keys(step.headers ?? {}).map((name) => name.toLowerCase()));
  return {
    method: request.method,
    url: request.url.href,
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, secret.has(name) ? MASK : value]),
    ),
    // A JSON body reads better as JSON than as the string sent.
    body:
      request.body !== undefined && request.headers['content-type'] === 'application/json'
        ? (JSON.parse(request.body) as unknown)
        : request.body,
  };
}

export type ResponseVerdict = 'succeeded' | 'retry' | 'failed';

/** 2xx succeeds; 429 and 5xx may pass later; anything else (4xx, a redirect, which is not followed) will not. */
export function judgeStatus(status: number): ResponseVerdict {
  if (status >= 200 && status < 300) return 'succeeded';
  if (status === 429 || status >= 500) return 'retry';
  return 'failed';
}

// Postgres's jsonb holds neither NUL characters nor lone surrogates: as JSON.stringify escapes them.
const UNSTORABLE_ESCAPE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;
const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * The response as recorded: a JSON body parsed when it is complete. Whatever a target answers, the record can be
 * stored: characters Postgres refuses become U+FFFD, and JSON holding them is kept as that text.
 */
export function describeResponse(response: OutboundResponse) {
  let body: unknown = response.body.replace(UNSTORABLE_TEXT, '\ufffd');
  if (!response.truncated && /\bjson\b/i.test(response.contentType ?? '')) {
    try {
      const parsed: unknown = JSON.parse(response.body);
      if (!UNSTORABLE_ESCAPE.test(JSON.stringify(parsed))) body = parsed;
    } catch {
      // Not JSON after all: keep the text.
    }
  }
  return { status: response.status, body, ...(response.truncated ? { truncated: true } : {}) };
}

/** Seconds before the next attempt: exponential from `baseSeconds`, or longer if the target asked (Retry-After). */
export function retryDelaySeconds(attempt: number, baseSeconds: number, retryAfter?: string): number {
  const backoff = baseSeconds * 2 ** (attempt - 1);
  if (!retryAfter) return backoff;
  const asked = /^\d+$/.test(retryAfter) ? Number(retryAfter) : (Date.parse(retryAfter) - Date.now()) / 1000;
  return Number.isFinite(asked)
    ? Math.min(Math.max(backoff, Math.ceil(asked)), MAX_RETRY_AFTER_SECONDS)
    : backoff;
}
