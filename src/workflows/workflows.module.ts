import { Module } from '@nestjs/common';
import { EnvironmentsModule } from '../environments/environments.module';
import { UsersModule } from '../users/users.module';
import { CancelWorkflowAction, TriggerWorkflowAction } from './workflow-actions';
import { WorkflowRunsController } from './workflow-runs.controller';
import { WorkflowEngine } from './workflow-engine';
import { WorkflowRunsService } from './workflow-runs.service';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsService } from './workflows.service';

@Module({
  imports: [UsersModule, EnvironmentsModule],
  controllers: [WorkflowsController, WorkflowRunsController],
  providers: [
    TriggerWorkflowAction,
    CancelWorkflowAction,
    WorkflowsService,
    WorkflowRunsService,
    WorkflowEngine,
  ],
  exports: [TriggerWorkflowAction, CancelWorkflowAction, WorkflowEngine],
})
export class WorkflowsModule {}
