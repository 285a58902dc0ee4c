import { parsePath } from '../common/paths';
import { Envelope, eventType, idempotencyKey, occurredAt, storedHeaders } from './event-fields';

const envelope = (body: unknown, headers: Record<string, unknown> = {}): Envelope => ({
  body,
  headers,
  query: {},
});

describe('idempotencyKey', () => {
  const path = parsePath('body.messageId');
  const key = (body: unknown) => idempotencyKey(envelope(body), path, 'body.messageId');

  it.each([
    [{ messageId: 'm-1' }, 'm-1'],
    [{ messageId: 42 }, '42'],
    [{ messageId: 0 }, '0'],
    [{ messageId: 'k'.repeat(255) }, 'k'.repeat(255)],
  ])('takes %j', (body, expected) => {
    expect(key(body)).toEqual({ key: expected, note: null });
  });

  it.each([
    [{}, 'no idempotency key at body.messageId'],
    [{ messageId: null }, 'no idempotency key at body.messageId'],
    [{ messageId: '' }, 'no idempotency key at body.messageId'],
    [{ messageId: true }, 'the value at body.messageId is a boolean, not a string or number'],
    [{ messageId: ['a'] }, 'the value at body.messageId is a list, not a string or number'],
    [{ messageId: { id: 1 } }, 'the value at body.messageId is a object, not a string or number'],
    [{ messageId: 'k'.repeat(256) }, 'the value at body.messageId is longer than 255 characters'],
  ])('refuses %j and says why', (body, note) => {
    expect(key(body)).toEqual({ key: null, note });
  });

  it('says when idempotency is off', () => {
    expect(idempotencyKey(envelope({ messageId: 'x' }), null, null)).toEqual({
      key: null,
      note: 'idempotency is disabled for this source',
    });
  });

  it('reads headers too', () => {
    const fromHeader = idempotencyKey(
      envelope({}, { 'webhook-id': 'msg_9' }),
      parsePath('headers.webhook-id'),
      'headers.webhook-id',
    );
    expect(fromHeader).toEqual({ key: 'msg_9', note: null });
  });
});

describe('eventType', () => {
  it.each([
    [{ event: '$pageview' }, 'body.event', '$pageview'],
    [{ event: { event: 'user_signed_up' } }, 'body.event.event', 'user_signed_up'],
    [{ type: 7 }, 'body.type', '7'],
    [{ event: '' }, 'body.event', null],
    [{ event: { nested: true } }, 'body.event', null],
    [{}, 'body.event', null],
    [{ event: 'e'.repeat(256) }, 'body.event', null],
  ])('%j at %s → %j', (body, path, expected) => {
    expect(eventType(envelope(body), parsePath(path))).toBe(expected);
  });
});

describe('occurredAt', () => {
  const at = (value: unknown) => occurredAt(envelope({ timestamp: value }), parsePath('body.timestamp'));

  it.each([
    ['2026-11-20T10:01:00.000Z', '2026-11-20T10:01:00.000Z'],
    ['2026-11-20T11:01:00+01:00', '2026-11-20T10:01:00.000Z'],
    [1_795_000_000, new Date(1_795_000_000_000).toISOString()],
    [1_795_000_000_123, new Date(1_795_000_000_123).toISOString()],
  ])('reads %j', (value, expected) => {
    expect(at(value)?.toISOString()).toBe(expected);
  });

  it.each([
    ['not a time'],
    [''],
    [null],
    [{}],
    ['+275760-09-13T00:00:00.000Z'],
    ['-001000-01-01T00:00:00Z'],
    ['x'.repeat(100)],
  ])('ignores %j', (value) => {
    expect(at(value)).toBeNull();
  });

  it('is null without a path', () => {
    expect(occurredAt(envelope({ timestamp: '2026-01-01' }), null)).toBeNull();
  });
});

describe('storedHeaders', () => {
  it('drops credentials and the verification secret, joins repeated headers', () => {
    const stored = storedHeaders(
      {
        'content-type': 'application/json',
        authorization: 'Bearer x',
        cookie: 'a=1',
        'proxy-authorization': 'Basic y',
        'x-api-key': 'k',
        'x-webhook-secret': 's3cret',
        'x-forwarded-for': ['1.1.1.1', '2.2.2.2'],
        absent: undefined,
      },
      'x-webhook-secret',
    );
    expect(stored).toEqual({ 'content-type': 'application/json', 'x-forwarded-for': '1.1.1.1, 2.2.2.2' });
  });
});
