import { StepAttempt, StepExecution, StepStatus } from '../step-execution.entity';
import { RunStatus, WorkflowRun } from '../workflow-run.entity';
import type { Step } from '../workflow-steps';

export class RunResponse {
  id: string;
  workflow: string;
  workflow_version: number | null;
  recipient: string;
  actor: string | null;
  tenant: string | null;
  cancellation_key: string | null;
  data: Record<string, unknown>;
  status: RunStatus;
  /** The step the run is at (or failed at); null once completed. */
  current_step: string | null;
  /** When the current step is due: the end of a delay, the next attempt of an http step. */
  next_step_at: Date | null;
  /** Why the run failed. */
  error: string | null;
  /** The event whose trigger_workflow action started the run; null when started through the API. */
  source_event_id: string | null;
  created_at: Date;
  started_at: Date | null;
  updated_at: Date;
  finished_at: Date | null;
  cancelled_at: Date | null;
}

export class StepAttemptResponse implements StepAttempt {
  attempt: number;
  started_at?: string;
  finished_at?: string;
  /** The target's answer. */
  status?: number;
  error?: string;
}

export class StepResponse {
  /** Where the step is in the workflow, e.g. `steps.2.then.0`. */
  step: string;
  ref: string | null;
  type: Step['type'];
  status: StepStatus;
  /** What the step worked on: the rendered request (header values masked), the properties, the time waited for. */
  input: unknown;
  /** What it produced: the response (status and the first 16 KiB of the body), the arm taken. */
  output: unknown;
  error: string | null;
  attempts: number;
  history: StepAttemptResponse[];
  /** When the step was due (for a delay: when the wait ends). */
  scheduled_at: Date;
  started_at: Date;
  finished_at: Date | null;
}

export class RunDetailResponse extends RunResponse {
  steps: StepResponse[];
}

export class TriggerResponse {
  workflow: string;
  /** One run per recipient. */
  runs: string[];
}

export class CancelResponse {
  workflow: string;
  /** The runs cancelled. */
  cancelled: string[];
}

export const toRunResponse = (run: WorkflowRun): RunResponse => ({
  id: run.id,
  workflow: run.workflowKey,
  workflow_version: run.workflowVersion,
  recipient: run.recipientId,
  actor: run.actorId,
  tenant: run.tenant,
  cancellation_key: run.cancellationKey,
  data: run.data,
  status: run.status,
  current_step: run.currentStep,
  next_step_at: run.nextStepAt,
  error: run.error,
  source_event_id: run.sourceEventId,
  created_at: run.createdAt,
  started_at: run.startedAt,
  updated_at: run.updatedAt,
  finished_at: run.finishedAt,
  cancelled_at: run.cancelledAt,
});

export const toStepResponse = (execution: StepExecution): StepResponse => ({
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
