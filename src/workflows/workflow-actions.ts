import { Injectable } from '@nestjs/common';
import { ActionContext, ActionHandler } from '../actions/actions';
import { toCancel, toTrigger } from './workflow-inputs';
import { WorkflowRunsService } from './workflow-runs.service';

/** trigger_workflow: identifies inline recipients (and actor), then queues one run per recipient. */
@Injectable()
export class TriggerWorkflowAction implements ActionHandler {
  readonly action = 'trigger_workflow' as const;

  constructor(private readonly runs: WorkflowRunsService) {}

  async apply({ manager, environmentId, eventId }: ActionContext, inputs: Record<string, unknown>) {
    const trigger = toTrigger(inputs);
    return {
      workflow: trigger.workflow,
      runs: await this.runs.start(manager, environmentId, trigger, eventId),
    };
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
