import { checkConditions, Condition, conditionProblems } from './conditions';

const envelope = {
  body: {
    event: 'user_signed_up',
    properties: {
      plan: 'pro',
      seats: 5,
      seats_text: '12',
      tags: ['beta', 'vip'],
      company: { name: 'Hopper Labs' },
      email: 'grace@example.com',
      signed_up_at: '2026-11-20T10:01:00.000Z',
      nothing: null,
    },
  },
  headers: { 'x-source': 'posthog' },
  query: {},
};
const holds = (condition: Condition) => checkConditions([condition], envelope).ok;

describe('checkConditions', () => {
  it.each([
    ['equals', 'body.properties.plan', 'pro', true],
    ['equals', 'body.properties.plan', 'free', false],
    ['equals', 'body.properties.seats', '5', false],
    ['equals', 'body.properties.company', { name: 'Hopper Labs' }, true],
    ['equals', 'body.properties.tags', ['beta', 'vip'], true],
    ['equals', 'body.properties.tags', ['vip', 'beta'], false],
    ['not_equals', 'body.properties.plan', 'free', true],
    ['not_equals', 'body.properties.missing', 'x', true],
    ['contains', 'body.properties.email', '@example.com', true],
    ['contains', 'body.properties.email', '@other.com', false],
    ['contains', 'body.properties.tags', 'vip', true],
    ['contains', 'body.properties.tags', 'alpha', false],
    ['contains', 'body.properties.seats', 5, false],
    ['in', 'body.properties.plan', ['pro', 'enterprise'], true],
    ['in', 'body.properties.plan', ['free'], false],
    ['in', 'body.properties.missing', ['x'], false],
    ['gt', 'body.properties.seats', 4, true],
    ['gt', 'body.properties.seats', 5, false],
    ['gte', 'body.properties.seats', 5, true],
    ['lt', 'body.properties.seats', 10, true],
    ['lte', 'body.properties.seats', 4, false],
    ['gt', 'body.properties.seats_text', 9, true],
    ['gt', 'body.properties.signed_up_at', '2026-11-01T00:00:00Z', true],
    ['lt', 'body.properties.signed_up_at', '2026-11-01T00:00:00Z', false],
    ['gt', 'body.properties.company', 1, false],
    ['lt', 'body.properties.missing', 1, false],
    ['gte', 'body.properties.plan', 3, false],
    ['matches', 'body.properties.email', '^[^@]+@example\\.com$', true],
    ['matches', 'body.properties.email', '^admin@', false],
    ['matches', 'body.properties.seats', '5', false],
    ['matches', 'headers.x-source', '^post', true],
  ] as const)('%s %s %j → %s', (operator, path, value, expected) => {
    expect(holds({ path, operator, value })).toBe(expected);
  });

  it.each([
    ['exists', 'body.properties.plan', true],
    ['exists', 'body.properties.nothing', false],
    ['exists', 'body.properties.missing', false],
    ['not_exists', 'body.properties.nothing', true],
    ['not_exists', 'body.properties.plan', false],
  ] as const)('%s %s → %s', (operator, path, expected) => {
    expect(holds({ path, operator })).toBe(expected);
  });

  it('requires all conditions and names the first that fails', () => {
    const result = checkConditions(
      [
        { path: 'body.event', operator: 'equals', value: 'user_signed_up' },
        { path: 'body.properties.seats', operator: 'gt', value: 10 },
        { path: 'body.properties.missing', operator: 'exists' },
      ],
      envelope,
    );
    expect(result).toEqual({ ok: false, reason: 'condition not met: body.properties.seats gt 10 (found 5)' });
    expect(checkConditions([], envelope)).toEqual({ ok: true });
    expect(checkConditions([{ path: 'body.properties.missing', operator: 'exists' }], envelope)).toEqual({
      ok: false,
      reason: 'condition not met: body.properties.missing exists (found nothing)',
    });
  });
});

describe('conditionProblems', () => {
  it('accepts well-formed conditions', () => {
    expect(
      conditionProblems([
        { path: 'body.event', operator: 'equals', value: 'x' },
        { path: 'body.a', operator: 'exists' },
        { path: 'body.a', operator: 'in', value: [1, 2] },
        { path: 'body.a', operator: 'matches', value: '^a+$' },
      ]),
    ).toEqual({});
  });

  it.each([
    [{}, { conditions: 'conditions must be a list' }],
    [['x'], { 'conditions.0': expect.any(String) }],
    [
      [{ path: 'event', operator: 'equals', value: 1 }],
      { 'conditions.0.path': expect.stringContaining('must start with') },
    ],
    [
      [{ path: 'body.a', operator: 'like', value: 1 }],
      { 'conditions.0.operator': expect.stringContaining('one of') },
    ],
    [[{ path: 'body.a', operator: 'equals' }], { 'conditions.0.value': 'equals needs a value' }],
    [
      [{ path: 'body.a', operator: 'exists', value: true }],
      { 'conditions.0.value': 'exists takes no value' },
    ],
    [[{ path: 'body.a', operator: 'in', value: 'pro' }], { 'conditions.0.value': 'in needs a list' }],
    [
      [{ path: 'body.a', operator: 'matches', value: '(' }],
      { 'conditions.0.value': expect.stringContaining('invalid regular expression') },
    ],
    [
      [{ path: 'body.a', operator: 'matches', value: 'a'.repeat(201) }],
      { 'conditions.0.value': expect.stringContaining('at most 200') },
    ],
    [Array(21).fill({ path: 'body.a', operator: 'exists' }), { conditions: 'at most 20 conditions' }],
  ])('refuses %j', (conditions, problems) => {
    expect(conditionProblems(conditions)).toEqual(problems);
  });
});
