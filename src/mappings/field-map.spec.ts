import { fieldMapProblems, mapFields } from './field-map';

describe('fieldMapProblems', () => {
  it('accepts paths into body, headers and query', () => {
    expect(
      fieldMapProblems({ id: 'body.userId', source: 'headers.x-source', utm: 'query.utm_source' }),
    ).toEqual({});
  });

  it.each([
    [[], { field_map: expect.stringContaining('must be an object') }],
    [null, { field_map: expect.stringContaining('must be an object') }],
    [{ id: 'userId' }, { 'field_map.id': expect.stringContaining('must start with body, headers, query') }],
    [{ id: 42 }, { 'field_map.id': expect.stringContaining('path string') }],
    [{ id: 'body.a..b' }, { 'field_map.id': expect.stringContaining('empty segment') }],
    [
      { id: 'body.constructor.name' },
      { 'field_map.id': expect.stringContaining('"constructor" is not allowed') },
    ],
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
      userId: 'u1',
      properties: { email: 'a@b.c', $set: { plan: 'pro' }, nothing: null },
      items: [{ sku: 'S' }],
    },
    headers: { 'x-source': 'posthog' },
    query: {},
  };

  it('resolves each target and leaves out what is missing', () => {
    expect(
      mapFields(
        {
          id: 'body.userId',
          email: 'body.properties.email',
          plan: 'body.properties.$set.plan',
          sku: 'body.items.0.sku',
          source: 'headers.x-source',
          nothing: 'body.properties.nothing',
          missing: 'body.properties.phone',
        },
        envelope,
      ),
    ).toEqual({ id: 'u1', email: 'a@b.c', plan: 'pro', sku: 'S', source: 'posthog', nothing: null });
  });

  it('maps whole objects', () => {
    expect(mapFields({ properties: 'body.properties.$set' }, envelope)).toEqual({
      properties: { plan: 'pro' },
    });
  });
});
