import { ActionMapping } from './action-mapping.entity';
import { appliesTo, evaluateMapping, executionOrder } from './evaluate';

const envelope = {
  body: { event: 'user_signed_up', userId: 'u1', properties: { plan: 'pro' } },
  headers: {},
  query: {},
};

describe('evaluateMapping: required inputs per action', () => {
  it.each([
    ['identify_user', { id: 'body.userId' }, 'matched', null],
    ['identify_user', { id: 'body.nope' }, 'skipped', 'required field "id" is missing: nothing at body.nope'],
    [
      'identify_user',
      { email: 'body.userId' },
      'skipped',
      'required field "id" is missing: it is not mapped',
    ],
    ['set_properties', { id: 'body.userId', properties: 'body.properties' }, 'matched', null],
    [
      'set_properties',
      { id: 'body.userId' },
      'skipped',
      'required field "properties" is missing: it is not mapped',
    ],
    ['trigger_workflow', { workflow: { value: 'w' }, recipients: 'body.userId' }, 'matched', null],
    [
      'trigger_workflow',
      { workflow: { value: 'w' }, recipients: { template: '{{ body.nope }}' } },
      'skipped',
      'required field "recipients" is missing: the template rendered nothing',
    ],
    [
      'cancel_workflow',
      { workflow: { value: 'w' }, cancellation_key: { value: null } },
      'skipped',
      'required field "cancellation_key" is missing: the value is null',
    ],
    [
      'cancel_workflow',
      { workflow: { value: 'w' }, cancellation_key: { path: 'body.nope' } },
      'skipped',
      'required field "cancellation_key" is missing: nothing at body.nope and no default',
    ],
  ] as const)('%s with %j → %s', (action, fieldMap, status, reason) => {
    const result = evaluateMapping({ action, fieldMap, conditions: [] }, envelope);
    expect(result.status).toBe(status);
    if (reason) expect(result).toMatchObject({ reason });
  });

  it('checks conditions before mapping, and reports a template that fails to render', () => {
    const conditions = [{ path: 'body.properties.plan', operator: 'equals' as const, value: 'free' }];
    expect(
      evaluateMapping(
        { action: 'identify_user', fieldMap: { id: 'body.userId' }, conditions } as never,
        envelope,
      ),
    ).toEqual({
      status: 'skipped',
      reason: 'condition not met: body.properties.plan equals "free" (found "pro")',
      inputs: {},
    });
    const failing = {
      action: 'identify_user',
      fieldMap: { id: { template: '{% include "x" %}' } },
      conditions: [],
    };
    expect(evaluateMapping(failing as never, envelope)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('template'),
    });
  });
});

describe('execution order', () => {
  const mapping = (action: string, position: number, created: number) =>
    ({
      action,
      position,
      createdAt: new Date(created),
      id: `${action}-${position}-${created}`,
    }) as ActionMapping;

  it('runs by action (identify, set, trigger, cancel), then position, then creation', () => {
    const mappings = [
      mapping('cancel_workflow', 0, 1),
      mapping('trigger_workflow', 0, 2),
      mapping('set_properties', 1, 3),
      mapping('set_properties', 0, 9),
      mapping('identify_user', 5, 4),
      mapping('set_properties', 1, 2),
    ];
    expect(mappings.sort(executionOrder).map((m) => m.id)).toEqual([
      'identify_user-5-4',
      'set_properties-0-9',
      'set_properties-1-2',
      'set_properties-1-3',
      'trigger_workflow-0-2',
      'cancel_workflow-0-1',
    ]);
  });

  it.each([
    ['*', 'anything', true],
    ['*', null, true],
    ['$pageview', '$pageview', true],
    ['$pageview', '$pageleave', false],
    ['$pageview', null, false],
  ])('a %s mapping applies to %j: %s', (mappingType, eventType, expected) => {
    expect(appliesTo(mappingType, eventType)).toBe(expected);
  });
});
