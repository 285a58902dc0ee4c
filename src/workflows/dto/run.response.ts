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
  source_event_id: run.sourceEventId,
  created_at: run.createdAt,
  updated_at: run.updatedAt,
  cancelled_at: run.cancelledAt,
});
