import { DynamicModule, Module } from '@nestjs/common';
import { ACTION_HANDLERS, ActionHandler } from '../actions/actions';
import { SourcesModule } from '../sources/sources.module';
import { UsersModule } from '../users/users.module';
import { IdentifyUserAction, SetPropertiesAction } from '../users/user-actions';
import { CancelWorkflowAction, TriggerWorkflowAction } from '../workflows/workflow-actions';
import { WorkflowsModule } from '../workflows/workflows.module';
import { ActionRunner } from './action-runner';
import { EventProcessingService } from './event-processing.service';
import { EventsController } from './events.controller';
import { EventsProcessor } from './events.processor';
import { EventsService } from './events.service';
import { Reconciler } from './reconciler';

@Module({})
export class EventsModule {
  /** The event log always; the processor and the reconciler only where this process consumes jobs. */
  static register(consumesJobs: boolean): DynamicModule {
    return {
      module: EventsModule,
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
        ...(consumesJobs ? [EventsProcessor, Reconciler] : []),
      ],
    };
  }
}
