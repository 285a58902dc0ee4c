import { ApiKey } from '../api-keys/api-key.entity';
import { ActionAttempt } from '../events/action-attempt.entity';
import { ActionExecution } from '../events/action-execution.entity';
import { SourceEvent } from '../events/source-event.entity';
import { Environment } from '../environments/environment.entity';
import { ActionMapping } from '../mappings/action-mapping.entity';
import { SourceEnvironment } from '../sources/source-environment.entity';
import { Source } from '../sources/source.entity';
import { User } from '../users/user.entity';
import { StepExecution } from '../workflows/step-execution.entity';
import { WorkflowRun } from '../workflows/workflow-run.entity';
import { Workflow, WorkflowVersion } from '../workflows/workflow.entity';

export const ENTITIES = [
  Environment,
  Source,
  SourceEnvironment,
  SourceEvent,
  ActionExecution,
  ActionAttempt,
  ActionMapping,
  User,
  WorkflowRun,
  Workflow,
  WorkflowVersion,
  StepExecution,
  ApiKey,
];
