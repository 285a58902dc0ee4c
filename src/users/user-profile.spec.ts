import { ActionInputError } from '../actions/actions';
import { toProfile, toPropertyChange } from './user-profile';

describe('toProfile (identify_user inputs)', () => {
  it('takes the profile fields and turns every other mapped field into a property', () => {
    expect(
      toProfile({
        id: 7,
        email: 'a@b.c',
        name: 'Ada',
        phone_number: '+44',
        properties: { plan: 'pro' },
        company: 'Hopper',
      }),
    ).toEqual({
      id: '7',
      email: 'a@b.c',
      name: 'Ada',
      phone_number: '+44',
      properties: { plan: 'pro', company: 'Hopper' },
    });
  });

  it('leaves absent fields null', () => {
    expect(toProfile({ id: 'u' })).toEqual({
      id: 'u',
      email: null,
      name: null,
      phone_number: null,
      properties: {},
    });
  });

  it.each([
    [{}, 'id must be a non-empty string or number'],
    [{ id: '' }, 'id must be a non-empty string or number'],
    [{ id: { nested: 1 } }, 'id must be a non-empty string or number'],
    [{ id: 'x'.repeat(256) }, 'id is longer than 255 characters'],
    [{ id: 'u', properties: ['a'] }, 'properties must be an object'],
    [{ id: 'u', properties: 'plan' }, 'properties must be an object'],
    [{ id: 'u', email: { a: 1 } }, 'email must be a string'],
    [{ id: 'u', name: 'n'.repeat(1001) }, 'name is longer than 1000 characters'],
  ])('refuses %j', (inputs, message) => {
    expect(() => toProfile(inputs)).toThrow(new ActionInputError(message));
  });

  it('keeps a "__proto__" property as data without touching any prototype', () => {
    const properties = JSON.parse('{"__proto__": {"isAdmin": true}, "plan": "pro"}') as Record<
      string,
      unknown
    >;
    const profile = toProfile({ id: 'u', properties });
    expect(Object.getPrototypeOf(profile.properties)).toBe(Object.prototype);
    expect(Object.hasOwn(profile.properties, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(JSON.stringify(profile.properties)).toBe('{"__proto__":{"isAdmin":true},"plan":"pro"}');
  });
});

describe('toPropertyChange (set_properties inputs)', () => {
  it('defaults unset to none and only_if_missing to false', () => {
    expect(toPropertyChange({ id: 'u', properties: { plan: 'pro' } })).toEqual({
      id: 'u',
      properties: { plan: 'pro' },
      unset: [],
      onlyIfMissing: false,
    });
    expect(toPropertyChange({ id: 5, properties: {}, unset: ['old'], only_if_missing: true })).toEqual({
      id: '5',
      properties: {},
      unset: ['old'],
      onlyIfMissing: true,
    });
  });

  it.each([
    [{ properties: {} }, 'id must be a non-empty string or number'],
    [{ id: 'u' }, 'properties must be an object'],
    [{ id: 'u', properties: [1] }, 'properties must be an object'],
    [{ id: 'u', properties: {}, unset: 'plan' }, 'unset must be a list of property names'],
    [{ id: 'u', properties: {}, unset: [1] }, 'unset must be a list of property names'],
    [{ id: 'u', properties: {}, only_if_missing: 'yes' }, 'only_if_missing must be true or false'],
  ])('refuses %j', (inputs, message) => {
    expect(() => toPropertyChange(inputs)).toThrow(new ActionInputError(message));
  });
});
