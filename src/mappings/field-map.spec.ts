import { describeSource, fieldMapProblems, mapFields } from './field-map';

const none = new Set<string>();

describe('fieldMapProblems', () => {
  it('accepts every form', () => {
    expect(
      fieldMapProblems({
        id: 'body.userId',
        source: 'headers.x-source',
        utm: 'query.utm_source',
        plan: { path: 'body.properties.plan', default: 'free' },
        tier: { path: 'body.properties.tier' },
        channel: { value: 'posthog' },
        properties: { value: { imported: true } },
        greeting: { template: 'Hi {{ body.properties.name | default: "there" }}' },
      }),
    ).toEqual({});
  });

  it.each([
    [[], { field_map: expect.stringContaining('must be an object') }],
    [null, { field_map: expect.stringContaining('must be an object') }],
    [{ id: 'userId' }, { 'field_map.id': expect.stringContaining('must start with body, headers, query') }],
    [{ id: 42 }, { 'field_map.id': expect.stringContaining('must be a path') }],
    [{ id: ['body.a'] }, { 'field_map.id': expect.stringContaining('must be a path') }],
    [{ id: 'body.a..b' }, { 'field_map.id': expect.stringContaining('empty segment') }],
    [
      { id: 'body.constructor.name' },
      { 'field_map.id': expect.stringContaining('"constructor" is not allowed') },
    ],
    [
      { id: { path: 'body.__proto__' } },
      { 'field_map.id': expect.stringContaining('"__proto__" is not allowed') },
    ],
    [{ id: { path: 7 } }, { 'field_map.id': 'path must be a string' }],
    [{ id: { default: 'x' } }, { 'field_map.id': expect.stringContaining('expected exactly one of') }],
    [{ id: { path: 'body.a', value: 1 } }, { 'field_map.id': expect.stringContaining('got path,value') }],
    [{ id: {} }, { 'field_map.id': expect.stringContaining('got nothing') }],
    [{ id: { template: 42 } }, { 'field_map.id': 'template must be a string' }],
    [{ id: { template: '{{ body.name ' } }, { 'field_map.id': expect.stringContaining('invalid template') }],
    [
      { id: { template: '{{ body.name | no_such_filter }}' } },
      { 'field_map.id': expect.stringContaining('invalid template') },
    ],
    [{ id: { template: '{% if %}' } }, { 'field_map.id': expect.stringContaining('invalid template') }],
    [{ id: { template: 'x'.repeat(2001) } }, { 'field_map.id': expect.stringContaining('longer than 2000') }],
    [{ 'bad-name': 'body.x' }, { 'field_map.bad-name': expect.stringContaining('target field names') }],
    [
      JSON.parse('{"__proto__": "body.x"}'),
      { 'field_map.__proto__': expect.stringContaining('not a prototype key') },
    ],
  ])('refuses %j', (fieldMap, problems) => {
    expect(fieldMapProblems(fieldMap)).toEqual(problems);
  });

  it('caps the number of fields', () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, 'body.x']));
    expect(fieldMapProblems(many)).toEqual({ field_map: 'field_map has more than 50 fields' });
  });
});

describe('mapFields', () => {
  const envelope = {
    body: {
      event: 'user_signed_up',
      userId: 'u1',
      properties: { email: 'a@b.c', name: 'Ada', $set: { plan: 'pro' }, nothing: null, seats: 3 },
      items: [{ sku: 'S-1' }, { sku: 'S-2' }],
    },
    headers: { 'x-source': 'posthog' },
    query: { ref: 'nav' },
  };

  it.each([
    ['a path', 'body.userId', 'u1'],
    ['a path into a list', 'body.items.1.sku', 'S-2'],
    ['a $ key', 'body.properties.$set.plan', 'pro'],
    ['a header', 'headers.x-source', 'posthog'],
    ['a query parameter', 'query.ref', 'nav'],
    ['a whole object', 'body.properties.$set', { plan: 'pro' }],
    ['a null', 'body.properties.nothing', null],
    ['a path with a default, found', { path: 'body.properties.seats', default: 1 }, 3],
    ['a path with a default, missing', { path: 'body.properties.tier', default: 'free' }, 'free'],
    ['a path with a default, null', { path: 'body.properties.nothing', default: 'x' }, 'x'],
    ['a literal', { value: { imported: true } }, { imported: true }],
    ['a literal null', { value: null }, null],
    ['a template', { template: '{{ body.properties.name }} <{{ body.properties.email }}>' }, 'Ada <a@b.c>'],
    [
      'a template with filters',
      { template: '{{ body.event | upcase }}-{{ body.items | size }}' },
      'USER_SIGNED_UP-2',
    ],
    [
      'a template rendering JSON, not structured',
      { template: '{"plan":"{{ body.properties["$set"].plan }}"}' },
      '{"plan":"pro"}',
    ],
  ])('resolves %s', (_, source, expected) => {
    expect(mapFields({ field: source }, envelope, none)).toEqual({ field: expected });
  });

  it('leaves out fields that find nothing, and templates that render nothing', () => {
    expect(
      mapFields(
        {
          missing: 'body.properties.phone',
          empty: { template: '{{ body.nope }}' },
          nodefault: { path: 'body.nope' },
        },
        envelope,
        none,
      ),
    ).toEqual({});
  });

  it('parses JSON that a template renders for a structured field', () => {
    const structured = new Set(['properties', 'recipients', 'text']);
    expect(
      mapFields(
        {
          properties: {
            template: '{"plan":"{{ body.properties[\"$set\"].plan }}","seats":{{ body.properties.seats }}}',
          },
          recipients: { template: '["{{ body.userId }}", "u2"]' },
          text: { template: 'not json {{ body.userId }}' },
        },
        envelope,
        structured,
      ),
    ).toEqual({ properties: { plan: 'pro', seats: 3 }, recipients: ['u1', 'u2'], text: 'not json u1' });
  });

  it('drops prototype keys from JSON a template renders', () => {
    const result = mapFields(
      { properties: { template: '{"__proto__": {"admin": true}, "plan": "pro"}' } },
      envelope,
      new Set(['properties']),
    );
    expect(result).toEqual({ properties: { plan: 'pro' } });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('never reaches prototypes from a template', () => {
    const result = mapFields(
      {
        a: {
          template:
            '{{ body.constructor }}|{{ body.__proto__ }}|{{ body.hasOwnProperty }}|{{ body.toString }}',
        },
      },
      envelope,
      none,
    );
    expect(result).toEqual({ a: '|||' });
  });
});

describe('describeSource', () => {
  it.each([
    [undefined, 'it is not mapped'],
    ['body.userId', 'nothing at body.userId'],
    [{ path: 'body.id' }, 'nothing at body.id and no default'],
    [{ template: '{{ x }}' }, 'the template rendered nothing'],
    [{ value: null }, 'the value is null'],
  ])('%j → %s', (source, text) => {
    expect(describeSource(source as never)).toBe(text);
  });
});
