import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { JobData, WORKFLOWS_QUEUE } from '../queue/queues';
import { WorkflowEngine } from '../workflows/workflow-engine';

@Processor(WORKFLOWS_QUEUE)
export class WorkflowsProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly engine: WorkflowEngine,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  process(job: Job<JobData>): Promise<void> {
    return this.engine.advance(job.data.id);
  }
}
