import { ActionAttempt } from '../action-attempt.entity';
import { ActionExecution } from '../action-execution.entity';
import { WorkflowRun } from '../../workflows/workflow-run.entity';
import { SourceEvent } from '../source-event.entity';

export const toEventSummary = (event: SourceEvent) => ({
  id: event.id,
  status: event.status,
  event_type: event.eventType,
  idempotency_key: event.idempotencyKey,
  duplicate_count: event.duplicateCount,
  occurred_at: event.occurredAt,
  received_at: event.receivedAt,
  processed_at: event.processedAt,
});

const toAttemptResponse = (attempt: ActionAttempt) => ({
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
export const toExecutionResponse = (execution: ActionExecution, attempts: ActionAttempt[]) => ({
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
) => ({
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
