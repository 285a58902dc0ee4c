import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { constantTimeEqual } from '../common/secrets';

/** The browser's session for the web view and the queue dashboard, set once the admin key is entered. */
export const SESSION_COOKIE = 'signalbox_session';

/** The cookie's value: derived from the admin key, so it stops working when the key changes. */
export const sessionValue = (adminKey: string) =>
  createHmac('sha256', adminKey).update('signalbox web session').digest('base64url');

export type AdminCheck = 'ok' | 'missing' | 'invalid';

/** Whether a request carries the admin key, as `Authorization: Bearer <key>` or as the browser session. */
export function checkAdmin(headers: IncomingHttpHeaders, adminKey: string): AdminCheck {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  if (bearer) return constantTimeEqual(bearer[1], adminKey) ? 'ok' : 'invalid';
  const session = cookie(headers.cookie, SESSION_COOKIE);
  if (session !== undefined) return constantTimeEqual(session, sessionValue(adminKey)) ? 'ok' : 'invalid';
  return 'missing';
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
