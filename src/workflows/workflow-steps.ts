import { Condition, conditionProblems } from '../mappings/conditions';
import { parseRootedPath, PathError } from '../common/paths';
import { SLUG_PATTERN } from '../common/slug';
import { checkTemplate, TemplateError } from '../common/templates';
import { isHostAllowed, isLinkLocalAddress } from './outbound-http';

/** What a run's templates, paths and conditions can see. */
export const RUN_SCOPE_ROOTS = ['recipient', 'actor', 'data', 'tenant', 'workflow', 'run'] as const;

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

interface StepBase {
  /** A name for the step in the run's record; its position when absent. */
  ref?: string;
  /** Go on with the next step when this one fails (after its retries). */
  continue_on_failure?: boolean;
}

export interface DelayStep extends StepBase {
  type: 'delay';
  /** "30s", "5m", "2h", "3d" or a number of seconds. */
  duration?: string | number;
  /** Instead of a duration: a path in the run's scope to an ISO time to wait for. */
  until?: string;
}

export interface BranchStep extends StepBase {
  type: 'branch';
  conditions: Condition[];
  then: Step[];
  else?: Step[];
}

export interface HttpStep extends StepBase {
  type: 'http';
  method: HttpMethod;
  /** Strings here (url, header values, body strings) are Liquid templates over the run's scope. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeout_seconds?: number;
  retries?: number;
}

export interface UpdateUserStep extends StepBase {
  type: 'update_user';
  /** Merged into the recipient's properties; string values are Liquid templates. */
  properties: Record<string, unknown>;
}

export type Step = DelayStep | BranchStep | HttpStep | UpdateUserStep;

export const MAX_STEPS = 50;
const MAX_DEPTH = 5;
export const MAX_DELAY_SECONDS = 90 * 86400;
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

const ALLOWED_KEYS: Record<Step['type'], readonly string[]> = {
  delay: ['duration', 'until'],
  branch: ['conditions', 'then', 'else'],
  http: ['method', 'url', 'headers', 'body', 'timeout_seconds', 'retries'],
  update_user: ['properties'],
};
export const STEP_TYPES = Object.keys(ALLOWED_KEYS) as Step['type'][];
const COMMON_KEYS = ['type', 'ref', 'continue_on_failure'];
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
/** Well-known names of cloud metadata services. */
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal']);

/** Seconds in a duration such as "30s", "5m", "2h", "3d" or 90; null when it is not one (or out of range). */
export function parseDuration(value: unknown): number | null {
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else if (typeof value === 'string' && /^\d{1,7}[smhd]$/.test(value)) {
    seconds = Number(value.slice(0, -1)) * UNITS[value.slice(-1)];
  } else return null;
  return Number.isInteger(seconds) && seconds > 0 && seconds <= MAX_DELAY_SECONDS ? seconds : null;
}

/** Whether a URL points at a cloud metadata service (refused for http steps). */
export function isMetadataUrl(url: URL): boolean {
  return METADATA_NAMES.has(url.hostname.toLowerCase()) || isLinkLocalAddress(url.hostname);
}

/**
 * Problems with a workflow's steps, keyed by where they are (`steps.1.then.0.url`); empty when usable.
 * `allowedHosts` is WORKFLOW_HTTP_ALLOWED_HOSTS (empty: any host).
 */
