import { ActionInputError } from '../actions/actions';
import { MAX_RECIPIENTS, toCancel, toTrigger } from './workflow-inputs';

describe('toTrigger (trigger_workflow inputs)', () => {
  it.each([
    ['one id', 'user_1', [{ id: 'user_1', profile: null }]],
    ['a numeric id', 42, [{ id: '42', profile: null }]],
    [
      'a list of ids',
      ['a', 'b'],
      [
        { id: 'a', profile: null },
        { id: 'b', profile: null },
      ],
    ],
    [
      'user objects, identified inline',
      [{ id: 'a', email: 'a@x.io', plan: 'pro' }],
      [
        {
          id: 'a',
          profile: { id: 'a', email: 'a@x.io', name: null, phone_number: null, properties: { plan: 'pro' } },
        },
      ],
    ],
  ])('takes %s as recipients', (_, recipients, expected) => {
    expect(toTrigger({ workflow: 'onboarding', recipients }).recipients).toEqual(expected);
  });

  it('reads every field', () => {
    expect(
      toTrigger({
        workflow: 'welcome-v2',
        recipients: 'u1',
        actor: { id: 'admin', name: 'Admin' },
        data: { plan: 'pro' },
        tenant: 'acme',
        cancellation_key: 'welcome-u1',
      }),
    ).toEqual({
      workflow: 'welcome-v2',
      recipients: [{ id: 'u1', profile: null }],
      actor: {
        id: 'admin',
        profile: { id: 'admin', email: null, name: 'Admin', phone_number: null, properties: {} },
      },
      data: { plan: 'pro' },
      tenant: 'acme',
      cancellationKey: 'welcome-u1',
    });
    expect(toTrigger({ workflow: 'w', recipients: 'u' })).toMatchObject({
      actor: null,
      data: {},
      tenant: null,
      cancellationKey: null,
    });
  });

  it.each([
    [{ recipients: 'u' }, 'workflow must be a workflow key (lowercase letters, digits, "-" and "_")'],
    [
      { workflow: 'Bad Key', recipients: 'u' },
      'workflow must be a workflow key (lowercase letters, digits, "-" and "_")',
    ],
    [{ workflow: 'w', recipients: [] }, 'recipients is empty'],
    [{ workflow: 'w', recipients: [''] }, 'recipients.0 is empty'],
    [{ workflow: 'w', recipients: [true] }, 'recipients.0 must be a user id or an object with an id'],
    [
      { workflow: 'w', recipients: [{ email: 'x@y.z' }] },
      'recipients.0: id must be a non-empty string or number',
    ],
    [
      { workflow: 'w', recipients: Array(MAX_RECIPIENTS + 1).fill('u') },
      '1001 recipients is more than the 1000 allowed per event',
    ],
    [{ workflow: 'w', recipients: 'u', data: [1] }, 'data must be an object'],
    [{ workflow: 'w', recipients: 'u', actor: [1] }, 'actor must be a user id or an object with an id'],
    [
      { workflow: 'w', recipients: 'u', tenant: { t: 1 } },
      'tenant must be a non-empty string of at most 255 characters',
    ],
  ])('refuses %j', (inputs, message) => {
    expect(() => toTrigger(inputs)).toThrow(new ActionInputError(message));
  });

  it('accepts exactly the maximum number of recipients', () => {
    expect(toTrigger({ workflow: 'w', recipients: Array(MAX_RECIPIENTS).fill('u') }).recipients).toHaveLength(
      MAX_RECIPIENTS,
    );
  });
});

describe('toCancel (cancel_workflow inputs)', () => {
  it('cancels for all recipients unless some are named', () => {
    expect(toCancel({ workflow: 'w', cancellation_key: 'k' })).toEqual({
      workflow: 'w',
      cancellationKey: 'k',
      recipientIds: null,
    });
    expect(
      toCancel({ workflow: 'w', cancellation_key: 'k', recipients: ['a', { id: 'b' }] }).recipientIds,
    ).toEqual(['a', 'b']);
  });

  it.each([
    [{ workflow: 'w' }, 'cancellation_key must be a non-empty string'],
    [
      { workflow: 'w', cancellation_key: '' },
      'cancellation_key must be a non-empty string of at most 255 characters',
    ],
    [{ cancellation_key: 'k' }, 'workflow must be a workflow key (lowercase letters, digits, "-" and "_")'],
  ])('refuses %j', (inputs, message) => {
    expect(() => toCancel(inputs)).toThrow(new ActionInputError(message));
  });
});
