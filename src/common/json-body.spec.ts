import { nestedDeeperThan } from './json-body';

const nest = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { a: value };
  return value;
};

describe('nestedDeeperThan', () => {
  it('counts arrays and objects, not scalars', () => {
    expect(nestedDeeperThan(1, 0)).toBe(false);
    expect(nestedDeeperThan('x', 0)).toBe(false);
    expect(nestedDeeperThan({}, 0)).toBe(true);
    expect(nestedDeeperThan(nest(3), 3)).toBe(false);
    expect(nestedDeeperThan(nest(4), 3)).toBe(true);
  });

  it('finds the deep branch beside shallow ones', () => {
    expect(nestedDeeperThan({ a: 1, b: [2, 3], c: { d: nest(5) } }, 6)).toBe(true);
    expect(nestedDeeperThan({ a: 1, b: [2, 3], c: { d: nest(5) } }, 7)).toBe(false);
  });

  it('stops early on 10,000 levels', () => {
    expect(nestedDeeperThan(nest(10_000), 100)).toBe(true);
  });
});
