import { ActionAttempt } from '../action-attempt.entity';
import { ActionExecution } from '../action-execution.entity';
import { WorkflowRun } from '../../workflows/workflow-run.entity';
import { SourceEvent } from '../source-event.entity';

export class EventSummary {
  id: string;
  /** `accepted`, `processing`, `processed`, `partially_failed`, `failed` or `no_mapping`. */
  status: string;
  event_type: string | null;
  idempotency_key: string | null;
  /** How many copies were refused as duplicates of this event. */
  duplicate_count: number;
  /** The time the event says it happened (at the source's timestamp path). */
  occurred_at: Date | null;
  received_at: Date;
  processed_at: Date | null;
}

export class ActionAttemptResponse {
  attempt: number;
  status: string;
  reason: string | null;
  error: string | null;
  result: unknown;
  /** Run again by a forced replay. */
  forced: boolean;
  started_at: Date;
  finished_at: Date;
}

export class ActionExecutionResponse {
  id: string;
  mapping_id: string;
  action: string;
  /** `succeeded`, `skipped` (with reason) or `failed` (with error). */
  status: string;
  reason: string | null;
  inputs: Record<string, unknown> | null;
  result: unknown;
  error: string | null;
  attempts: number;
  started_at: Date;
  finished_at: Date;
  history: ActionAttemptResponse[];
}

export class EventRequest {
  /** Headers as received, without credentials or the verification secret. */
  headers: Record<string, unknown>;
  query: Record<string, unknown>;
  /** The body exactly as received. */
  payload: unknown;
}

export class EventVerification {
  type: string;
  result: string;
}

export class EventIdempotency {
  key: string | null;
  decision: string;
  note: string | null;
  duplicate_count: number;
  last_duplicate_at: Date | null;
}

export class EventProcessing {
  attempts: number;
  error: string | null;
}

export class EventRunLink {
  id: string;
  workflow: string;
  recipient: string;
  status: string;
  created_at: Date;
}

export class EventTrace extends EventSummary {
  source: string;
  environment: string;
  request: EventRequest;
  verification: EventVerification;
  idempotency: EventIdempotency;
  processing: EventProcessing;
  /** Each mapping's action on this event, in the order they ran. */
  actions: ActionExecutionResponse[];
  /** The workflow runs this event started. */
  workflow_runs: EventRunLink[];
}

export class EventTypeCount {
  event_type: string | null;
  count: number;
  last_seen_at: Date;
  /** Whether an enabled mapping covers it. */
  mapped: boolean;
}

export class EventTypesResponse {
  data: EventTypeCount[];
}

export class AcceptedResponse {
  /** `accepted`, or `duplicate` for a copy of an event already received. */
  status: 'accepted' | 'duplicate';
  /** The event's id; for a duplicate, the original's. */
  event_id: string;
}

export const toEventSummary = (event: SourceEvent): EventSummary => ({
  id: event.id,
  status: event.status,
  event_type: event.eventType,
  idempotency_key: event.idempotencyKey,
  duplicate_count: event.duplicateCount,
  occurred_at: event.occurredAt,
  received_at: event.receivedAt,
  processed_at: event.processedAt,
});

const toAttemptResponse = (attempt: ActionAttempt): ActionAttemptResponse => ({
  attempt: attempt.attempt,
  status: attempt.status,
  reason: attempt.reason,
  error: attempt.error,
  result: attempt.result,
  forced: attempt.forced,
  started_at: attempt.startedAt,
  finished_at: attempt.finishedAt,
});

/** A mapping's outcome on the event (the latest attempt), with every attempt in order. */
export const toExecutionResponse = (
  execution: ActionExecution,
  attempts: ActionAttempt[],
): ActionExecutionResponse => ({
  id: execution.id,
  mapping_id: execution.mappingId,
  action: execution.action,
  status: execution.status,
  reason: execution.reason,
  inputs: execution.inputs,
  result: execution.result,
  error: execution.error,
  attempts: execution.attempts,
  started_at: execution.startedAt,
  finished_at: execution.finishedAt,
  history: attempts.filter((a) => a.executionId === execution.id).map(toAttemptResponse),
});

/** The whole story of one event: what arrived, how it was checked and deduplicated, and what each mapping did. */
export const toEventTrace = (
  event: SourceEvent,
  where: { source: string; environment: string },
  executions: ActionExecution[],
  attempts: ActionAttempt[],
  runs: WorkflowRun[],
): EventTrace => ({
  ...toEventSummary(event),
  source: where.source,
  environment: where.environment,
  request: { headers: event.headers, query: event.query, payload: event.payload },
  verification: { type: event.verification, result: 'passed' },
  idempotency: {
    key: event.idempotencyKey,
    decision: 'accepted',
    note: event.idempotencyNote,
    duplicate_count: event.duplicateCount,
    last_duplicate_at: event.lastDuplicateAt,
  },
  processing: { attempts: event.processingAttempts, error: event.error },
  actions: executions.map((execution) => toExecutionResponse(execution, attempts)),
  workflow_runs: runs.map((run) => ({
    id: run.id,
    workflow: run.workflowKey,
    recipient: run.recipientId,
    status: run.status,
    created_at: run.createdAt,
  })),
});
