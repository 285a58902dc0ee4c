import { enterArm, FIRST_STEP, nextCursor, stepAt } from './workflow-cursor';
import { Step } from './workflow-steps';

const http = (url: string): Step => ({ type: 'http', method: 'POST', url });
const steps: Step[] = [
  http('a'),
  {
    type: 'branch',
    conditions: [],
    then: [http('b'), { type: 'branch', conditions: [], then: [http('c')] }],
    else: [],
  },
  http('d'),
];

describe('workflow cursor', () => {
  it('finds steps at any depth', () => {
    expect(stepAt(steps, FIRST_STEP!)).toBe(steps[0]);
    expect(stepAt(steps, 'steps.1.then.0')).toMatchObject({ url: 'b' });
    expect(stepAt(steps, 'steps.1.then.1.then.0')).toMatchObject({ url: 'c' });
  });

  it('finds nothing where there is no step', () => {
    expect(stepAt(steps, 'steps.3')).toBeUndefined();
    expect(stepAt(steps, 'steps.0.then.0')).toBeUndefined();
    expect(stepAt(steps, 'steps.1.other.0')).toBeUndefined();
    expect(stepAt(steps, 'steps.1.else.0')).toBeUndefined();
  });

  it('moves to the next sibling', () => {
    expect(nextCursor(steps, 'steps.0')).toBe('steps.1');
    expect(nextCursor(steps, 'steps.1.then.0')).toBe('steps.1.then.1');
  });

  it('climbs out of finished arms, however deep', () => {
    expect(nextCursor(steps, 'steps.1.then.1.then.0')).toBe('steps.2');
    expect(nextCursor(steps, 'steps.1.then.1')).toBe('steps.2');
  });

  it('ends after the last step', () => {
    expect(nextCursor(steps, 'steps.2')).toBeNull();
    expect(
      nextCursor([http('x'), { type: 'branch', conditions: [], then: [http('y')] }], 'steps.1.then.0'),
    ).toBeNull();
  });

  it('enters an arm, or goes on when the arm is empty or absent', () => {
    expect(enterArm(steps, 'steps.1', 'then')).toBe('steps.1.then.0');
    expect(enterArm(steps, 'steps.1', 'else')).toBe('steps.2');
    expect(enterArm(steps, 'steps.1.then.1', 'else')).toBe('steps.2');
  });
});
