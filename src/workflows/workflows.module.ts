import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { CancelWorkflowAction, TriggerWorkflowAction } from './workflow-actions';

@Module({
  imports: [UsersModule],
  providers: [TriggerWorkflowAction, CancelWorkflowAction],
  exports: [TriggerWorkflowAction, CancelWorkflowAction],
})
export class WorkflowsModule {}
