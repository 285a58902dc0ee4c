import { DynamicModule, Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { EventsProcessor } from './events.processor';
import { LocalJobs } from './local-jobs';
import { Reconciler } from './reconciler';
import { Retention } from './retention';
import { WorkflowsProcessor } from './workflows.processor';

/**
 * What a process that consumes jobs runs: the reconciler, retention, and BullMQ's processors or the in-process
 * jobs.
 */
@Module({})
export class WorkerModule {
  static register(inProcess: boolean): DynamicModule {
    return {
      module: WorkerModule,
      imports: [EventsModule, WorkflowsModule],
      providers: [
        Reconciler,
        Retention,
        ...(inProcess ? [LocalJobs] : [EventsProcessor, WorkflowsProcessor]),
      ],
    };
  }
}
