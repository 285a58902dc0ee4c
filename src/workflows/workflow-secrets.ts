import { Step } from './workflow-steps';

/** What the API shows instead of a header value: they often carry credentials. */
export const MASK = '********';

/** Calls `visit` for every step, nested ones included, with where it is (`steps.1.then.0`). */
function walk(steps: Step[], visit: (step: Step, at: string) => void, at = 'steps'): void {
  steps.forEach((step, i) => {
    visit(step, `${at}.${i}`);
    if (step.type === 'branch') {
      walk(step.then, visit, `${at}.${i}.then`);
      if (step.else) walk(step.else, visit, `${at}.${i}.else`);
    }
  });
}

/** A copy of the steps with every http header value masked. */
export function maskHeaders(steps: Step[]): Step[] {
  const copy = structuredClone(steps);
  walk(copy, (step) => {
    if (step.type === 'http' && step.headers) {
      step.headers = Object.fromEntries(Object.keys(step.headers).map((name) => [name, MASK]));
    }
  });
  return copy;
}

/**
 * Puts back the stored value of every header sent masked (as read from the API), from the same step of the
 * previous version: the one with the same ref, else the one in the same place. Returns a problem for each mask
 * with nothing stored behind it.
 */
export function restoreHeaders(steps: Step[], previous: Step[] | null): Record<string, string> {
  const stored = new Map<string, Record<string, string>>();
  walk(previous ?? [], (step, at) => {
    if (step.type === 'http' && step.headers) stored.set(step.ref ? `ref:${step.ref}` : at, step.headers);
  });
  const problems: Record<string, string> = {};
  walk(steps, (step, at) => {
    if (step.type !== 'http' || !step.headers) return;
    const before = stored.get(step.ref ? `ref:${step.ref}` : at);
    for (const [name, value] of Object.entries(step.headers)) {
      if (value !== MASK) continue;
      if (before?.[name] === undefined)
        problems[`${at}.headers.${name}`] = 'masked, but no value is stored for it';
      else step.headers[name] = before[name];
    }
  });
  return problems;
}
