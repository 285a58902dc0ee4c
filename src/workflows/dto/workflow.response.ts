import { maskHeaders } from '../workflow-secrets';
import { Workflow, WorkflowVersion } from '../workflow.entity';

export const toWorkflowSummary = (workflow: Workflow) => ({
  key: workflow.key,
  name: workflow.name,
  enabled: workflow.enabled,
  version: workflow.version,
  created_at: workflow.createdAt,
  updated_at: workflow.updatedAt,
});

/** A workflow at one version; header values are masked (send them back masked to keep them). */
export const toWorkflowResponse = (workflow: Workflow, version: WorkflowVersion) => ({
  ...toWorkflowSummary(workflow),
  version: version.version,
  current_version: workflow.version,
  steps: maskHeaders(version.steps),
});
