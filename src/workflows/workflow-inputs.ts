import { ActionInputError } from '../actions/actions';
import { SLUG_PATTERN } from '../common/slug';
import { toProfile, UserProfile } from '../users/user-profile';

export const MAX_RECIPIENTS = 1000;

/** Someone a run is for (or by). Given as an object, they are identified before the runs start. */
export interface Person {
  id: string;
  profile: UserProfile | null;
}

export interface TriggerRequest {
  workflow: string;
  recipients: Person[];
  actor: Person | null;
  data: Record<string, unknown>;
  tenant: string | null;
  cancellationKey: string | null;
}

export interface CancelRequest {
  workflow: string;
  cancellationKey: string;
  /** Only these recipients' runs; all of them when null. */
  recipientIds: string[] | null;
}

/** Validates trigger_workflow inputs; throws ActionInputError naming the field. */
export function toTrigger(inputs: Record<string, unknown>): TriggerRequest {
  const { data = {}, actor } = inputs;
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ActionInputError('data must be an object');
  return {
    workflow: workflowKey(inputs.workflow),
    recipients: people(inputs.recipients),
    actor: actor === undefined || actor === null ? null : person(actor, 'actor'),
    data: data as Record<string, unknown>,
    tenant: optionalText(inputs.tenant, 'tenant'),
    cancellationKey: optionalText(inputs.cancellation_key, 'cancellation_key'),
  };
}

/** Validates cancel_workflow inputs; throws ActionInputError naming the field. */
export function toCancel(inputs: Record<string, unknown>): CancelRequest {
  const cancellationKey = optionalText(inputs.cancellation_key, 'cancellation_key');
  if (cancellationKey === null) throw new ActionInputError('cancellation_key must be a non-empty string');
  const { recipients } = inputs;
  return {
    workflow: workflowKey(inputs.workflow),
    cancellationKey,
    recipientIds:
      recipients === undefined || recipients === null ? null : people(recipients).map((p) => p.id),
  };
}

function workflowKey(value: unknown): string {
  if (typeof value !== 'string' || !SLUG_PATTERN.test(value)) {
    throw new ActionInputError('workflow must be a workflow key (lowercase letters, digits, "-" and "_")');
  }
  return value;
}

/** One id, a list of ids, or a list of user objects with an id. */
function people(value: unknown): Person[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new ActionInputError('recipients is empty');
  if (list.length > MAX_RECIPIENTS) {
    throw new ActionInputError(
      `${list.length} recipients is more than the ${MAX_RECIPIENTS} allowed per event`,
    );
  }
  return list.map((item, i) => person(item, `recipients.${i}`));
}

function person(value: unknown, field: string): Person {
  if (typeof value === 'string' || typeof value === 'number') {
    if (String(value) === '') throw new ActionInputError(`${field} is empty`);
    return { id: String(value), profile: null };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    try {
      const profile = toProfile(value as Record<string, unknown>);
      return { id: profile.id, profile };
    } catch (error) {
      throw new ActionInputError(`${field}: ${(error as Error).message}`);
    }
  }
  throw new ActionInputError(`${field} must be a user id or an object with an id`);
}

function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (
    (typeof value !== 'string' && typeof value !== 'number') ||
    String(value) === '' ||
    String(value).length > 255
  ) {
    throw new ActionInputError(`${field} must be a non-empty string of at most 255 characters`);
  }
  return String(value);
}
