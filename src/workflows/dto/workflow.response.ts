import { ApiProperty } from '@nestjs/swagger';
import { STEP_SCHEMA } from '../../common/openapi';
import { maskHeaders } from '../workflow-secrets';
import type { Step } from '../workflow-steps';
import { Workflow, WorkflowVersion } from '../workflow.entity';

export class WorkflowSummary {
  key: string;
  name: string;
  /** A disabled workflow starts no new runs. */
  enabled: boolean;
  /** The current version: new runs start on it. */
  version: number;
  created_at: Date;
  updated_at: Date;
}

export class WorkflowResponse extends WorkflowSummary {
  /** The version shown (the current one unless `?version=` asked for another). */
  declare version: number;
  current_version: number;
  /** The steps, with http header values masked. */
  @ApiProperty({ type: 'array', items: STEP_SCHEMA }) steps: Step[];
}

export const toWorkflowSummary = (workflow: Workflow): WorkflowSummary => ({
  key: workflow.key,
  name: workflow.name,
  enabled: workflow.enabled,
  version: workflow.version,
  created_at: workflow.createdAt,
  updated_at: workflow.updatedAt,
});

/** A workflow at one version; header values are masked (send them back masked to keep them). */
export const toWorkflowResponse = (workflow: Workflow, version: WorkflowVersion): WorkflowResponse => ({
  ...toWorkflowSummary(workflow),
  version: version.version,
  current_version: workflow.version,
  steps: maskHeaders(version.steps),
});
