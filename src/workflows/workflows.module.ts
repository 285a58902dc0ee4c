import { Module } from '@nestjs/common';
import { EnvironmentsModule } from '../environments/environments.module';
import { UsersModule } from '../users/users.module';
import { CancelWorkflowAction, TriggerWorkflowAction } from './workflow-actions';
import { WorkflowsController } from './workflows.controller';
import { WorkflowsService } from './workflows.service';

@Module({
  imports: [UsersModule, EnvironmentsModule],
  controllers: [WorkflowsController],
  providers: [TriggerWorkflowAction, CancelWorkflowAction, WorkflowsService],
  exports: [TriggerWorkflowAction, CancelWorkflowAction],
})
export class WorkflowsModule {}
