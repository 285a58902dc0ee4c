import { StepExecution } from '../step-execution.entity';
import { WorkflowRun } from '../workflow-run.entity';

export const toRunResponse = (run: WorkflowRun) => ({
  id: run.id,
  workflow: run.workflowKey,
  workflow_version: run.workflowVersion,
  recipient: run.recipientId,
  actor: run.actorId,
  tenant: run.tenant,
  cancellation_key: run.cancellationKey,
  data: run.data,
  status: run.status,
  /** The step the run is at (or failed at); null once completed. */
  current_step: run.currentStep,
  /** When the current step is due: the end of a delay, the next attempt of an http step. */
  next_step_at: run.nextStepAt,
  error: run.error,
  source_event_id: run.sourceEventId,
  created_at: run.createdAt,
  started_at: run.startedAt,
  updated_at: run.updatedAt,
  finished_at: run.finishedAt,
  cancelled_at: run.cancelledAt,
});

export const toStepResponse = (execution: StepExecution) => ({
  step: execution.step,
  ref: execution.ref,
  type: execution.type,
  status: execution.status,
  input: execution.input,
  output: execution.output,
  error: execution.error,
  attempts: execution.attempts,
  history: execution.history,
  scheduled_at: execution.scheduledAt,
  started_at: execution.startedAt,
  finished_at: execution.finishedAt,
});
