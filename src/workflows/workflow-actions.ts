import { Injectable } from '@nestjs/common';
import { ActionContext, ActionHandler } from '../actions/actions';
import { UsersService } from '../users/users.service';
import { toCancel, toTrigger } from './workflow-inputs';
import { WorkflowRun } from './workflow-run.entity';

/** trigger_workflow: identifies inline recipients (and actor), then queues one run per recipient. */
@Injectable()
export class TriggerWorkflowAction implements ActionHandler {
  readonly action = 'trigger_workflow' as const;

  constructor(private readonly users: UsersService) {}

  async apply({ manager, environmentId, eventId }: ActionContext, inputs: Record<string, unknown>) {
    const trigger = toTrigger(inputs);
    for (const person of [trigger.actor, ...trigger.recipients]) {
      if (person?.profile) await this.users.identify(manager, environmentId, person.profile);
    }
    const runs = await manager.save(
      WorkflowRun,
      trigger.recipients.map((recipient) =>
        manager.create(WorkflowRun, {
          environmentId,
          workflowKey: trigger.workflow,
          recipientId: recipient.id,
          actorId: trigger.actor?.id ?? null,
          tenant: trigger.tenant,
          cancellationKey: trigger.cancellationKey,
          data: trigger.data,
          status: 'queued',
          sourceEventId: eventId,
        }),
      ),
    );
    return { workflow: trigger.workflow, runs: runs.map((run) => run.id) };
  }
}

// Only runs that have not finished can be cancelled.
const CANCEL_SQL = `
WITH cancelled AS (
  UPDATE workflow_runs SET status = 'cancelled', cancelled_at = now(), updated_at = now()
  WHERE environment_id = $1 AND workflow_key = $2 AND cancellation_key = $3
    AND status IN ('queued', 'running', 'waiting') AND ($4::text[] IS NULL OR recipient_id = ANY($4))
  RETURNING id
)
SELECT id FROM cancelled`;

/** cancel_workflow: cancels the unfinished runs of a workflow with a cancellation key (optionally some recipients'). */
@Injectable()
export class CancelWorkflowAction implements ActionHandler {
  readonly action = 'cancel_workflow' as const;

  async apply({ manager, environmentId }: ActionContext, inputs: Record<string, unknown>) {
    const cancel = toCancel(inputs);
    const rows = await manager.query<{ id: string }[]>(CANCEL_SQL, [
      environmentId,
      cancel.workflow,
      cancel.cancellationKey,
      cancel.recipientIds,
    ]);
    return { workflow: cancel.workflow, cancelled: rows.map((row) => row.id) };
  }
}
