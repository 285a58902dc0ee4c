import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../common/secrets';
import { Verification } from './source-environment.entity';

/** Standard Webhooks refuses signatures whose timestamp is further than this from now. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type VerificationResult = { ok: true } | { ok: false; reason: string };

type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string): string | undefined => {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

const fail = (reason: string): VerificationResult => ({ ok: false, reason });

/** The signing key of a Standard Webhooks secret: base64, optionally prefixed `whsec_`. */
export function standardWebhooksKey(secret: string): Buffer | null {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const key = Buffer.from(encoded, 'base64');
  return key.length >= 16 ? key : null;
}

/** Problems with a verification setting, by field; empty when it is usable. */
export function verificationProblems(verification: Verification): Record<string, string> {
  const problems: Record<string, string> = {};
  switch (verification.type) {
    case 'none':
      break;
    case 'header':
    case 'hmac_sha256':
      if (!verification.header)
        problems['verification.header'] = `header is required for ${verification.type}`;
      if (!verification.secret)
        problems['verification.secret'] = `secret is required for ${verification.type}`;
      break;
    case 'standard_webhooks':
      if (!verification.secret) problems['verification.secret'] = 'secret is required for standard_webhooks';
      else if (!standardWebhooksKey(verification.secret)) {
        problems['verification.secret'] =
          'secret must be base64 (optionally prefixed whsec_) of at least 16 bytes';
      }
      break;
  }
  return problems;
}

/** Checks that a request carries proof of its sender. Every comparison is constant-time. */
export function verifyRequest(
  verification: Verification,
  rawBody: Buffer,
  headers: Headers,
  nowSeconds: number,
): VerificationResult {
  const secret = verification.secret ?? '';
  switch (verification.type) {
    case 'none':
      return { ok: true };
    case 'header': {
      const given = header(headers, verification.header ?? '');
      if (given === undefined) return fail(`missing header ${verification.header}`);
      return constantTimeEqual(given, secret)
        ? { ok: true }
        : fail(`header ${verification.header} does not match`);
    }
    case 'hmac_sha256': {
      const given = header(headers, verification.header ?? '');
      if (given === undefined) return fail(`missing header ${verification.header}`);
      const expected = createHmac('sha256', secret).update(rawBody).digest('hex');
      const signature = given
        .trim()
        .replace(/^sha256=/i, '')
        .toLowerCase();
      return constantTimeEqual(signature, expected)
        ? { ok: true }
        : fail('signature does not match the body');
    }
    case 'standard_webhooks': {
      const id = header(headers, 'webhook-id');
      const timestamp = header(headers, 'webhook-timestamp');
      const signatures = header(headers, 'webhook-signature');
      if (!id || !timestamp || !signatures) {
        return fail('missing webhook-id, webhook-timestamp or webhook-signature header');
      }
      if (!/^\d{1,12}$/.test(timestamp)) return fail('webhook-timestamp is not unix seconds');
      if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
        return fail('webhook-timestamp is more than 5 minutes from now');
      }
      const key = standardWebhooksKey(secret);
      if (!key) return fail('the source has no usable signing secret');
      const expected = createHmac('sha256', key)
        .update(`${id}.${timestamp}.`)
        .update(rawBody)
        .digest('base64');
      // Check every candidate so the time taken does not depend on which one matched.
      let matched = false;
      for (const candidate of signatures.split(' ')) {
        const [version, signature] = candidate.split(',', 2);
        if (version === 'v1' && signature !== undefined && constantTimeEqual(signature, expected))
          matched = true;
      }
      return matched ? { ok: true } : fail('no webhook-signature matches the body');
    }
  }
}
