import { Step } from './workflow-steps';

/**
 * Where a run is: the path of the step it runs next, written as validation problems name steps
 * (`steps.2.then.0` is the first step of the `then` arm of the third step). Null when the run has no step left.
 */
export type Cursor = string | null;

export const FIRST_STEP: Cursor = 'steps.0';

/** The step at a cursor; undefined when the workflow has no such step. */
export function stepAt(steps: Step[], cursor: string): Step | undefined {
  const tokens = cursor.split('.');
  let list: Step[] | undefined = steps;
  let step: Step | undefined;
  for (let i = 1; i < tokens.length; i += 2) {
    step = list?.[Number(tokens[i])];
    const arm = tokens[i + 1];
    if (arm === undefined) break;
    list = step?.type === 'branch' && (arm === 'then' || arm === 'else') ? step[arm] : undefined;
  }
  return step;
}

/** The step after the one at `cursor` once it is done: its next sibling, else the step after its branch. */
export function nextCursor(steps: Step[], cursor: string): Cursor {
  const tokens = cursor.split('.');
  while (tokens.length > 1) {
    const index = Number(tokens.pop());
    const sibling = [...tokens, String(index + 1)].join('.');
    if (stepAt(steps, sibling)) return sibling;
    if (tokens.length === 1) return null;
    tokens.pop(); // the arm: carry on after the branch step itself
  }
  return null;
}

/** Where a run goes after the branch at `cursor` chose an arm: that arm's first step, or on if it is empty. */
export function enterArm(steps: Step[], cursor: string, arm: 'then' | 'else'): Cursor {
  const first = `${cursor}.${arm}.0`;
  return stepAt(steps, first) ? first : nextCursor(steps, cursor);
}
