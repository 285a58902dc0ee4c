import { Injectable } from '@nestjs/common';
import { ActionContext, ActionHandler } from '../actions/actions';
import { Dispatcher } from '../queue/dispatcher';
import { toCancel, toTrigger } from './workflow-inputs';
import { WorkflowRunsService } from './workflow-runs.service';

/**
 * trigger_workflow: identifies inline recipients (and actor), then queues one run per recipient. The runs are
 * handed to the workers once they are committed.
 */
@Injectable()
export class TriggerWorkflowAction implements ActionHandler {
  readonly action = 'trigger_workflow' as const;

  constructor(
    private readonly runs: WorkflowRunsService,
    private readonly dispatcher: Dispatcher,
  ) {}

  async apply(
    { manager, environmentId, eventId, afterCommit }: ActionContext,
    inputs: Record<string, unknown>,
  ) {
    const trigger = toTrigger(inputs);
    const runs = await this.runs.start(manager, environmentId, trigger, eventId);
    afterCommit(() => this.dispatcher.dispatchRuns(runs));
    return { workflow: trigger.workflow, runs };
  }
}

/** cancel_workflow: cancels the unfinished runs of a workflow with a cancellation key (optionally some recipients'). */
@Injectable()
export class CancelWorkflowAction implements ActionHandler {
  readonly action = 'cancel_workflow' as const;

  constructor(private readonly runs: WorkflowRunsService) {}

  async apply({ manager, environmentId }: ActionContext, inputs: Record<string, unknown>) {
    const cancel = toCancel(inputs);
    return { workflow: cancel.workflow, cancelled: await this.runs.cancel(manager, environmentId, cancel) };
  }
}
