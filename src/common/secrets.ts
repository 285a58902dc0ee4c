import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Compares two secrets in time independent of where they differ (and of their lengths). */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const digest = (value: string | Buffer) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** A URL-safe random token with `bytes` bytes of entropy (24 bytes: 192 bits). */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
