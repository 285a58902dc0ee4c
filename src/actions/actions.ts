import { EntityManager } from 'typeorm';
import { ActionName } from '../mappings/action-mapping.entity';

/** Actions run in this order on one event, so a user exists before anything targets them. */
export const ACTION_ORDER: readonly ActionName[] = [
  'identify_user',
  'set_properties',
  'trigger_workflow',
  'cancel_workflow',
];

/** The inputs each action cannot do without; a mapping must map them, an event must supply them. */
export const REQUIRED_FIELDS: Record<ActionName, readonly string[]> = {
  identify_user: ['id'],
  set_properties: ['id', 'properties'],
  trigger_workflow: ['workflow', 'recipients'],
  cancel_workflow: ['workflow', 'cancellation_key'],
};

/** Inputs that take objects or lists: a template mapped to one of them that renders JSON is parsed. */
export const STRUCTURED_FIELDS: Record<ActionName, ReadonlySet<string>> = {
  identify_user: new Set(['properties']),
  set_properties: new Set(['properties', 'unset']),
  trigger_workflow: new Set(['recipients', 'actor', 'data']),
  cancel_workflow: new Set(['recipients']),
};

/** A bad input value: the action fails and retrying the same event cannot help. */
export class ActionInputError extends Error {}

export interface ActionContext {
  manager: EntityManager;
  environmentId: string;
  /** The event the action runs for. */
  eventId: string;
  /** Runs `work` once the action's transaction has committed (not at all if it rolls back). */
  afterCommit: (work: () => Promise<unknown>) => void;
}

export interface ActionHandler {
  readonly action: ActionName;
  apply(context: ActionContext, inputs: Record<string, unknown>): Promise<unknown>;
}

export const ACTION_HANDLERS = Symbol('ACTION_HANDLERS');
