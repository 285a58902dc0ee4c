import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { EventsProcessor } from './events.processor';
import { Reconciler } from './reconciler';
import { WorkflowsProcessor } from './workflows.processor';

/** What a process that consumes jobs runs: the queues' processors and the reconciler. */
@Module({
  imports: [EventsModule, WorkflowsModule],
  providers: [EventsProcessor, WorkflowsProcessor, Reconciler],
})
export class WorkerModule {}
