import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { JobData, WORKFLOWS_QUEUE } from '../queue/queues';
import { WorkflowEngine } from '../workflows/workflow-engine';
import { QueueWorker } from './queue-worker';

@Processor(WORKFLOWS_QUEUE)
export class WorkflowsProcessor extends QueueWorker {
  constructor(
    private readonly engine: WorkflowEngine,
    config: AppConfig,
  ) {
    super(config);
  }

  process(job: Job<JobData>): Promise<void> {
    return this.engine.advance(job.data.id);
  }
}
