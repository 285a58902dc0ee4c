import { ENVELOPE_ROOTS, parsePath, parseRootedPath, PathError, resolvePath } from '../common/paths';

export const OPERATORS = [
  'equals',
  'not_equals',
  'exists',
  'not_exists',
  'contains',
  'in',
  'gt',
  'gte',
  'lt',
  'lte',
  'matches',
] as const;
export type Operator = (typeof OPERATORS)[number];

/** One test on the event; a mapping runs only when all of its conditions hold. */
export interface Condition {
  path: string;
  operator: Operator;
  value?: unknown;
}

export const MAX_CONDITIONS = 20;
export const MAX_PATTERN_LENGTH = 200;
/** `matches` looks at no more than this much of a string, to bound the regex's work. */
const MAX_MATCHED_LENGTH = 10_000;

const WITHOUT_VALUE: ReadonlySet<Operator> = new Set(['exists', 'not_exists']);

/**
 * Problems with a list of conditions, keyed `<prefix>.<i>.<field>`; empty when usable. Paths must start at one of
 * `roots` (an event's envelope for mappings, a run's scope for workflow branches).
 */
export function conditionProblems(
  conditions: unknown,
  roots: readonly string[] = ENVELOPE_ROOTS,
  prefix = 'conditions',
): Record<string, string> {
  if (!Array.isArray(conditions)) return { [prefix]: 'conditions must be a list' };
  if (conditions.length > MAX_CONDITIONS) return { [prefix]: `at most ${MAX_CONDITIONS} conditions` };
  const problems: Record<string, string> = {};
  conditions.forEach((condition: Partial<Condition>, i) => {
    const at = `${prefix}.${i}`;
    if (typeof condition !== 'object' || condition === null) {
      problems[at] = 'each condition is an object { path, operator, value? }';
      return;
    }
    try {
      parseRootedPath(condition.path as string, roots);
    } catch (error) {
      problems[`${at}.path`] = error instanceof PathError ? error.message : 'invalid path';
    }
    const operator = condition.operator as Operator;
    if (!OPERATORS.includes(operator)) {
      problems[`${at}.operator`] = `operator must be one of ${OPERATORS.join(', ')}`;
      return;
    }
    const hasValue = condition.value !== undefined;
    if (WITHOUT_VALUE.has(operator) && hasValue) problems[`${at}.value`] = `${operator} takes no value`;
    if (!WITHOUT_VALUE.has(operator) && !hasValue) problems[`${at}.value`] = `${operator} needs a value`;
    if (operator === 'in' && hasValue && !Array.isArray(condition.value))
      problems[`${at}.value`] = 'in needs a list';
    if (operator === 'matches') {
      if (typeof condition.value !== 'string' || condition.value.length > MAX_PATTERN_LENGTH) {
        problems[`${at}.value`] =
          `matches needs a regular expression of at most ${MAX_PATTERN_LENGTH} characters`;
      } else {
        try {
          new RegExp(condition.value, 'u');
        } catch (error) {
          problems[`${at}.value`] = `invalid regular expression: ${(error as Error).message}`;
        }
      }
    }
  });
  return problems;
}

export type ConditionResult = { ok: true } | { ok: false; reason: string };

/** Whether every condition holds on the scope; otherwise the first that does not, described. */
export function checkConditions(conditions: readonly Condition[], scope: unknown): ConditionResult {
  for (const condition of conditions) {
    const actual = resolvePath(scope, parsePath(condition.path));
    if (!holds(condition, actual)) {
      const expected = WITHOUT_VALUE.has(condition.operator) ? '' : ` ${JSON.stringify(condition.value)}`;
      return {
        ok: false,
        reason: `condition not met: ${condition.path} ${condition.operator}${expected} (found ${describe(actual)})`,
      };
    }
  }
  return { ok: true };
}

function holds({ operator, value }: Condition, actual: unknown): boolean {
  switch (operator) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'not_exists':
      return actual === undefined || actual === null;
    case 'equals':
      return sameValue(actual, value);
    case 'not_equals':
      return !sameValue(actual, value);
    case 'contains':
      if (typeof actual === 'string') return typeof value === 'string' && actual.includes(value);
      return Array.isArray(actual) && actual.some((item) => sameValue(item, value));
    case 'in':
      return Array.isArray(value) && value.some((item) => sameValue(actual, item));
    case 'gt':
      return compare(actual, value) > 0;
    case 'gte':
      return compare(actual, value) >= 0;
    case 'lt':
      return compare(actual, value) < 0;
    case 'lte':
      return compare(actual, value) <= 0;
    case 'matches':
      return (
        typeof actual === 'string' &&
        new RegExp(value as string, 'u').test(actual.slice(0, MAX_MATCHED_LENGTH))
      );
  }
}

/** Equal as JSON values: same type and content, objects and lists compared deeply. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every((key) => Object.hasOwn(b, key) && sameValue((a as never)[key], (b as never)[key]))
  );
}

/**
 * Numbers (and numeric strings) compare as numbers, other strings as text (so ISO timestamps compare in time
 * order); anything else compares as "not ordered" and every ordering condition on it fails.
 */
function compare(actual: unknown, value: unknown): number {
  const a = asNumber(actual);
  const b = asNumber(value);
  if (a !== null && b !== null) return a - b;
  if (typeof actual === 'string' && typeof value === 'string')
    return actual < value ? -1 : actual > value ? 1 : 0;
  return NaN;
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
