import { parseEnvelopePath, parsePath, PathError, resolvePath } from './paths';

describe('parsePath', () => {
  it.each([
    ['body.event', ['body', 'event']],
    ['body.properties.$current_url', ['body', 'properties', '$current_url']],
    ['body.properties.$set.plan', ['body', 'properties', '$set', 'plan']],
    ['body.items.0.sku', ['body', 'items', '0', 'sku']],
    ['headers.webhook-id', ['headers', 'webhook-id']],
    ['body.properties["utm.source"]', ['body', 'properties', 'utm.source']],
    ['body["a b"]["c.d"].e', ['body', 'a b', 'c.d', 'e']],
  ])('parses %s', (path, expected) => {
    expect(parsePath(path)).toEqual(expected);
  });

  it.each([
    ['', /non-empty/],
    ['body..event', /empty segment/],
    ['body.', /ends with a dot/],
    ['.body', /empty segment/],
    ['body["unterminated', /unterminated/],
    ['body["a"]x', /expected/],
    ['body.__proto__.x', /"__proto__" is not allowed/],
    ['body.constructor.prototype', /"constructor" is not allowed/],
    ['body.a.prototype', /"prototype" is not allowed/],
    ['body["__proto__"]', /"__proto__" is not allowed/],
    ['x'.repeat(600), /longer than/],
  ])('refuses %j', (path, message) => {
    expect(() => parsePath(path)).toThrow(PathError);
    expect(() => parsePath(path)).toThrow(message);
  });

  it('requires an envelope root when asked', () => {
    expect(parseEnvelopePath('query.utm')).toEqual(['query', 'utm']);
    expect(() => parseEnvelopePath('payload.event')).toThrow(/must start with body, headers, query/);
  });
});

describe('resolvePath', () => {
  const envelope = {
    body: {
      event: 'user_signed_up',
      properties: { $set: { plan: 'pro' }, 'utm.source': 'ads', zero: 0, nothing: null },
      items: [{ sku: 'A-1' }, { sku: 'B-2' }],
    },
    headers: { 'webhook-id': 'msg_1' },
  };

  it.each([
    ['body.event', 'user_signed_up'],
    ['body.properties.$set.plan', 'pro'],
    ['body.properties["utm.source"]', 'ads'],
    ['body.items.1.sku', 'B-2'],
    ['body.properties.zero', 0],
    ['body.properties.nothing', null],
    ['headers.webhook-id', 'msg_1'],
    ['body.items.2.sku', undefined],
    ['body.items.01.sku', undefined],
    ['body.items.length', undefined],
    ['body.event.length', undefined],
    ['body.missing.deeper', undefined],
    ['body.properties.toString', undefined],
    ['body.properties.hasOwnProperty', undefined],
  ])('%s → %j', (path, expected) => {
    expect(resolvePath(envelope, parsePath(path))).toEqual(expected);
  });

  it('never reaches a prototype even through an own "__proto__" key from JSON', () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "a": {}}') as object;
    expect(resolvePath({ body }, ['body', 'a', 'polluted'])).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
