import { ACTION_ORDER, REQUIRED_FIELDS, STRUCTURED_FIELDS } from '../actions/actions';
import { ActionMapping } from './action-mapping.entity';
import { checkConditions } from './conditions';
import { describeSource, mapFields } from './field-map';

/**
 * What a mapping makes of one event, before any action runs. Processing records it; the dry run shows it.
 * - matched: the action would run with these inputs;
 * - skipped: a condition failed or a required input is missing (the reason says which);
 * - failed: a template could not be rendered.
 */
export type Evaluation =
  | { status: 'matched'; inputs: Record<string, unknown> }
  | { status: 'skipped'; reason: string; inputs: Record<string, unknown> }
  | { status: 'failed'; error: string; inputs: Record<string, unknown> };

type MappingRules = Pick<ActionMapping, 'action' | 'fieldMap' | 'conditions'>;

export function evaluateMapping(mapping: MappingRules, envelope: object): Evaluation {
  const conditions = checkConditions(mapping.conditions, envelope);
  if (!conditions.ok) return { status: 'skipped', reason: conditions.reason, inputs: {} };
  let inputs: Record<string, unknown>;
  try {
    inputs = mapFields(mapping.fieldMap, envelope, STRUCTURED_FIELDS[mapping.action]);
  } catch (error) {
    return { status: 'failed', error: (error as Error).message, inputs: {} };
  }
  const missing = REQUIRED_FIELDS[mapping.action].find(
    (field) => inputs[field] === undefined || inputs[field] === null,
  );
  if (missing !== undefined) {
    const reason = `required field "${missing}" is missing: ${describeSource(mapping.fieldMap[missing])}`;
    return { status: 'skipped', reason, inputs };
  }
  return { status: 'matched', inputs };
}

/** A mapping applies to an event of its exact type, or to every event when its type is "*". */
export const appliesTo = (mappingEventType: string, eventType: string | null) =>
  mappingEventType === '*' || mappingEventType === eventType;

/** The order mappings run in on one event: by action (a user exists before it is targeted), then position. */
export function executionOrder(a: ActionMapping, b: ActionMapping): number {
  return (
    ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) ||
    a.position - b.position ||
    a.createdAt.getTime() - b.createdAt.getTime()
  );
}