export function stepsProblems(steps: unknown, allowedHosts: readonly string[] = []): Record<string, string> {
  const problems: Record<string, string> = {};
  const refs = new Set<string>();
  let count = 0;

  const checkList = (list: unknown, at: string, depth: number) => {
    if (!Array.isArray(list)) {
      problems[at] = 'must be a list of steps';
      return;
    }
    if (depth > MAX_DEPTH) {
      problems[at] = `branches nest at most ${MAX_DEPTH} deep`;
      return;
    }
    list.forEach((step: unknown, i) => checkStep(step, `${at}.${i}`, depth));
  };

  const checkStep = (value: unknown, at: string, depth: number) => {
    count++;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems[at] = 'each step is an object with a type';
      return;
    }
    const step = value as Record<string, unknown>;
    const type = step.type as Step['type'];
    if (!(type in ALLOWED_KEYS)) {
      problems[`${at}.type`] = `type must be one of ${STEP_TYPES.join(', ')}`;
      return;
    }
    for (const key of Object.keys(step)) {
      if (!COMMON_KEYS.includes(key) && !ALLOWED_KEYS[type].includes(key)) {
        problems[`${at}.${key}`] = `a ${type} step has no ${key}`;
      }
    }
    if (step.ref !== undefined) {
      if (typeof step.ref !== 'string' || !SLUG_PATTERN.test(step.ref)) {
        problems[`${at}.ref`] = 'ref must be lowercase letters, digits, "-" or "_"';
      } else if (refs.has(step.ref)) {
        problems[`${at}.ref`] = `ref "${step.ref}" is used by another step`;
      } else refs.add(step.ref);
    }
    if (step.continue_on_failure !== undefined && typeof step.continue_on_failure !== 'boolean') {
      problems[`${at}.continue_on_failure`] = 'continue_on_failure must be true or false';
    }
    switch (type) {
      case 'delay':
        if ((step.duration === undefined) === (step.until === undefined)) {
          problems[at] = 'a delay step needs exactly one of duration or until';
        } else if (step.duration !== undefined && parseDuration(step.duration) === null) {
          problems[`${at}.duration`] =
            `duration must be like "30s", "5m", "2h", "3d" or seconds, at most 90 days`;
        } else if (step.until !== undefined) {
          checkPath(step.until, `${at}.until`);
        }
        break;
      case 'branch':
        Object.assign(problems, conditionProblems(step.conditions, RUN_SCOPE_ROOTS, `${at}.conditions`));
        checkList(step.then, `${at}.then`, depth + 1);
        if (step.else !== undefined) checkList(step.else, `${at}.else`, depth + 1);
        break;
      case 'http':
        checkHttp(step, at);
        break;
      case 'update_user':
        if (
          typeof step.properties !== 'object' ||
          step.properties === null ||
          Array.isArray(step.properties)
        ) {
          problems[`${at}.properties`] = 'properties must be an object';
        } else checkTemplates(step.properties, `${at}.properties`);
        break;
    }
  };

  const checkPath = (path: unknown, at: string) => {
    try {
      parseRootedPath(path as string, RUN_SCOPE_ROOTS);
    } catch (error) {
      problems[at] = error instanceof PathError ? error.message : 'invalid path';
    }
  };

  /** Every string inside `value` must be a valid template. */
  const checkTemplates = (value: unknown, at: string) => {
    if (typeof value === 'string') {
      try {
        checkTemplate(value);
      } catch (error) {
        problems[at] = (error as TemplateError).message;
      }
    } else if (Array.isArray(value)) value.forEach((item, i) => checkTemplates(item, `${at}.${i}`));
    else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) checkTemplates(item, `${at}.${key}`);
    }
  };

  const checkHttp = (step: Record<string, unknown>, at: string) => {
    if (!HTTP_METHODS.includes(step.method as HttpMethod)) {
      problems[`${at}.method`] = `method must be one of ${HTTP_METHODS.join(', ')}`;
    }
    if (typeof step.url !== 'string' || step.url.length === 0) problems[`${at}.url`] = 'url is required';
    else if (!step.url.includes('{{') && !step.url.includes('{%')) {
      // A URL without template markup can be checked now; a templated one is checked when it is rendered.
      let url: URL | null = null;
      try {
        url = new URL(step.url);
      } catch {
        problems[`${at}.url`] = 'url must be an absolute http(s) URL';
      }
      if (url && !['http:', 'https:'].includes(url.protocol))
        problems[`${at}.url`] = 'url must be http or https';
      else if (url && isMetadataUrl(url))
        problems[`${at}.url`] = 'link-local and cloud metadata addresses are refused';
      else if (url && !isHostAllowed(url.hostname, allowedHosts))
        problems[`${at}.url`] = `${url.hostname} is not in WORKFLOW_HTTP_ALLOWED_HOSTS`;
    } else checkTemplates(step.url, `${at}.url`);
    if (step.headers !== undefined) {
      if (typeof step.headers !== 'object' || step.headers === null || Array.isArray(step.headers)) {
        problems[`${at}.headers`] = 'headers must be an object of name → value';
      } else {
        for (const [name, value] of Object.entries(step.headers)) {
          if (!HEADER_NAME.test(name)) problems[`${at}.headers.${name}`] = 'not a valid header name';
          else if (typeof value !== 'string') problems[`${at}.headers.${name}`] = 'header values are strings';
          else checkTemplates(value, `${at}.headers.${name}`);
        }
      }
    }
    if (step.body !== undefined) checkTemplates(step.body, `${at}.body`);
    if (step.timeout_seconds !== undefined && !isIntegerIn(step.timeout_seconds, 1, 60)) {
      problems[`${at}.timeout_seconds`] = 'timeout_seconds must be a whole number from 1 to 60';
    }
    if (step.retries !== undefined && !isIntegerIn(step.retries, 0, 10)) {
      problems[`${at}.retries`] = 'retries must be a whole number from 0 to 10';
    }
  };

  checkList(steps, 'steps', 0);
  if (Array.isArray(steps) && steps.length === 0) problems.steps = 'a workflow needs at least one step';
  if (count > MAX_STEPS) problems.steps = `a workflow has at most ${MAX_STEPS} steps`;
  return problems;
}

const isIntegerIn = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
