import { DynamicModule, Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { EventsProcessor } from './events.processor';
import { LocalJobs } from './local-jobs';
import { Reconciler } from './reconciler';
import { WorkflowsProcessor } from './workflows.processor';

/** What a process that consumes jobs runs: the reconciler, and BullMQ's processors or the in-process jobs. */
@Module({})
export class WorkerModule {
  static register(inProcess: boolean): DynamicModule {
    return {
      module: WorkerModule,
      imports: [EventsModule, WorkflowsModule],
      providers: [Reconciler, ...(inProcess ? [LocalJobs] : [EventsProcessor, WorkflowsProcessor])],
    };
  }
}
