import { Module } from '@nestjs/common';
import { ACTION_HANDLERS, ActionHandler } from '../actions/actions';
import { SourcesModule } from '../sources/sources.module';
import { UsersModule } from '../users/users.module';
import { IdentifyUserAction, SetPropertiesAction } from '../users/user-actions';
import { CancelWorkflowAction, TriggerWorkflowAction } from '../workflows/workflow-actions';
import { WorkflowsModule } from '../workflows/workflows.module';
import { ActionRunner } from './action-runner';
import { EventProcessingService } from './event-processing.service';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

@Module({
  imports: [SourcesModule, UsersModule, WorkflowsModule],
  controllers: [EventsController],
  providers: [
    EventsService,
    EventProcessingService,
    ActionRunner,
    {
      provide: ACTION_HANDLERS,
      useFactory: (...handlers: ActionHandler[]) => handlers,
      inject: [IdentifyUserAction, SetPropertiesAction, TriggerWorkflowAction, CancelWorkflowAction],
    },
  ],
  exports: [EventProcessingService],
})
export class EventsModule {}
